package io.circles.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.circles.dispatch.ScriptDispatcher;
import io.circles.dispatch.ScriptTask;
import io.circles.events.EventLog;
import io.circles.events.LiveChannels;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Takes a verified event into its circle, once. Order of operations:
 * <ol>
 * <li>{@code SET seen-mark queuing NX EX 30}: the first delivery wins, concurrent and later ones are duplicates;</li>
 * <li>{@code MULTI; XADD event log (and publish it live); queue the handler task; SET seen-mark = task id EX ttl; EXEC}: the event is
 * logged and its task queued together or not at all, and only then is the mark kept for the full TTL;</li>
 * <li>if step 2 fails, the mark is deleted so the provider's retry is processed; should that delete fail too
 * (Redis went away mid-way) or the process die, the in-flight mark lapses by itself after
 * {@link #IN_FLIGHT_SECONDS}, so a retry is never refused for the whole TTL.</li>
 * </ol>
 */
@Singleton
public class EventIntake {
    /** The mark's value while the delivery is being queued. */
    static final String QUEUING = "queuing";
    /** Lifetime of the mark while the delivery is being queued (far above the dispatcher's Redis time limit). */
    static final long IN_FLIGHT_SECONDS = 30;

    private final ScriptDispatcher dispatcher;
    private final RedisKeys keys;
    private final HandlerScripts handlers;
    private final WebhookConfig config;
    private final DispatchConfig dispatchConfig;
    private final EventLog eventLog;
    private final LiveChannels channels;

    public EventIntake(ScriptDispatcher dispatcher, DispatchConfig dispatchConfig, HandlerScripts handlers, WebhookConfig config,
            EventLog eventLog, LiveChannels channels) {
        this.dispatcher = dispatcher;
        this.keys = new RedisKeys(dispatchConfig);
        this.handlers = handlers;
        this.config = config;
        this.dispatchConfig = dispatchConfig;
        this.eventLog = eventLog;
        this.channels = channels;
    }

    /** What happened to a delivery. */
    public record Receipt(String eventId, String taskId, boolean duplicate) {
    }

    public Uni<Receipt> accept(String circle, WebhookEvent event) {
        String mark = keys.seen(circle, event.provider(), event.idempotencyKey());
        long ttl = config.idempotencyTtl().toSeconds();
        return dispatcher.send(Request.cmd(Command.SET).arg(mark).arg(QUEUING).arg("NX").arg("EX").arg(Math.min(ttl, IN_FLIGHT_SECONDS)), "record the event")
                .chain(first -> first == null
                        ? duplicate(mark, event)
                        // deferred: a handler that cannot be read fails the Uni, so the mark is released too
                        : Uni.createFrom().<Receipt>deferred(() -> queue(circle, event, mark, ttl))
                                .onFailure().call(() -> dispatcher.send(Request.cmd(Command.DEL).arg(mark), "release the event")
                                        .onFailure().recoverWithNull()));
    }

    private Uni<Receipt> duplicate(String mark, WebhookEvent event) {
        return dispatcher.send(Request.cmd(Command.GET).arg(mark), "read the event")
                .map(value -> new Receipt(event.idempotencyKey(), taskIdOf(value), true));
    }

    private Uni<Receipt> queue(String circle, WebhookEvent event, String mark, long ttl) {
        // the handler is a file read: off the event loop
        return Uni.createFrom().item(() -> handlers.find(circle, event.provider()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(handler -> queue(circle, event, mark, ttl, handler));
    }

    private Uni<Receipt> queue(String circle, WebhookEvent event, String mark, long ttl, Optional<String> handler) {
        return channels.publishCommand().onFailure().recoverWithItem("PUBLISH")
                .chain(publish -> queue(circle, event, mark, ttl, handler, publish));
    }

    private Uni<Receipt> queue(String circle, WebhookEvent event, String mark, long ttl, Optional<String> handler, String publish) {
        ScriptTask task = handler.map(script -> new ScriptTask(circle, event.provider(), script, dispatchConfig.replyTimeout(),
                scopeOf(event))).orElse(null);
        return dispatcher.enqueueWith(task, taskId -> {
            List<Request> commands = new ArrayList<>();
            // the log entry and its live notification in one step (see EventLog.APPEND)
            commands.add(eventLog.appendRequest(circle, config.eventLogMaxLength(), publish, event.provider(),
                    event.idempotencyKey(), event.type(), Instant.now().getEpochSecond(), taskId, event.payload().toString()));
            // no XX: once the event is queued the mark must exist, even if the in-flight one lapsed or was released
            commands.add(Request.cmd(Command.SET).arg(mark).arg(taskId == null ? "" : taskId).arg("EX").arg(ttl));
            return commands;
        }, "queue the event").map(taskId -> new Receipt(event.idempotencyKey(), taskId, false));
    }

    /** The handler's extra scope: {@code event} (the parsed body) and {@code provider}. */
    private static ObjectNode scopeOf(WebhookEvent event) {
        ObjectNode scope = JsonNodeFactory.instance.objectNode();
        scope.set("event", event.payload());
        scope.put("provider", event.provider());
        return scope;
    }

    private static String taskIdOf(Response value) {
        String text = value == null ? null : value.toString();
        return text == null || text.isEmpty() || QUEUING.equals(text) ? null : text;
    }
}
