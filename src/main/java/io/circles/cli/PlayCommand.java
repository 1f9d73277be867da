package io.circles.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.circles.client.CircleClient;
import io.circles.client.PlayResult;

/**
 * {@code play --url ws://host:8080/<circle_pk> [--key HEX|@FILE] [--timeout 30s] [FILE.rhai | -]}: connects,
 * authenticates when a key is given, runs one script, prints its logs then its output. Exit code 0 on success,
 * 1 when the script or the call fails (the error, with its code and position, goes to stderr), 2 on usage errors.
 */
public final class PlayCommand {
    static final String USAGE = """
            Usage: circles play --url ws://host:8080/<circle_pk> [--key HEX|@FILE] [--timeout 30s] [FILE.rhai | -]
              --url URL        the circle's WebSocket address (or ws://host:port with --circle PK)
              --circle PK      the circle's public key, when the URL does not end with it
              --key HEX|@FILE  private key to authenticate with (hex, or @ and a file holding it)
              --timeout D      how long to wait for the result (30s, 500ms, 2m; default 30s)
              FILE.rhai | -    the script (default: standard input)
            Prints the script's print/debug lines, then its value. Exit code 0 ok, 1 script or RPC error, 2 usage.""";

    private PlayCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        ClientArgs options;
        String script;
        try {
            options = ClientArgs.parse(args);
            if (options.help) {
                out.println(USAGE);
                return 0;
            }
            if (options.positional.size() > 1) {
                throw new IllegalArgumentException("one script at a time, got " + options.positional);
            }
            String source = options.positional.isEmpty() ? "-" : options.positional.get(0);
            script = source.equals("-")
                    ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(source), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            err.println("play: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("play: cannot read the script: " + e.getMessage());
            return 2;
        }
        CircleClient client;
        try {
            client = options.client();
        } catch (IllegalArgumentException e) {
            err.println("play: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
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
            Throwable failure = ClientArgs.unwrap(e);
            ClientArgs.errorLogs(failure).forEach(out::println);
            out.flush();
            ClientArgs.printError(failure, err);
            return 1;
        } finally {
            try {
                client.close().get(3, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
        }
    }
}
