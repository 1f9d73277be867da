package io.circles.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import io.circles.crypto.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pubkey --key HEX|@FILE}: the public key of a private key, in both encodings. */
@Command(name = "pubkey", mixinStandardHelpOptions = true,
        description = "Print the public key (compressed and uncompressed) of a private key.")
public class PubkeyCommand implements Callable<Integer> {
    @ParentCommand
    CirclesCommand parent;

    @Option(names = "--key", required = true, paramLabel = "HEX|@FILE", converter = PrivateKeyConverter.class,
            description = "the private key: hex, or @ and a file holding it (as keygen --out writes it)")
    KeyPair key;

    @Override
    public Integer call() {
        print(key, parent.out());
        return 0;
    }

    /** The two lines {@code keygen} and {@code pubkey} print. */
    static void print(KeyPair key, PrintStream out) {
        out.println("public_key:              " + key.publicKeyCompressed());
        out.println("public_key_uncompressed: " + key.publicKeyUncompressed());
        out.flush();
    }
}
