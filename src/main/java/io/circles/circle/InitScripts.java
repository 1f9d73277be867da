package io.circles.circle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.circles.config.CirclesConfig;
import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.ScriptDispatcher;
import io.circles.dispatch.ScriptTask;
import io.circles.dispatch.TaskResult;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs each circle's init script ({@code -k <pk>:init.rhai}) once through its worker when the server starts
 * serving it, as the circle itself ({@code CALLER_ID} = the circle key). Results are logged; a failing script
 * is reported and does not affect the other circles.
 */
@Singleton
public class InitScripts {
    private static final Logger LOG = Logger.getLogger(InitScripts.class);

    private final CircleRegistry registry;
    private final ScriptDispatcher dispatcher;
    private final CirclesConfig config;
    private final DispatchConfig dispatchConfig;
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();

    public InitScripts(CircleRegistry registry, ScriptDispatcher dispatcher, CirclesConfig config, DispatchConfig dispatchConfig) {
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.config = config;
        this.dispatchConfig = dispatchConfig;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.server().enabled()) {
            registry.configured().forEach(circle -> registry.initScript(circle).ifPresent(path -> run(circle, path)));
        }
    }

    /** "ok: <output>", "error: <message>", or "running"; empty when the circle has no init script. */
    public Optional<String> outcome(String circle) {
        return Optional.ofNullable(outcomes.get(circle));
    }

    private void run(String circle, String path) {
        String script;
        try {
            script = Files.readString(Path.of(path));
        } catch (IOException e) {
            report(circle, path, "error: cannot read the init script: " + e.getMessage());
            return;
        }
        outcomes.put(circle, "running");
        dispatcher.submit(new ScriptTask(circle, circle, script, dispatchConfig.replyTimeout()), taskId -> { })
                .subscribe().with(
                        result -> report(circle, path, TaskResult.COMPLETED.equals(result.status())
                                ? "ok: " + result.output() : "error: " + result.error()),
                        failure -> report(circle, path, "error: " + failure.getMessage()));
    }

    private void report(String circle, String path, String outcome) {
        outcomes.put(circle, outcome);
        if (outcome.startsWith("ok")) {
            LOG.infof("Init script %s of circle %s finished: %s", path, circle, outcome);
        } else {
            LOG.errorf("Init script %s of circle %s failed: %s", path, circle, outcome);
        }
    }
}
