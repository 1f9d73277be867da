package io.circles.cli;

import java.io.InputStream;
import java.io.PrintStream;

import io.circles.crypto.KeyPair;

/**
 * {@code sign --key <hex | @file> MESSAGE}: prints {@code personal_sign(MESSAGE)} (EIP-191, v = 27/28) and
 * the public key, for authenticating from any WebSocket client or the playground page by hand.
 */
final class SignCommand {
    static final String USAGE = "usage: sign --key <hex | @file> MESSAGE";

    private SignCommand() {
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        String keyArg = null;
        String message = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--key") && i + 1 < args.length) {
                keyArg = args[++i];
            } else if (message == null && !args[i].startsWith("--")) {
                message = args[i];
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        if (keyArg == null || message == null) {
            err.println(USAGE);
            return 2;
        }
        KeyPair key;
        try {
            key = ClientArgs.key(keyArg);
        } catch (IllegalArgumentException e) {
            err.println("sign: " + e.getMessage());
            return 2;
        }
        out.println("pubkey:    " + key.publicKeyCompressed());
        out.println("signature: " + key.signPersonal(message));
        return 0;
    }
}
