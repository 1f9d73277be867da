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

    /** What the command line asked for: an exit code, or to boot the server with the properties it set. */
    public record Outcome(int exitCode, boolean startServer) {
    }

    private Cli() {
    }

    public static Outcome run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        CirclesCommand top = new CirclesCommand();
        top.streams(in, out, err);
        CommandLine line = commandLine(top, out, err);
        int code = line.execute(args);
        out.flush();
        err.flush();
        return new Outcome(code, code == 0 && top.serverRequested());
    }

    static CommandLine commandLine(CirclesCommand top, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(top);
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
