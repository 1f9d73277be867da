package io.circles.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.circles.client.CircleClient;
import io.circles.client.CircleRpcException;
import io.circles.crypto.KeyPair;

/** The connection options shared by {@code play} and {@code repl}: --url, --circle, --key, --timeout. */
final class ClientArgs {
    String url;
    String circle;
    KeyPair key;
    Duration timeout = Duration.ofSeconds(30);
    boolean help;
    final List<String> positional = new ArrayList<>();

    private ClientArgs() {
    }

    /** Parses the options; throws {@link IllegalArgumentException} with a message fit for the user. */
    static ClientArgs parse(String[] args) {
        ClientArgs parsed = new ClientArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inline = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                inline = arg.substring(arg.indexOf('=') + 1);
                arg = arg.substring(0, arg.indexOf('='));
            }
            switch (arg) {
                case "-h", "--help" -> parsed.help = true;
                case "--url", "-u" -> parsed.url = inline != null ? inline : value(args, ++i, arg);
                case "--circle", "-c" -> parsed.circle = inline != null ? inline : value(args, ++i, arg);
                case "--key", "-k" -> parsed.key = key(inline != null ? inline : value(args, ++i, arg));
                case "--timeout", "-t" -> parsed.timeout = duration(inline != null ? inline : value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-") && !arg.equals("-")) {
                        throw new IllegalArgumentException("unknown option: " + arg);
                    }
                    parsed.positional.add(arg);
                }
            }
        }
        if (!parsed.help && parsed.url == null) {
            throw new IllegalArgumentException("--url is required (ws://host:8080/<circle_pk>)");
        }
        return parsed;
    }

    CircleClient client() {
        return CircleClient.builder().url(url).circle(circle).key(key).timeout(timeout).build();
    }

    /** {@code <hex>} or {@code @file} holding the hex. */
    static KeyPair key(String value) {
        String hex = value;
        if (value.startsWith("@")) {
            try {
                hex = Files.readString(Path.of(value.substring(1)), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read key file " + value.substring(1) + ": " + e.getMessage());
            }
        }
        try {
            return KeyPair.fromPrivateKey(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--key: not a private key (" + e.getMessage() + ")");
        }
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a plain number of seconds. */
    static Duration duration(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--timeout: not a duration (e.g. 30s, 500ms, 2m): " + value);
        }
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[index];
    }

    /** Prints a client failure: {@code error <code>: <message>}, then the script position and task id if known. */
    static void printError(Throwable failure, java.io.PrintStream err) {
        if (failure instanceof CircleRpcException rpc) {
            err.println("error " + rpc.code() + ": " + rpc.rpcMessage());
            String position = rpc.dataError();
            if (position != null && !rpc.rpcMessage().contains(position)) {
                err.println("  " + position);
            }
            if (rpc.code() == CircleRpcException.TIMEOUT && rpc.taskId() != null) {
                err.println("  task_id: " + rpc.taskId() + " (ask task_status later)");
            }
        } else {
            err.println("error: " + failure.getMessage());
        }
        err.flush();
    }

    /** The cause behind {@code CompletionException}/{@code ExecutionException} wrappers. */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Logs a script printed before it failed ({@code data.logs}). */
    static List<String> errorLogs(Throwable failure) {
        List<String> logs = new ArrayList<>();
        if (failure instanceof CircleRpcException rpc && rpc.data() != null && rpc.data().path("logs").isArray()) {
            rpc.data().get("logs").forEach(line -> logs.add(line.asText()));
        }
        return logs;
    }
}
