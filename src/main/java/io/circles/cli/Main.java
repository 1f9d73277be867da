package io.circles.cli;

import java.util.Arrays;
import java.util.List;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the jar. Subcommands that only compute ({@code rhai}, {@code keygen}, {@code play},
 * {@code repl}) run without booting Quarkus; everything else starts the server, with the original
 * launcher's flags mapped onto configuration properties before boot.
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) {
        if (args.length > 0 && Subcommands.has(args[0])) {
            System.exit(Subcommands.run(args[0], Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        List<String> rest;
        try {
            rest = ServerFlags.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println("circles: " + e.getMessage());
            System.err.println(ServerFlags.USAGE);
            System.exit(2);
            return;
        }
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.println(ServerFlags.USAGE);
            return;
        }
        Quarkus.run(rest.toArray(new String[0]));
    }
}
