package io.circles.web;

import java.util.Map;

import io.circles.circle.CircleKeys;
import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * An app of its own for the browser test: its last step shuts the server down (to see the 503 refusal),
 * which must not leave other test classes with a server that refuses everything. Circle B has a member list
 * (only {@link #MEMBER}) so the page's view of a circle one may not read can be seen.
 */
public class WebAppProfile implements QuarkusTestProfile {
    /** The only member of circle B in this profile. */
    public static final KeyPair MEMBER = KeyPair.fromPrivateKey("0x" + "c3".repeat(32));

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("circles.server.shutdown-grace", "1s",
                "circles.members.\"" + CircleKeys.canonicalOrNull(TestCircles.CIRCLE_B) + "\"", MEMBER.publicKeyCompressed());
    }
}
