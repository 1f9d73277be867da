package io.circles.events;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.dispatch.TaskStateEvent;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * Publishes a live event to a circle's channel from Java (task states). Store changes and webhook events are
 * published by the Lua scripts that write them, atomically with the write. Live events are best effort: a
 * failure is logged at debug level and never fails the caller's operation.
 */
@Singleton
public class LivePublisher {
    private static final Logger LOG = Logger.getLogger(LivePublisher.class);
    /** Made once: {@code Command.create} builds a new command descriptor on every call. */
    private static final Command SPUBLISH = Command.create("SPUBLISH");
    private static final Command PUBLISH = Command.PUBLISH;

    private final Redis redis;
    private final LiveChannels channels;

    public LivePublisher(ReactiveRedisDataSource redis, LiveChannels channels) {
        this.redis = redis.getRedis();
        this.channels = channels;
    }

    /** Publishes {@code message} (which names its {@code topic}) to the circle's channel, without waiting. */
    public void publish(String circle, ObjectNode message) {
        publish(circle, message.toString());
    }

    /** Publishes a message already in JSON text to the circle's channel, without waiting. */
    public void publish(String circle, String message) {
        channels.publishCommand()
                .chain(command -> redis.send(Request.cmd("SPUBLISH".equals(command) ? SPUBLISH : PUBLISH)
                        .arg(channels.channel(circle)).arg(message)))
                .subscribe().with(ok -> { }, failure -> LOG.debugf("Could not publish a live event: %s", failure.getClass().getSimpleName()));
    }

    /** A task of {@code caller} changed state outside the dispatch steps (a time-out, an outage, a lost worker). */
    public void taskState(String circle, String caller, String taskId, String status, String error) {
        publish(circle, TaskStateEvent.json(taskId, caller, status, error));
    }
}
