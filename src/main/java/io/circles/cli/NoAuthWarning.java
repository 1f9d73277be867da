package io.circles.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/** Says loudly at start when anyone who can reach the port may run scripts without proving who they are. */
@ApplicationScoped
class NoAuthWarning {
    private static final Logger LOG = Logger.getLogger(NoAuthWarning.class);

    private final boolean authEnabled;
    private final boolean serverEnabled;
    private final String host;

    NoAuthWarning(@ConfigProperty(name = "circles.auth.enabled", defaultValue = "true") boolean authEnabled,
            @ConfigProperty(name = "circles.server.enabled", defaultValue = "true") boolean serverEnabled,
            @ConfigProperty(name = "quarkus.http.host") String host) {
        this.authEnabled = authEnabled;
        this.serverEnabled = serverEnabled;
        this.host = host;
    }

    void onStart(@Observes StartupEvent event) {
        if (!authEnabled && serverEnabled && !isLoopback(host)) {
            LOG.warnf("Authentication is off (--no-auth) and the server listens on %s, not only on loopback: anyone who "
                    + "can reach it may run scripts in its circles. Use --host 127.0.0.1 or turn authentication on.", host);
        }
    }

    static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        try {
            // Only literal addresses are checked: a name is not resolved at start.
            return looksLikeAddress(host) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean looksLikeAddress(String host) {
        return host.contains(":") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }
}
