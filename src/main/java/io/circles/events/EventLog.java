package io.circles.events;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.circles.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The circle's webhook event log as live events: the Lua step that appends an event and publishes it in one go
 * (so a subscriber sees exactly what the log holds, with its position), and the replay of the log after a
 * position for {@code subscribe} with {@code since}.
 */
@Singleton
public class EventLog {
    /**
     * KEYS: event stream, live channel. ARGV: max length, publish command, provider, event id, type, received at
     * (epoch s), task id ("" = none), payload. Returns the new entry's id.
     */
    public static final LuaScript APPEND = new LuaScript("""
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'provider', ARGV[3], 'event_id', ARGV[4],
              'type', ARGV[5], 'received_at', ARGV[6], 'task_id', ARGV[7], 'payload', ARGV[8])
            local event = {topic = 'events', id = id, provider = ARGV[3], event_id = ARGV[4], type = ARGV[5],
              received_at = tonumber(ARGV[6])}
            if ARGV[7] ~= '' then event.task_id = ARGV[7] end
            redis.call(ARGV[2], KEYS[2], cjson.encode(event))
            return id""");

    private final Redis redis;
    private final RedisKeys keys;

    public EventLog(ReactiveRedisDataSource redis, DispatchConfig dispatch) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(dispatch);
    }

    /** The {@link #APPEND} call for a MULTI block. */
    public Request appendRequest(String circle, long maxLength, String publishCommand, String provider, String eventId,
            String type, long receivedAt, String taskId, String payload) {
        return APPEND.evalRequest(new String[] {keys.events(circle), keys.live(circle)}, maxLength, publishCommand, provider,
                eventId, type, receivedAt, taskId == null ? "" : taskId, payload);
    }

    /** Up to {@code max} entries after position {@code since}, oldest first, as {@code events} notifications. */
    public Uni<List<ObjectNode>> after(String circle, String since, int max) {
        return redis.send(Request.cmd(Command.XRANGE).arg(keys.events(circle)).arg("(" + since).arg("+").arg("COUNT").arg(max))
                .map(EventLog::entries);
    }

    private static List<ObjectNode> entries(Response page) {
        List<ObjectNode> out = new ArrayList<>();
        if (page == null) {
            return out;
        }
        for (Response entry : page) {
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            event.put("id", entry.get(0).toString());
            Response fields = entry.get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String field = fields.get(i).toString();
                String value = fields.get(i + 1).toString();
                switch (field) {
                    case "received_at" -> event.put(field, Long.parseLong(value));
                    case "task_id" -> {
                        if (!value.isEmpty()) {
                            event.put(field, value);
                        }
                    }
                    case "payload" -> { } // not sent: it can be large and the handler already saw it
                    default -> event.put(field, value);
                }
            }
            out.add(event);
        }
        return out;
    }
}
