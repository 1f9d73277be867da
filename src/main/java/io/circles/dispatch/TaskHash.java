package io.circles.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The one owner of the task format: the fields of a task hash, the status values, and the reply payload a
 * worker pushes. Dispatcher, worker, reaper and reply listener build and read tasks only through this class;
 * {@code TaskProtocolDocTest} checks {@code docs/DISPATCH_PROTOCOL.md} against it.
 */
public final class TaskHash {
    public static final String TASK_ID = "task_id";
    public static final String SCRIPT = "script";
    public static final String STATUS = "status";
    public static final String CALLER_ID = "caller_id";
    public static final String CONTEXT_ID = "context_id";
    public static final String REPLY_QUEUE = "reply_queue_name";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String TIMEOUT = "timeout";
    public static final String SCOPE = "scope";
    public static final String TRACEPARENT = "traceparent";
    public static final String WORKER_ID = "worker_id";
    public static final String OUTPUT = "output";
    public static final String ERROR = "error";
    public static final String LOGS = "logs";

    /** Every field, in the order the protocol document lists them. */
    public static final List<String> FIELDS = List.of(TASK_ID, SCRIPT, STATUS, CALLER_ID, CONTEXT_ID, REPLY_QUEUE,
            CREATED_AT, UPDATED_AT, TIMEOUT, SCOPE, TRACEPARENT, WORKER_ID, OUTPUT, ERROR, LOGS);

    /** The values of {@link #STATUS}. */
    public enum Status {
        PENDING, PROCESSING, COMPLETED, ERROR;

        /** The value on the wire. */
        public String wire() {
            return name().toLowerCase();
        }

        public boolean finished() {
            return this == COMPLETED || this == ERROR;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TaskHash() {
    }

    /** The fields of a new pending task, as HSET field/value pairs. */
    public static Map<String, String> pending(String taskId, ScriptTask task, String replyQueue, long nowSeconds) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(TASK_ID, taskId);
        fields.put(SCRIPT, task.script());
        fields.put(STATUS, Status.PENDING.wire());
        fields.put(CALLER_ID, task.callerId());
        fields.put(CONTEXT_ID, task.circle());
        fields.put(REPLY_QUEUE, replyQueue);
        fields.put(CREATED_AT, Long.toString(nowSeconds));
        fields.put(UPDATED_AT, Long.toString(nowSeconds));
        fields.put(TIMEOUT, Long.toString(Math.max(1, task.timeout().toSeconds())));
        if (!task.scope().isEmpty()) {
            fields.put(SCOPE, task.scope().toString());
        }
        return fields;
    }

    /** The reply a worker (or reaper, or canceller) pushes onto the task's reply list. */
    public static String reply(String taskId, Status status, String output, String error, List<String> logs) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put(TASK_ID, taskId);
        reply.put(STATUS, status.wire());
        reply.put(OUTPUT, output);
        reply.put(ERROR, error);
        reply.set(LOGS, MAPPER.valueToTree(logs));
        return reply.toString();
    }

    /** How long a reply list outlives its last reply when nobody reads it (its server instance is gone). */
    public static final int REPLY_LIST_TTL_SECONDS = 3600;

    /**
     * The commands that deliver replies to one list: push them and (re)arm the list's expiry, so lists of dead
     * instances vanish.
     */
    public static List<Request> replyPush(String replyQueue, List<String> replies) {
        Request push = Request.cmd(Command.LPUSH).arg(replyQueue);
        replies.forEach(push::arg);
        return List.of(push, Request.cmd(Command.EXPIRE).arg(replyQueue).arg(REPLY_LIST_TTL_SECONDS));
    }

    /** Print/debug lines as stored in the {@link #LOGS} field. */
    public static String logsJson(List<String> logs) {
        return MAPPER.valueToTree(logs).toString();
    }

    /** An HGETALL reply (RESP2 flat array or RESP3 map) as a Java map. */
    public static Map<String, String> toMap(Response response) {
        Map<String, String> map = new HashMap<>();
        if (response == null) {
            return map;
        }
        for (String key : response.getKeys()) {
            Response value = response.get(key);
            map.put(key, value == null ? null : value.toString());
        }
        return map;
    }

    /** Field/value pairs of a flat array reply, from {@code offset} (Lua replies are flat in RESP2 and RESP3). */
    public static Map<String, String> pairs(Response flat, int offset) {
        Map<String, String> map = new HashMap<>();
        for (int i = offset; i + 1 < flat.size(); i += 2) {
            map.put(flat.get(i).toString(), flat.get(i + 1).toString());
        }
        return map;
    }

    /** A task hash as a result; {@code null} when the hash is empty (absent or expired). */
    public static TaskResult fromHash(Map<String, String> hash) {
        if (hash.isEmpty()) {
            return null;
        }
        return new TaskResult(hash.get(TASK_ID), hash.get(STATUS), hash.get(OUTPUT), hash.get(ERROR),
                parseLogs(hash.get(LOGS)), hash.get(CALLER_ID), hash.get(CONTEXT_ID));
    }

    /** A reply payload: {@code {"task_id", "status", "output", "error", "logs"}}; null when it is not one. */
    public static TaskResult fromReply(String payload) {
        JsonNode reply;
        try {
            reply = MAPPER.readTree(payload);
        } catch (Exception notJson) {
            return null;
        }
        if (reply == null || !reply.isObject()) {
            return null;
        }
        List<String> logs = new ArrayList<>();
        reply.path(LOGS).forEach(line -> logs.add(line.asText()));
        return new TaskResult(reply.path(TASK_ID).asText(), reply.path(STATUS).asText(),
                textOrNull(reply.get(OUTPUT)), textOrNull(reply.get(ERROR)), logs, null, null);
    }

    /** The scope field as a JSON object (empty when absent or unreadable). */
    public static ObjectNode scope(String json) {
        if (json != null && !json.isEmpty()) {
            try {
                JsonNode scope = MAPPER.readTree(json);
                if (scope.isObject()) {
                    return (ObjectNode) scope;
                }
            } catch (Exception ignored) {
                // an unreadable scope runs the script without extra variables
            }
        }
        return JsonNodeFactory.instance.objectNode();
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static List<String> parseLogs(String json) {
        List<String> logs = new ArrayList<>();
        if (json == null || json.isEmpty()) {
            return logs;
        }
        try {
            MAPPER.readTree(json).forEach(line -> logs.add(line.asText()));
        } catch (Exception e) {
            logs.add(json);
        }
        return logs;
    }
}
