package io.circles.events;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.circles.dispatch.TaskStateEvent;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The circles' live channels and how they are used. Redis 7 has sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}),
 * which a Cluster routes to the one shard owning the channel's slot; older servers (the embedded 6.2) only have
 * plain {@code PUBLISH}/{@code SUBSCRIBE}. Publishers and subscribers must agree, so both ask here; the answer is
 * looked up once ({@code COMMAND INFO SPUBLISH}) and kept.
 */
@Singleton
public class LiveChannels implements TaskStateEvent.Channels {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Redis redis;
    private final RedisKeys keys;
    private volatile Boolean sharded;

    public LiveChannels(ReactiveRedisDataSource redis, DispatchConfig dispatch) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(dispatch);
    }

    /** The circle's channel name. */
    @Override
    public String channel(String circle) {
        return keys.live(circle);
    }

    /** The circle named by a channel, or null. */
    public static String circleOf(String channel) {
        return RedisKeys.circleOf(channel);
    }

    /** Whether this Redis has sharded pub/sub. */
    public Uni<Boolean> sharded() {
        Boolean known = sharded;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return redis.send(Request.cmd(Command.COMMAND).arg("INFO").arg("SPUBLISH"))
                .ifNoItem().after(TIMEOUT).fail()
                .map(LiveChannels::hasCommand)
                .invoke(found -> sharded = found);
    }

    /** {@code SPUBLISH} or {@code PUBLISH}, as a Lua script calls it. */
    @Override
    public Uni<String> publishCommand() {
        return sharded().map(yes -> yes ? "SPUBLISH" : "PUBLISH");
    }

    @Override
    public String knownPublishCommand() {
        Boolean known = sharded;
        return known == null ? null : known ? "SPUBLISH" : "PUBLISH";
    }

    /** Blocking form of {@link #publishCommand()}, for script threads. */
    public String publishCommandNow() {
        Boolean known = sharded;
        return (known != null ? known : sharded().await().atMost(TIMEOUT)) ? "SPUBLISH" : "PUBLISH";
    }

    private static boolean hasCommand(Response info) {
        return info != null && info.size() > 0 && info.get(0) != null && info.get(0).size() > 0;
    }
}
