package io.circles.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the command line, as {@code java -jar quarkus-run.jar ARGS} would run it. */
public record CliRun(int code, String out, String err, boolean startsServer) {

    public static CliRun run(String... args) {
        return withInput("", args);
    }

    public static CliRun withInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli.Outcome outcome = Cli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(outcome.exitCode(), out.toString(StandardCharsets.UTF_8).replace("\r", ""),
                err.toString(StandardCharsets.UTF_8).replace("\r", ""), outcome.startServer());
    }
}
