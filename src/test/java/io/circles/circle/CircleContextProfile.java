package io.circles.circle;

import java.util.Map;

import io.circles.support.TestCircles;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Circle A has an init script and a member list; circle B has a failing init script; small store limits. */
public class CircleContextProfile implements QuarkusTestProfile {
    static final io.circles.crypto.KeyPair MEMBER = io.circles.crypto.KeyPair.fromPrivateKey("0x" + "c3".repeat(32));

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "circles.keys", TestCircles.CIRCLE_A + ":src/test/resources/init/ok.rhai,"
                        + TestCircles.CIRCLE_B + ":src/test/resources/init/fail.rhai",
                "circles.members.\"" + TestCircles.CIRCLE_A + "\"", MEMBER.publicKeyCompressed(),
                "circles.store.max-keys", "50",
                "circles.store.max-value-bytes", "4096",
                "circles.store.max-bytes", "65536");
    }
}
