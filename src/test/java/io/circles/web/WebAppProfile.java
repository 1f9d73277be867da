package io.circles.web;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * An app of its own for the browser test: its last step shuts the server down (to see the 503 refusal),
 * which must not leave other test classes with a server that refuses everything.
 */
public class WebAppProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("circles.server.shutdown-grace", "1s");
    }
}
