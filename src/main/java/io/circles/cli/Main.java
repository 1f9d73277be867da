package io.circles.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the jar. The command line is parsed before Quarkus boots: client commands ({@code rhai},
 * {@code keygen}, {@code sign}, {@code pubkey}, {@code play}, {@code repl}) run and exit without it; the server
 * ({@code serve}, the default, and {@code worker}) maps its flags onto configuration properties, then boots.
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) {
        Cli.Outcome outcome = Cli.run(args, System.in, System.out, System.err);
        if (outcome.startServer()) {
            // No System.exit afterwards: in dev mode Quarkus.run returns while the application keeps running
            // and reloading; exiting here would kill dev mode.
            Quarkus.run();
            return;
        }
        System.out.flush();
        System.exit(outcome.exitCode());
    }
}
