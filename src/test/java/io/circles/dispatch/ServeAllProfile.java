package io.circles.dispatch;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Serve-all mode (no {@code -k}): every well-formed key is a circle, as in a multi-circle deployment. */
public class ServeAllProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("circles.keys", "");
    }
}
