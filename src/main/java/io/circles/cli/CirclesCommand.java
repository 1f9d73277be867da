package io.circles.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code circles [serve] [server flags]}: without a subcommand it is the server, so that
 * {@code java -jar quarkus-run.jar -k <pk>} keeps working. Subcommands reach the streams through
 * {@code @ParentCommand}, which keeps them testable in-process.
 */
@Command(name = "circles", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Circles server and client tools. Without a command: the server (same as 'serve').",
        subcommands = {ServeCommand.class, WorkerCommand.class, KeygenCommand.class, PubkeyCommand.class,
                SignCommand.class, PlayCommand.class, ReplCommand.class, RhaiSubcommand.class},
        footer = "%nRun 'circles COMMAND --help' for a command's options. Exit codes: 0 ok, 1 failure, 2 usage error.")
public class CirclesCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    private InputStream in = System.in;
    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private boolean serverRequested;

    void streams(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    InputStream in() {
        return in;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    boolean serverRequested() {
        return serverRequested;
    }

    /** Applies the server flags as configuration; {@link Main} boots Quarkus afterwards. */
    int startServer(ServerOptions options, boolean workerOnly) {
        options.apply(workerOnly);
        serverRequested = true;
        return 0;
    }

    @Override
    public Integer call() {
        return startServer(server, false);
    }
}
