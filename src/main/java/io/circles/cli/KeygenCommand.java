package io.circles.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Callable;

import io.circles.crypto.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code keygen [--out FILE]}: a new secp256k1 key. Without {@code --out} it prints the private key and both
 * public key encodings; with it, the private key (hex) goes to FILE, created owner-only ({@code rw-------}),
 * and only the public keys are printed.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Print a new secp256k1 private key and its public key (compressed and uncompressed).")
public class KeygenCommand implements Callable<Integer> {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @ParentCommand
    CirclesCommand parent;

    @Option(names = {"--out", "-o"}, paramLabel = "FILE",
            description = "write the private key (hex) to FILE, owner-only, instead of printing it; FILE must not exist yet")
    Path out;

    @Override
    public Integer call() {
        PrintStream stdout = parent.out();
        KeyPair key = KeyPair.generate();
        if (out != null) {
            try {
                writeOwnerOnly(out, key.privateKeyHex() + "\n");
            } catch (FileAlreadyExistsException e) {
                parent.err().println("keygen: " + out + " already exists; not overwriting a key");
                return 1;
            } catch (IOException | UnsupportedOperationException e) {
                parent.err().println("keygen: cannot write " + out + ": " + e.getMessage());
                return 1;
            }
            parent.err().println("private key written to " + out + " (owner-only)");
        } else {
            stdout.println("private_key:             " + key.privateKeyHex());
        }
        PubkeyCommand.print(key, stdout);
        return 0;
    }

    /** Creates {@code file} with rw------- set at creation (no window where it is readable by others), then writes it. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        boolean posix = Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix");
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            // The umask can only remove bits, but set them explicitly in case the FS ignored the attribute.
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } else {
            Files.createFile(file);
            java.io.File f = file.toFile();
            f.setReadable(false, false);
            f.setWritable(false, false);
            f.setReadable(true, true);
            f.setWritable(true, true);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
