package io.circles.dispatch;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** No in-process worker: the test plays the worker side with raw Redis commands. Short timeouts. */
public class WorkerlessProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "circles.worker.enabled", "false",
                "circles.worker.reap-interval", "300ms",
                "circles.dispatch.reply-timeout", "2s",
                "circles.dispatch.max-in-flight-per-connection", "4",
                "circles.dispatch.max-queued-per-caller", "4",
                "circles.dispatch.max-waiting-callers-per-circle", "3");
    }
}
