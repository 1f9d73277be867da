package io.circles.hostile;

import java.util.HashMap;
import java.util.Map;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The attack tests' server: the production defaults of {@code circles.limits.*} (the %test profile lifts the
 * per-address ones because every other test connects from 127.0.0.1), except where waiting for the default would
 * cost CI minutes: an 8 s unauthenticated timeout, a 3 s outbound stall, a 150-connection instance cap, a 30 s first authentication backoff, a 256 KiB
 * event log. 127.0.0.1 is a trusted proxy, so tests play many client addresses through {@code X-Forwarded-For}.
 * A third circle C has its own Stripe secret.
 */
public class HostileProfile implements QuarkusTestProfile {
    public static final KeyPair CIRCLE_C_KEY = KeyPair.fromPrivateKey("0x" + "c3".repeat(32));
    public static final String CIRCLE_C = CIRCLE_C_KEY.publicKeyCompressed();
    public static final String CIRCLE_C_STRIPE_SECRET = "whsec_circle_c_only_0a1b2c3d4e5f";
    public static final String DOMAIN = "circles.example";
    public static final int MAX_CONNECTIONS = 150;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("circles.keys", TestCircles.CIRCLE_A + "," + TestCircles.CIRCLE_B + "," + CIRCLE_C);
        config.put("circles.auth.domain", DOMAIN);
        config.put("circles.limits.max-connections", Integer.toString(MAX_CONNECTIONS));
        config.put("circles.limits.max-connections-per-address", "64");
        config.put("circles.limits.trusted-proxies", "127.0.0.1,::1");
        config.put("circles.limits.unauthenticated-timeout", "8s");
        config.put("circles.limits.outbound-stall-timeout", "3s");
        config.put("circles.limits.fetch-nonce-per-second", "5");
        config.put("circles.limits.fetch-nonce-burst", "20");
        config.put("circles.limits.authenticate-per-second", "5");
        config.put("circles.limits.authenticate-burst", "20");
        config.put("circles.limits.play-per-second", "100");
        config.put("circles.limits.play-burst", "200");
        config.put("circles.limits.auth-free-failures", "3");
        config.put("circles.limits.max-queued-script-bytes-per-address", "16M");
        config.put("circles.limits.auth-backoff-initial", "30s"); // so a loaded CI machine cannot outwait it mid-test
        config.put("circles.webhooks.event-log-max-bytes", "256K");
        config.put("circles.webhooks.stripe.secrets.\"" + CIRCLE_C + "\"", CIRCLE_C_STRIPE_SECRET);
        config.put("quarkus.log.category.\"io.circles.limits\".level", "DEBUG");
        return config;
    }
}
