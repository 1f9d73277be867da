package io.circles.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code circles [serve] [server flags]}: without a subcommand it is the server, so that
 * {@code java -jar quarkus-run.jar -k <pk>} keeps working. Subcommands reach the streams through
 * {@code @ParentCommand}, which keeps them testable in-process.
 */
@Command(name = "circles", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Circles server and client tools. Without a command: the server (same as 'serve').",
        footer = "%nRun 'circles COMMAND --help' for a command's options. Exit codes: 0 ok, 1 failure, 2 usage error.")
public class CirclesCommand implements Callable<Integer> {
    /**
     * The commands, in help order. Not in the annotation: picocli builds every listed command's model by
     * reflection at start, most of a client command's start-up time; {@link Cli} adds only the one asked for.
     */
    static final Map<String, Supplier<Object>> COMMANDS = commands();

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

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("serve", ServeCommand::new);
        commands.put("worker", WorkerCommand::new);
        commands.put("keygen", KeygenCommand::new);
        commands.put("pubkey", PubkeyCommand::new);
        commands.put("sign", SignCommand::new);
        commands.put("play", PlayCommand::new);
        commands.put("watch", WatchCommand::new);
        commands.put("repl", ReplCommand::new);
        commands.put("rhai", RhaiSubcommand::new);
        return Collections.unmodifiableMap(commands);
    }

    @Override
    public Integer call() {
        return startServer(server, false);
    }
}
