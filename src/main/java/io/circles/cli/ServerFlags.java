package io.circles.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The original standalone launcher's flags, each mapped to a configuration property (set as a system
 * property before Quarkus boots, so it wins over application.properties, as a CLI flag should).
 */
final class ServerFlags {
    static final String USAGE = """
            Usage: circles [serve|worker] [options]
              --host ADDR          bind address (quarkus.http.host, default 0.0.0.0)
              --port N             HTTP/WebSocket port (quarkus.http.port, default 8080)
              --auth | --no-auth   require authentication for play (circles.auth.enabled, default on)
              --tls --cert F --key F   serve wss:// with this PEM certificate and key
              --redis-url URL      Redis to use (circles.redis-url, REDIS_URL; default: embedded redis-server)
              -k, --circle PK[:init.rhai]   serve this circle (repeatable; circles.keys)
            Subcommands: rhai, keygen, play, repl (see README).""";

    private ServerFlags() {
    }

    /** Applies known flags as system properties and returns the remaining arguments. */
    static List<String> apply(String[] args) {
        List<String> rest = new ArrayList<>();
        List<String> circles = new ArrayList<>();
        boolean tls = false;
        String cert = null;
        String key = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "serve" -> { }
                case "worker" -> System.setProperty("circles.server.enabled", "false");
                case "--host" -> System.setProperty("quarkus.http.host", value(args, ++i, arg));
                case "--port" -> System.setProperty("quarkus.http.port", value(args, ++i, arg));
                case "--auth" -> System.setProperty("circles.auth.enabled", "true");
                case "--no-auth" -> System.setProperty("circles.auth.enabled", "false");
                case "--redis-url" -> System.setProperty("circles.redis-url", value(args, ++i, arg));
                case "-k", "--circle" -> circles.add(value(args, ++i, arg));
                case "--tls" -> tls = true;
                case "--cert" -> cert = value(args, ++i, arg);
                case "--key" -> key = value(args, ++i, arg);
                default -> rest.add(arg);
            }
        }
        if (!circles.isEmpty()) {
            System.setProperty("circles.keys", String.join(",", circles));
        }
        if (tls) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("--tls needs --cert and --key");
            }
            System.setProperty("quarkus.http.ssl.certificate.files", cert);
            System.setProperty("quarkus.http.ssl.certificate.key-files", key);
            System.setProperty("quarkus.http.insecure-requests", "disabled");
            System.setProperty("quarkus.http.ssl-port", System.getProperty("quarkus.http.port", "8443"));
        }
        return rest;
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[index];
    }
}
