package io.circles.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;

import io.circles.client.CircleClient;
import io.circles.crypto.KeyPair;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The connection flags shared by {@code play} and {@code repl}. */
public class ClientOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "the circle's WebSocket address, ws://host:8080/<circle_pk> (or ws://host:port with --circle)")
    String url;

    @Option(names = "--circle", paramLabel = "PK", description = "the circle's public key, when the URL does not end with it")
    String circle;

    @Option(names = "--key", paramLabel = "HEX|@FILE", converter = PrivateKeyConverter.class,
            description = "your private key, to authenticate (hex, or @ and a file holding it); without it only a --no-auth server plays")
    KeyPair key;

    @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class, defaultValue = "30s",
            description = "how long to wait for a result (30s, 500ms, 2m; default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--cacert", paramLabel = "FILE", description = "wss://: trust the CA (or self-signed certificate) in this PEM file instead of the JDK's trust store")
    Path cacert;

    @Option(names = "--insecure", description = "wss://: trust any certificate and host name (test servers only; the connection is not authenticated)")
    boolean insecure;

    /** The client; bad flag values are usage errors. Warns on {@code err} when TLS is not checked. */
    CircleClient client(PrintStream err) {
        if (cacert != null && insecure) {
            throw usage("--cacert and --insecure exclude each other");
        }
        CircleClient.Builder builder = CircleClient.builder().url(url).circle(circle).key(key).timeout(timeout);
        try {
            if (cacert != null) {
                builder.sslContext(ClientTls.trusting(cacert));
            } else if (insecure) {
                err.println("WARNING: --insecure: the server's certificate is not checked; anyone on the path can read and change this session");
                builder.sslContext(ClientTls.trustingAnything());
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        } catch (IOException | GeneralSecurityException e) {
            throw usage("--cacert: cannot use " + cacert + ": " + e.getMessage());
        }
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
