package io.circles.cli;

import java.util.concurrent.Callable;

import io.circles.crypto.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sign --key HEX|@FILE MESSAGE}: prints {@code personal_sign(MESSAGE)} (EIP-191, v = 27/28) and the public
 * key, for authenticating from any WebSocket client or the playground page by hand.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Sign MESSAGE (e.g. the nonce from fetch_nonce) Ethereum-style, personal_sign / EIP-191.",
                "Prints 'pubkey: <compressed public key>' and 'signature: 0x<r s v>', the values authenticate takes."})
public class SignCommand implements Callable<Integer> {
    @ParentCommand
    CirclesCommand parent;

    @Option(names = "--key", required = true, paramLabel = "HEX|@FILE", converter = PrivateKeyConverter.class,
            description = "the private key: hex, or @ and a file holding it")
    KeyPair key;

    @Parameters(paramLabel = "MESSAGE", description = "the text to sign")
    String message;

    @Override
    public Integer call() {
        parent.out().println("pubkey:    " + key.publicKeyCompressed());
        parent.out().println("signature: " + key.signPersonal(message));
        parent.out().flush();
        return 0;
    }
}
