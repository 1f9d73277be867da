package io.circles.circle;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Read-only views of a circle for its members' tools (the web app): the store's keys a page at a time, one
 * stored value, and the latest webhook events. Non-blocking (these run on the connection's event loop, unlike
 * {@link CircleStore}, which serves script threads). Who may call them is decided by the caller (same rule as
 * {@code play}); every page is bounded by {@link ReadsConfig#maxPageSize()}.
 */
@Singleton
public class CircleReads {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SCAN_COUNT = 1000;

    private final Redis redis;
    private final RedisKeys keys;
    private final ReadsConfig config;

    public CircleReads(ReactiveRedisDataSource redis, DispatchConfig dispatch, ReadsConfig config) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(dispatch);
        this.config = config;
    }

    /** The page size to use for a requested {@code limit} (null = the maximum). */
    public int pageSize(Integer limit) {
        int max = config.maxPageSize();
        return limit == null ? max : Math.max(1, Math.min(limit, max));
    }

    /**
     * Keys starting with {@code prefix} and sorting after {@code after} ("" = from the start), sorted, at most
     * {@code limit}; {@code next} is the last key when more may follow, else null. The scan is bounded by the
     * store's own key limit.
     */
    public Uni<JsonNode> storeKeys(String circle, String prefix, String after, int limit) {
        return scan(keys.data(circle), CircleStore.globEscape(prefix) + "*", "0", new ArrayList<>())
                .map(found -> keyPage(found, after, limit));
    }

    /** {@code {key, exists, value}}: the stored JSON value (a string if it is not valid JSON), or null. */
    public Uni<JsonNode> storeGet(String circle, String key) {
        return redis.send(Request.cmd(Command.HGET).arg(keys.data(circle)).arg(key)).map(value -> {
            ObjectNode out = NODES.objectNode().put("key", key).put("exists", value != null);
            out.set("value", value == null ? NODES.nullNode() : parseOrText(value.toString()));
            return out;
        });
    }

    /**
     * The latest webhook events, newest first, at most {@code limit}, older than stream id {@code before}
     * ("" = the newest); {@code next} is the id to pass as {@code before} for the next page, or null.
     */
    public Uni<JsonNode> eventLog(String circle, String before, int limit) {
        String end = before.isEmpty() ? "+" : "(" + before;
        return redis.send(Request.cmd(Command.XREVRANGE).arg(keys.events(circle)).arg(end).arg("-").arg("COUNT").arg(limit))
                .map(page -> eventPage(page, limit));
    }

    private Uni<List<String>> scan(String hash, String match, String cursor, List<String> found) {
        return redis.send(Request.cmd(Command.HSCAN).arg(hash).arg(cursor).arg("MATCH").arg(match).arg("COUNT").arg(SCAN_COUNT))
                .flatMap(page -> {
                    Response entries = page.get(1);
                    for (int i = 0; i < entries.size(); i += 2) {
                        found.add(entries.get(i).toString());
                    }
                    String next = page.get(0).toString();
                    return "0".equals(next) ? Uni.createFrom().item(found) : scan(hash, match, next, found);
                });
    }

    private static JsonNode keyPage(List<String> found, String after, int limit) {
        found.sort(null);
        ArrayNode page = NODES.arrayNode();
        String last = null;
        boolean more = false;
        for (String key : found) {
            if (key.compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(key);
            last = key;
        }
        ObjectNode out = NODES.objectNode();
        out.set("keys", page);
        out.put("next", more ? last : null);
        return out;
    }

    private static JsonNode eventPage(Response page, int limit) {
        ArrayNode events = NODES.arrayNode();
        String lastId = null;
        if (page != null) {
            for (Response entry : page) {
                lastId = entry.get(0).toString();
                ObjectNode event = NODES.objectNode().put("id", lastId);
                Response fields = entry.get(1);
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    event.put(fields.get(i).toString(), fields.get(i + 1).toString());
                }
                events.add(event);
            }
        }
        ObjectNode out = NODES.objectNode();
        out.set("events", events);
        out.put("next", events.size() == limit ? lastId : null);
        return out;
    }

    private static JsonNode parseOrText(String stored) {
        try {
            return MAPPER.readTree(stored);
        } catch (JsonProcessingException e) {
            return NODES.textNode(stored);
        }
    }
}
