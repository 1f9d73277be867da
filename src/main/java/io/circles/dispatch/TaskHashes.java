package io.circles.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.mutiny.redis.client.Response;

/** Conversions between task hashes / reply payloads on the wire and {@link TaskResult}. */
public final class TaskHashes {
    private TaskHashes() {
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

    /** A task hash as a result; {@code null} when the hash is empty (absent or expired). */
    public static TaskResult fromHash(Map<String, String> hash, ObjectMapper mapper) {
        if (hash.isEmpty()) {
            return null;
        }
        return new TaskResult(hash.get("task_id"), hash.get("status"), hash.get("output"), hash.get("error"),
                parseLogs(hash.get("logs"), mapper), hash.get("caller_id"), hash.get("context_id"));
    }

    /** A reply payload pushed by a worker: {@code {"task_id", "status", "output", "error", "logs"}}. */
    public static TaskResult fromReply(JsonNode reply) {
        List<String> logs = new ArrayList<>();
        reply.path("logs").forEach(line -> logs.add(line.asText()));
        return new TaskResult(reply.path("task_id").asText(), reply.path("status").asText(),
                textOrNull(reply.get("output")), textOrNull(reply.get("error")), logs, null, null);
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static List<String> parseLogs(String json, ObjectMapper mapper) {
        List<String> logs = new ArrayList<>();
        if (json == null || json.isEmpty()) {
            return logs;
        }
        try {
            mapper.readTree(json).forEach(line -> logs.add(line.asText()));
        } catch (Exception e) {
            logs.add(json);
        }
        return logs;
    }
}
