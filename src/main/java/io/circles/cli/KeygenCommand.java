package io.circles.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import io.circles.crypto.KeyPair;

/**
 * {@code keygen [--out FILE]}: a new secp256k1 key. Without {@code --out} it prints the private key and both
 * public key encodings; with it, the private key (hex) goes to FILE, created owner-only ({@code rw-------}),
 * and only the public keys are printed.
 */
public final class KeygenCommand {
    static final String USAGE = """
            Usage: circles keygen [--out FILE]
              Prints a new secp256k1 private key and its public key (compressed and uncompressed).
              --out FILE   write the private key (hex) to FILE with owner-only permissions instead of printing it;
                           FILE must not exist yet""";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeygenCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--out", "-o" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, args[i] + " needs a file name");
                    }
                    file = Path.of(args[++i]);
                }
                default -> {
                    return usage(err, "unexpected argument: " + args[i]);
                }
            }
        }
        KeyPair key = KeyPair.generate();
        if (file != null) {
            try {
                writeOwnerOnly(file, key.privateKeyHex() + "\n");
            } catch (FileAlreadyExistsException e) {
                err.println("keygen: " + file + " already exists; not overwriting a key");
                return 1;
            } catch (IOException | UnsupportedOperationException e) {
                err.println("keygen: cannot write " + file + ": " + e.getMessage());
                return 1;
            }
            err.println("private key written to " + file + " (owner-only)");
        } else {
            out.println("private_key:             " + key.privateKeyHex());
        }
        out.println("public_key:              " + key.publicKeyCompressed());
        out.println("public_key_uncompressed: " + key.publicKeyUncompressed());
        out.flush();
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

    private static int usage(PrintStream err, String problem) {
        err.println("keygen: " + problem);
        err.println(USAGE);
        return 2;
    }
}
