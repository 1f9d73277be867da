package io.circles.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;

/** Parses and runs one command line. Never calls {@code System.exit}; {@link Main} does. */
public final class Cli {
    /** Exit code of a usage error (unknown command or flag, missing or malformed value). */
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

    /** What the command line asked for: an exit code, or to boot the server with the properties it set. */
    public record Outcome(int exitCode, boolean startServer) {
    }

    private Cli() {
    }

    public static Outcome run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        CirclesCommand top = new CirclesCommand();
        top.streams(in, out, err);
        CommandLine line = commandLine(top, out, err, args);
        int code = line.execute(args);
        out.flush();
        err.flush();
        return new Outcome(code, code == 0 && top.serverRequested());
    }

    /**
     * The parser for {@code args}: when they start with a command's name, only that command is added (a client
     * command then starts without building the other eight models); otherwise all, for the default server
     * command, help and "did you mean".
     */
    static CommandLine commandLine(CirclesCommand top, PrintStream out, PrintStream err, String... args) {
        // Picocli probes optional converters by reflection; java.sql.* starts JDBC's DriverManager, which scans
        // every jar (verifying the signed ones): about a second of CPU on each client command. None is used here.
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, "java\\.sql\\..*|java\\.time\\..*");
        }
        CommandLine line = new CommandLine(top);
        String first = args.length > 0 ? args[0] : "";
        CirclesCommand.COMMANDS.forEach((name, command) -> {
            if (!CirclesCommand.COMMANDS.containsKey(first) || name.equals(first)) {
                line.addSubcommand(name, command.get());
            }
        });
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setParameterExceptionHandler(new Suggestions());
        line.setExecutionExceptionHandler((failure, failedLine, parsed) -> {
            failedLine.getErr().println("circles " + failedLine.getCommandName() + ": " + message(failure));
            return CommandLine.ExitCode.SOFTWARE;
        });
        return line;
    }

    private static String message(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
