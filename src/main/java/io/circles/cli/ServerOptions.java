package io.circles.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The server's flags, each mapped to a configuration property, set as a system property before Quarkus boots so
 * that it wins over application.properties and the environment, as a command-line flag should.
 */
public class ServerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDR", description = "bind address (quarkus.http.host, default 0.0.0.0)")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "HTTP and WebSocket port, also the TLS port with --tls-cert (quarkus.http.port, PORT, default 8080)")
    Integer port;

    @Option(names = "--auth", negatable = true, description = "require authentication for play (circles.auth.enabled, default on); --no-auth turns it off")
    Boolean auth;

    @Option(names = "--redis-url", paramLabel = "URL", description = "Redis to use (circles.redis-url, REDIS_URL; default: an embedded redis-server)")
    String redisUrl;

    @Option(names = {"--circle", "-k"}, paramLabel = "PK[:init.rhai]", description = "serve this circle, with an optional init script (repeatable; circles.keys; default: every well-formed key)")
    List<String> circles = new ArrayList<>();

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate: serve only wss:// and https:// (needs --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert")
    Path tlsKey;

    /** Checks the flags and sets their properties; a problem is a usage error (exit 2), before anything starts. */
    void apply(boolean workerOnly) {
        checkTls();
        if (workerOnly) {
            System.setProperty("circles.server.enabled", "false");
        }
        set("quarkus.http.host", host);
        set("quarkus.http.port", port == null ? null : String.valueOf(port));
        set("circles.auth.enabled", auth == null ? null : String.valueOf(auth));
        set("circles.redis-url", redisUrl);
        if (!circles.isEmpty()) {
            System.setProperty("circles.keys", String.join(",", circles));
        }
        if (tlsCert != null) {
            System.setProperty("quarkus.http.ssl.certificate.files", tlsCert.toString());
            System.setProperty("quarkus.http.ssl.certificate.key-files", tlsKey.toString());
            System.setProperty("quarkus.http.insecure-requests", "disabled");
            // TLS answers on the HTTP port, whichever way it was chosen (--port, PORT or the default).
            System.setProperty("quarkus.http.ssl-port", "${quarkus.http.port}");
        }
    }

    private void checkTls() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        readable("--tls-cert", tlsCert);
        readable("--tls-key", tlsKey);
    }

    private void readable(String flag, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), flag + ": cannot read " + file
                    + (Files.exists(file) ? " (permission denied)" : " (no such file)"));
        }
    }

    private static void set(String property, String value) {
        if (value != null) {
            System.setProperty(property, value);
        }
    }
}
