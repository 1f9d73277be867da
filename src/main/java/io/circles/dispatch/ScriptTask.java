package io.circles.dispatch;

import java.time.Duration;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A script to run in a circle.
 *
 * @param circle   canonical circle key ({@code CONTEXT_ID})
 * @param callerId who asks: a public key, {@code stripe}, {@code idenfy}, or {@code anonymous} ({@code CALLER_ID})
 * @param script   Rhai source
 * @param timeout  how long the caller waits for the reply (the worker's own wall-clock limit is separate)
 * @param scope    extra variables for the script's scope, by name (e.g. a webhook's {@code event}); may be empty
 */
public record ScriptTask(String circle, String callerId, String script, Duration timeout, ObjectNode scope) {

    public ScriptTask(String circle, String callerId, String script, Duration timeout) {
        this(circle, callerId, script, timeout, JsonNodeFactory.instance.objectNode());
    }
}
