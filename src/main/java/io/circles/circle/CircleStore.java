package io.circles.circle;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.circles.events.LiveChannels;
import io.circles.events.LiveEvent;
import io.circles.events.SubscriptionConfig;
import io.circles.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * A circle's persistent key-value store: one Redis hash per circle ({@code circles:data:<pk>}) of JSON
 * values, plus a byte counter. Writes run as Lua scripts so the limit checks and the write are one atomic
 * step: a write over a limit changes nothing. Called from script threads (blocking is fine there).
 */
@Singleton
public class CircleStore {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /*
     * Each write also publishes its live notification (ARGV: publish command, message JSON) to the circle's
     * channel (KEYS[3], same hash tag), in the same atomic step: only a write that happened is announced.
     */

    /** KEYS: hash, bytes counter, channel. ARGV: field, value, max keys, max bytes, publish, message. Returns 1, or -1 (keys) / -2 (bytes). */
    private static final LuaScript SET = new LuaScript("""
            local old = redis.call('HSTRLEN', KEYS[1], ARGV[1])
            local exists = redis.call('HEXISTS', KEYS[1], ARGV[1])
            if exists == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
            local total = tonumber(redis.call('GET', KEYS[2]) or '0') + string.len(ARGV[2]) - old
            if total > tonumber(ARGV[4]) then return -2 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SET', KEYS[2], total)
            redis.call(ARGV[5], KEYS[3], ARGV[6])
            return 1""");

    /** KEYS: hash, bytes counter, channel. ARGV: field, publish, message. Returns 1 when a key was deleted. */
    private static final LuaScript DELETE = new LuaScript("""
            local old = redis.call('HSTRLEN', KEYS[1], ARGV[1])
            local removed = redis.call('HDEL', KEYS[1], ARGV[1])
            if removed == 1 then
              redis.call('DECRBY', KEYS[2], old)
              redis.call(ARGV[2], KEYS[3], ARGV[3])
            end
            return removed""");

    /**
     * KEYS: hash, bytes counter, channel. ARGV: field, by, max keys, max bytes, publish, message (a JSON object
     * the new value is appended to). Returns the new value or an error.
     */
    private static final LuaScript INCR = new LuaScript("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current == false then
              if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return redis.error_reply('LIMIT keys') end
            elseif not string.match(current, '^%-?%d+$') then
              return redis.error_reply('NOTINT')
            end
            local old = current and string.len(current) or 0
            local value = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
            local total = tonumber(redis.call('GET', KEYS[2]) or '0') + string.len(tostring(value)) - old
            if total > tonumber(ARGV[4]) then
              if current == false then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], current) end
              return redis.error_reply('LIMIT bytes')
            end
            redis.call('SET', KEYS[2], total)
            redis.call(ARGV[5], KEYS[3], string.sub(ARGV[6], 1, -2) .. ',"value":' .. value .. '}')
            return value""");

    private final Redis redis;
    private final RedisKeys keys;
    private final StoreConfig config;
    private final LiveChannels channels;
    private final int maxInlineValueBytes;

    public CircleStore(ReactiveRedisDataSource redis, DispatchConfig dispatch, StoreConfig config, LiveChannels channels,
            SubscriptionConfig subscriptions) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(dispatch);
        this.config = config;
        this.channels = channels;
        this.maxInlineValueBytes = subscriptions.maxInlineValueBytes();
    }

    /** The JSON text stored under {@code key}, or null. */
    public String get(String circle, String key) {
        Response value = send(Request.cmd(Command.HGET).arg(keys.data(circle)).arg(checkKey(key)));
        return value == null ? null : value.toString();
    }

    /** Stores JSON text; throws {@link StoreException} (nothing written) when a limit would be exceeded. */
    public void set(TaskContext task, String key, String json) {
        String circle = task.circle();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.maxValueBytes()) {
            throw new StoreException("value of " + bytes + " bytes exceeds the limit of " + config.maxValueBytes());
        }
        long result = run(SET, circle, checkKey(key), json, config.maxKeys(), config.maxBytes(), channels.publishCommandNow(),
                change("set", key, task.caller(), bytes <= maxInlineValueBytes ? json : null)).toLong();
        if (result == -1) {
            throw new StoreException("the circle already holds the maximum of " + config.maxKeys() + " keys");
        }
        if (result == -2) {
            throw new StoreException("the circle's store would exceed " + config.maxBytes() + " bytes");
        }
    }

    public boolean delete(TaskContext task, String key) {
        return run(DELETE, task.circle(), checkKey(key), channels.publishCommandNow(), change("delete", key, task.caller(), null))
                .toLong() == 1;
    }

    /** Atomically adds {@code by} to an integer value (absent counts as 0) and returns the result. */
    public long increment(TaskContext task, String key, long by) {
        try {
            return run(INCR, task.circle(), checkKey(key), by, config.maxKeys(), config.maxBytes(), channels.publishCommandNow(),
                    change("incr", key, task.caller(), null)).toLong();
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("NOTINT")) {
                throw new StoreException("db_incr: the value of '" + key + "' is not an integer");
            }
            if (message.contains("LIMIT")) {
                throw new StoreException("db_incr: the circle's store limit would be exceeded");
            }
            if (message.contains("overflow")) {
                throw new StoreException("db_incr: integer overflow");
            }
            throw e;
        }
    }

    /** Keys starting with {@code prefix}, sorted. */
    public List<String> keys(String circle, String prefix) {
        List<String> found = new ArrayList<>();
        String cursor = "0";
        do {
            Response page = send(Request.cmd(Command.HSCAN).arg(keys.data(circle)).arg(cursor)
                    .arg("MATCH").arg(globEscape(prefix) + "*").arg("COUNT").arg(1000));
            cursor = page.get(0).toString();
            Response entries = page.get(1);
            for (int i = 0; i < entries.size(); i += 2) {
                found.add(entries.get(i).toString());
            }
        } while (!"0".equals(cursor));
        found.sort(null);
        return found;
    }

    /** Runs a store script on the circle's hash, byte counter and live channel. */
    private Response run(LuaScript script, String circle, Object... args) {
        String hash = keys.data(circle);
        return script.run(redis::send, new String[] {hash, hash + ":bytes", keys.live(circle)}, args).await().atMost(TIMEOUT);
    }

    /**
     * The live {@code store} notification of a write: key, operation, who wrote it, and the value when small
     * (raw JSON text spliced in, so it is not parsed again). The task id is not known here yet.
     */
    private static String change(String op, String key, String caller, String valueJson) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("topic", LiveEvent.STORE);
        message.put("key", key);
        message.put("op", op);
        if (caller != null && !caller.isEmpty()) {
            message.put("caller", caller);
        }
        String text = message.toString();
        return valueJson == null ? text : text.substring(0, text.length() - 1) + ",\"value\":" + valueJson + "}";
    }

    private String checkKey(String key) {
        if (key.length() > config.maxKeyLength()) {
            throw new StoreException("key longer than " + config.maxKeyLength() + " characters");
        }
        return key;
    }

    /** Escapes Redis glob characters so a prefix matches literally. */
    static String globEscape(String prefix) {
        StringBuilder out = new StringBuilder(prefix.length());
        for (char c : prefix.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(TIMEOUT);
    }

    /** A store operation refused by a limit or a type check; the script sees it as a runtime error. */
    public static class StoreException extends RuntimeException {
        public StoreException(String message) {
            super(message);
        }
    }
}
