package io.circles.webhook;

import static io.circles.webhook.WebhookTraffic.newEventId;
import static io.circles.webhook.WebhookTraffic.stripeEvent;
import static io.circles.webhook.WebhookTraffic.stripeHeader;
import static io.circles.webhook.WebhookTraffic.stripeMark;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.circles.circle.CircleEvents;
import io.circles.redis.EmbeddedRedis;
import io.circles.redis.RedisLocator;
import io.circles.support.RawRedis;
import io.circles.support.TestCircles;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.Command;

/**
 * Redis unavailable, or failing half-way through the intake: the provider gets 503, nothing is half-written,
 * and the idempotency mark never blocks its retry. Kept apart because it stops Redis and changes its ACL;
 * both are always restored, and each test waits until Redis answers again.
 */
@QuarkusTest
class WebhookRedisOutageTest {
    /** Circle B has a Stripe handler, so a delivery there queues a task as well as logging the event. */
    private static final String B = TestCircles.CIRCLE_B;

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisLocator locator;

    @Inject
    ReactiveRedisDataSource redisSource;

    @Inject
    CircleEvents events;

    RawRedis redis;
    WebhookTraffic hooks;

    @BeforeEach
    void connect() {
        redis = new RawRedis(redisSource.getRedis());
        hooks = new WebhookTraffic(base, redis, events);
    }

    @AfterEach
    void redisIsBack() {
        locator.embedded().ifPresent(EmbeddedRedis::restart);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "PONG".equals(redis.string(Command.PING)));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "OK".equals(redis.string(Command.ACL, "SETUSER", "default", "on", "+@all")));
    }

    private static JsonPath ok(Response response) {
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath();
    }

    @Test
    void redis_down_is_503_within_seconds_and_the_retry_after_it_returns_is_processed() {
        EmbeddedRedis embedded = locator.embedded().orElseThrow();
        String id = newEventId();
        byte[] body = stripeEvent(id, 99);

        embedded.stop();
        try {
            long started = System.nanoTime();
            Response refused = hooks.stripe(B, stripeHeader(body), body);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(503, refused.statusCode(), refused.asString());
            assertTrue(refused.jsonPath().getString("error").contains("retry"), refused.asString());
            assertTrue(millis < 3000, "answered in " + millis + " ms");
        } finally {
            embedded.restart();
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "PONG".equals(redis.string(Command.PING)));

        // the provider retries (re-signed): processed as a first delivery, exactly once
        JsonPath retry = ok(hooks.stripe(B, stripeHeader(body), body));
        assertFalse(retry.getBoolean("duplicate"));
        String taskId = retry.getString("task_id");
        assertEquals(List.of(taskId), hooks.tasksMentioning(id));
        assertEquals(1, hooks.logged(B, "stripe", id).size());
        await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(hooks.task(taskId).get("status")));
        assertTrue(ok(hooks.stripe(B, stripeHeader(body), body)).getBoolean("duplicate"));
    }

    @Test
    void when_queuing_fails_after_the_mark_is_taken_nothing_is_written_and_the_retry_is_processed() {
        String id = newEventId();
        byte[] body = stripeEvent(id, 55);
        // XADD refused: the MULTI is aborted (EXECABORT) after SET NX took the mark
        assertEquals("OK", redis.string(Command.ACL, "SETUSER", "default", "-xadd"));
        Response refused;
        try {
            refused = hooks.stripe(B, stripeHeader(body), body);
        } finally {
            redis.string(Command.ACL, "SETUSER", "default", "+@all");
        }
        assertEquals(503, refused.statusCode(), refused.asString());
        assertNull(redis.string(Command.GET, stripeMark(B, id)), "the mark was released");
        assertEquals(List.of(), hooks.tasksMentioning(id), "no task hash");
        assertEquals(0, hooks.logged(B, "stripe", id).size(), "no event log entry");

        JsonPath retry = ok(hooks.stripe(B, stripeHeader(body), body));
        assertFalse(retry.getBoolean("duplicate"));
        assertEquals(List.of(retry.getString("task_id")), hooks.tasksMentioning(id));
        assertEquals(1, hooks.logged(B, "stripe", id).size());
    }

    @Test
    void a_mark_left_behind_by_a_failed_intake_lapses_within_seconds_not_days() {
        String id = newEventId();
        byte[] body = stripeEvent(id, 56);
        // the queuing fails and so does the release (as when Redis goes away between the two)
        assertEquals("OK", redis.string(Command.ACL, "SETUSER", "default", "-xadd", "-del"));
        Response refused;
        try {
            refused = hooks.stripe(B, stripeHeader(body), body);
        } finally {
            redis.string(Command.ACL, "SETUSER", "default", "+@all");
        }
        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals(EventIntake.QUEUING, redis.string(Command.GET, stripeMark(B, id)));
        long ttl = Long.parseLong(redis.string(Command.TTL, stripeMark(B, id)));
        assertTrue(ttl > 0 && ttl <= EventIntake.IN_FLIGHT_SECONDS, "in-flight mark TTL " + ttl + " s");
        assertEquals(List.of(), hooks.tasksMentioning(id));
        assertEquals(0, hooks.logged(B, "stripe", id).size());

        // while it lasts, a delivery counts as a duplicate of the one in flight; once it lapses, the retry is processed
        JsonPath during = ok(hooks.stripe(B, stripeHeader(body), body));
        assertTrue(during.getBoolean("duplicate"));
        assertNull(during.getString("task_id"));
        redis.cmd(Command.PEXPIRE, stripeMark(B, id), 1); // stand-in for waiting IN_FLIGHT_SECONDS
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.string(Command.GET, stripeMark(B, id)) == null);
        JsonPath retry = ok(hooks.stripe(B, stripeHeader(body), body));
        assertFalse(retry.getBoolean("duplicate"));
        assertEquals(1, hooks.logged(B, "stripe", id).size());
    }
}
