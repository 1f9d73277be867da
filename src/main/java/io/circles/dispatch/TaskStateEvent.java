package io.circles.dispatch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code tasks} live notification: {@code {"topic":"tasks","task_id","status","caller"[,"error"]}}, published on
 * the circle's channel whenever a played task changes state. The dispatch steps publish it from inside Redis
 * ({@link TaskScripts#ENQUEUE} {@code pending}, {@link TaskScripts#FINISH} its end), the server publishes the
 * caller-side ends ({@code timeout}, an outage), the reaper a lost worker's; all build it here.
 */
public final class TaskStateEvent {
    /** The topic name subscribers ask for. */
    public static final String TOPIC = "tasks";
    public static final String PENDING = "pending";

    private TaskStateEvent() {
    }

    /** The message as JSON text. */
    public static String json(String taskId, String caller, String status, String error) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("topic", TOPIC);
        message.put("task_id", taskId);
        message.put("status", status);
        message.put("caller", caller);
        if (error != null) {
            message.put("error", error);
        }
        return message.toString();
    }

    /**
     * Where task states are announced: a circle's live channel, and the publish command this Redis understands
     * ({@code SPUBLISH} on Redis 7, sharded and Cluster-routed; {@code PUBLISH} before). Implemented by the live
     * subscriptions, which must agree with it.
     */
    public interface Channels {
        /** The circle's channel name. */
        String channel(String circle);

        /** {@code SPUBLISH} or {@code PUBLISH}; asks Redis once, then answers at once. */
        io.smallrye.mutiny.Uni<String> publishCommand();

        /** The publish command once Redis has said which, else null (then use {@link #publishCommand()}). */
        default String knownPublishCommand() {
            return null;
        }
    }

    /**
     * The announcement ARGV of a dispatch step (publish command, channel, message), or three empty strings for
     * none.
     */
    public static String[] args(String command, String channel, String message) {
        return command == null ? new String[] {"", "", ""} : new String[] {command, channel, message};
    }
}
