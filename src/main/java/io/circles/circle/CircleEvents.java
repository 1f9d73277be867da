package io.circles.circle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/** Reads a circle's webhook event log (the stream written by the webhook intake), newest first. */
@Singleton
public class CircleEvents {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int PAGE = 200;
    /** Most entries one call may return. */
    public static final int MAX_COUNT = 1000;

    private final Redis redis;
    private final RedisKeys keys;

    public CircleEvents(ReactiveRedisDataSource redis, DispatchConfig dispatch) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(dispatch);
    }

    /**
     * Up to {@code count} entries of {@code provider} ("" or "*" for every provider), newest first, each as its
     * stream fields ({@code provider, event_id, type, received_at, task_id, payload}) plus {@code id}.
     */
    public List<Map<String, String>> latest(String circle, String provider, int count) {
        int wanted = Math.max(0, Math.min(count, MAX_COUNT));
        boolean any = provider.isEmpty() || provider.equals("*");
        List<Map<String, String>> out = new ArrayList<>();
        String end = "+";
        while (out.size() < wanted) {
            Response page = redis.send(Request.cmd(Command.XREVRANGE).arg(keys.events(circle)).arg(end).arg("-").arg("COUNT").arg(PAGE))
                    .await().atMost(TIMEOUT);
            if (page == null || page.size() == 0) {
                break;
            }
            for (Response entry : page) {
                Map<String, String> fields = fields(entry);
                if ((any || provider.equals(fields.get("provider"))) && out.size() < wanted) {
                    out.add(fields);
                }
                end = "(" + entry.get(0).toString();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return out;
    }

    private static Map<String, String> fields(Response entry) {
        Map<String, String> fields = new TreeMap<>();
        fields.put("id", entry.get(0).toString());
        Response values = entry.get(1);
        for (int i = 0; i + 1 < values.size(); i += 2) {
            fields.put(values.get(i).toString(), values.get(i + 1).toString());
        }
        return fields;
    }
}
