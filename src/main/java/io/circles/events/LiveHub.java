package io.circles.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * This instance's one door to live events: ONE Redis pub/sub connection for all circles and all subscribers.
 * A circle's channel is subscribed while at least one local subscription of that circle exists (reference
 * counted by the subscription list) and unsubscribed with the last; each message is parsed once and fanned out
 * here to the circle's subscriptions, each of which queues it in its connection's bounded {@link Subscriber}.
 * So Redis sees one connection and one subscription per circle per instance, however many clients listen.
 * When the connection drops, it reconnects with backoff and subscribes every circle again; events published
 * meanwhile are not seen live (webhook events can be replayed with {@code since}).
 */
@Singleton
public class LiveHub {
    private static final Logger LOG = Logger.getLogger(LiveHub.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Redis redis;
    private final LiveChannels channels;
    private final Map<String, List<Subscription>> byCircle = new ConcurrentHashMap<>();
    private RedisConnection connection;
    private boolean connecting;
    private boolean stopped;
    private boolean sharded;

    public LiveHub(ReactiveRedisDataSource redis, LiveChannels channels) {
        this.redis = redis.getRedis();
        this.channels = channels;
    }

    /** Starts delivering the circle's events to {@code subscription}. */
    public synchronized void add(Subscription subscription) {
        List<Subscription> list = byCircle.computeIfAbsent(subscription.circle(), c -> new CopyOnWriteArrayList<>());
        list.add(subscription);
        if (list.size() == 1 && connection != null) {
            command(connection, "SUBSCRIBE", subscription.circle());
        }
        if (connection == null) {
            connect(Duration.ZERO);
        }
    }

    /** Stops delivering to {@code subscription}; the last one of a circle unsubscribes its channel. */
    public synchronized void remove(Subscription subscription) {
        List<Subscription> list = byCircle.get(subscription.circle());
        if (list == null || !list.remove(subscription) || !list.isEmpty()) {
            return;
        }
        byCircle.remove(subscription.circle());
        if (connection != null) {
            command(connection, "UNSUBSCRIBE", subscription.circle());
        }
    }

    /** Circles with at least one subscription here (their channels are subscribed). */
    public int circleCount() {
        return byCircle.size();
    }

    /** Whether the pub/sub connection is up. */
    public synchronized boolean connected() {
        return connection != null;
    }

    private synchronized void connect(Duration delay) {
        if (connecting || stopped) {
            return;
        }
        connecting = true;
        Uni<Void> wait = delay.isZero() ? Uni.createFrom().voidItem() : Uni.createFrom().voidItem().onItem().delayIt().by(delay);
        wait.chain(channels::sharded)
                .chain(yes -> {
                    sharded = yes;
                    return redis.connect();
                })
                .subscribe().with(this::connected, failure -> {
                    LOG.debugf("Live events cannot reach Redis (%s); retrying", failure.getClass().getSimpleName());
                    synchronized (this) {
                        connecting = false;
                    }
                    connect(Duration.ofMillis(Math.max(100, Math.min(2000, delay.toMillis() * 2))));
                });
    }

    private synchronized void connected(RedisConnection conn) {
        connecting = false;
        if (stopped) {
            conn.close().subscribe().with(ok -> { }, e -> { });
            return;
        }
        connection = conn;
        conn.handler(this::onMessage);
        conn.exceptionHandler(e -> lost(conn));
        conn.endHandler(() -> lost(conn));
        byCircle.keySet().forEach(circle -> command(conn, "SUBSCRIBE", circle));
    }

    private synchronized void lost(RedisConnection conn) {
        if (connection != conn) {
            return;
        }
        connection = null;
        conn.close().subscribe().with(ok -> { }, e -> { });
        LOG.debugf("Live events lost Redis; reconnecting");
        if (!byCircle.isEmpty()) {
            connect(Duration.ofMillis(100));
        }
    }

    /** (S)SUBSCRIBE or (S)UNSUBSCRIBE one channel: one channel per command, as a Cluster routes by slot. */
    private void command(RedisConnection conn, String verb, String circle) {
        String name = (sharded ? "S" : "") + verb;
        conn.send(Request.cmd(io.vertx.mutiny.redis.client.Command.create(name)).arg(channels.channel(circle)))
                .subscribe().with(ok -> { }, failure -> {
                    LOG.debugf("%s failed: %s", name, failure.getClass().getSimpleName());
                    lost(conn);
                });
    }

    /** A push from Redis: {@code [message|smessage, channel, payload]}; confirmations are ignored. */
    void onMessage(Response push) {
        if (push == null || push.size() < 3) {
            return;
        }
        String kind = push.get(0).toString();
        if (!"message".equals(kind) && !"smessage".equals(kind)) {
            return;
        }
        List<Subscription> list = byCircle.get(LiveChannels.circleOf(push.get(1).toString()));
        if (list == null || list.isEmpty()) {
            return;
        }
        LiveEvent event = parse(push.get(2).toString());
        if (event != null) {
            list.forEach(subscription -> subscription.deliver(event));
        }
    }

    private static LiveEvent parse(String payload) {
        try {
            JsonNode message = MAPPER.readTree(payload);
            return message instanceof ObjectNode object ? LiveEvent.of(object) : null;
        } catch (Exception e) {
            LOG.debugf("Ignoring a live message that is not JSON");
            return null;
        }
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (connection != null) {
            connection.close().subscribe().with(ok -> { }, e -> { });
            connection = null;
        }
    }
}
