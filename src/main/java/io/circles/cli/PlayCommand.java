package io.circles.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.circles.client.CircleClient;
import io.circles.client.PlayResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code play}: connects, authenticates when a key is given, runs one script, prints its logs then its output.
 * Exit code 0 on success, 1 when the script or the call fails (the error, with its code and position, goes to
 * stderr), 2 on usage errors.
 */
@Command(name = "play", mixinStandardHelpOptions = true,
        description = {"Run one script in a circle.", "Prints its print/debug lines, then its value.",
                "Exit code 0 ok, 1 script or RPC error, 2 usage error."})
public class PlayCommand implements Callable<Integer> {
    @ParentCommand
    CirclesCommand parent;

    @Mixin
    ClientOptions options;

    @Parameters(arity = "0..1", paramLabel = "FILE.rhai|-", description = "the script (default: standard input)")
    String source = "-";

    @Override
    public Integer call() {
        PrintStream out = parent.out();
        String script = readScript();
        CircleClient client = options.client(parent.err());
        try {
            client.connect().join();
            PlayResult result = client.play(script).join();
            result.logs().forEach(out::println);
            if (!result.output().isEmpty()) {
                out.println(result.output());
            }
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            Throwable failure = CircleClient.unwrap(e);
            ClientOutput.errorLogs(failure).forEach(out::println);
            out.flush();
            ClientOutput.printError(failure, parent.err());
            return 1;
        } finally {
            closeQuietly(client);
        }
    }

    private String readScript() {
        try {
            return source.equals("-")
                    ? new String(parent.in().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(source), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw options.usage("cannot read the script " + source + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    static void closeQuietly(CircleClient client) {
        try {
            client.close().get(3, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // exiting anyway
        }
    }
}
