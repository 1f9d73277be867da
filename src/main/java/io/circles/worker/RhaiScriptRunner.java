package io.circles.worker;

import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

/** Placeholder until the Rhai engine lands: every script fails with a clear error. */
@Singleton
public class RhaiScriptRunner implements ScriptRunner {
    @Override
    public Outcome run(String circle, String caller, String script, Map<String, Object> scope) {
        return Outcome.failure("Rhai engine not available yet", List.of());
    }
}
