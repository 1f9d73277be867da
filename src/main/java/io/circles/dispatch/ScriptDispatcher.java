package io.circles.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.inject.Singleton;

import io.circles.metrics.CirclesMetrics;
import io.circles.metrics.TaskTracing;
import io.circles.metrics.Traceparent;
import io.opentelemetry.api.trace.SpanKind;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Sends scripts to workers through Redis and completes each caller when its reply arrives. Used alike by the
 * WebSocket API, the webhooks and init scripts. Non-blocking end to end.
 * <p>
 * Queuing a play is one round trip: the circle's {@link TaskScripts#ENQUEUE} (task hash, caller queue, caller
 * ring, with the per-caller and per-circle quotas) announces the task as {@code pending} and, on one Redis, puts
 * the circle in the wake-up line itself. On a Cluster the line lives in another slot, so the wake-up
 * {@code ZADD circles:ready NX} follows ENQUEUE's answer; if it fails, the task is cancelled, so no queued task is
 * ever left without a wake-up.
 */
@Singleton
public class ScriptDispatcher {
    private static final int UNLIMITED = Integer.MAX_VALUE;
    private static final long UNLIMITED_BYTES = Long.MAX_VALUE / 4;

    private final RedisCalls calls;
    private final RedisKeys keys;
    private final DispatchConfig config;
    private final ReplyListener replies;
    private final TaskCancellation cancellation;
    private final CirclesMetrics metrics;
    private final TaskTracing tracing;
    private final TaskStateEvent.Channels channels;

    public ScriptDispatcher(RedisCalls calls, DispatchConfig config, ReplyListener replies, TaskCancellation cancellation,
            CirclesMetrics metrics, TaskTracing tracing, TaskStateEvent.Channels channels) {
        this.calls = calls;
        this.channels = channels;
        this.metrics = metrics;
        this.tracing = tracing;
        this.keys = new RedisKeys(config);
        this.config = config;
        this.replies = replies;
        this.cancellation = cancellation;
    }

    /**
     * Queues {@code task} and waits for its result.
     *
     * @param onQueued told the task id once the task is durably queued
     * @return the result; fails with {@link DispatchException} when Redis is unreachable, a quota refuses the
     *         task, or the wait times out (the task is then cancelled if it has not started)
     */
    public Uni<TaskResult> submit(ScriptTask task, Consumer<String> onQueued) {
        return submit(task, null, onQueued);
    }

    /**
     * As {@link #submit(ScriptTask, Consumer)}, continuing the caller's trace: the task carries the dispatcher
     * span's traceparent, so the worker's span joins the same trace.
     */
    public Uni<TaskResult> submit(ScriptTask task, Traceparent parent, Consumer<String> onQueued) {
        return Uni.createFrom().completionStage(() -> start(task, parent, onQueued));
    }

    /**
     * A play's way, on futures rather than Mutiny operators (each of those captures and restores the thread context,
     * which cost about a fifth of a play's CPU): register for the reply, queue, wait with the caller's deadline.
     */
    private CompletableFuture<TaskResult> start(ScriptTask task, Traceparent parent, Consumer<String> onQueued) {
        String taskId = UUID.randomUUID().toString();
        TaskTracing.Hop hop = tracing.start("circles dispatch", SpanKind.PRODUCER, parent, task.circle(), "play").taskId(taskId);
        CompletableFuture<TaskResult> reply = replies.expect(taskId, task.circle(), task.callerId());
        CompletableFuture<TaskResult> outcome = new CompletableFuture<>();
        Future<Void> queuing;
        try {
            queuing = queue(task, taskId, Quota.of(config), hop.traceparent());
        } catch (RuntimeException e) {
            queuing = Future.failedFuture(e);
        }
        queuing.onComplete(queued -> {
            try {
                if (queued.failed()) {
                    replies.forget(taskId);
                    outcome.completeExceptionally(queued.cause());
                    return;
                }
                metrics.taskQueued("play");
                onQueued.accept(taskId);
            } catch (RuntimeException e) {
                replies.forget(taskId);
                outcome.completeExceptionally(e);
                return;
            }
            reply.orTimeout(task.timeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((result, failure) -> {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (cause == null) {
                    outcome.complete(result);
                } else {
                    outcome.completeExceptionally(cause instanceof TimeoutException ? timedOut(task, taskId) : cause);
                }
            });
        });
        outcome.whenComplete((result, failure) -> hop.end(failure == null ? result.status() : "not_answered"));
        return outcome;
    }

    /**
     * Queues {@code task} without waiting (webhooks), in one transaction with {@code alongside}: commands on the
     * same circle's keys, made knowing the new task id, that must succeed or fail together with the queuing.
     * With a null task only {@code alongside} runs. Yields the task id, or null without a task.
     */
    public Uni<String> enqueueWith(ScriptTask task, Function<String, List<Request>> alongside, String what) {
        String taskId = task == null ? null : UUID.randomUUID().toString();
        List<Request> batch = new ArrayList<>();
        batch.add(Request.cmd(Command.MULTI));
        batch.addAll(alongside.apply(taskId));
        TaskTracing.Hop hop = null;
        if (task != null) {
            // a webhook starts its own trace; the span covers the queuing, the worker's span joins it
            hop = tracing.start("circles webhook dispatch", SpanKind.PRODUCER, null, task.circle(), task.callerId()).taskId(taskId);
            // inside MULTI a NOSCRIPT error cannot be retried, so the source travels in full (webhooks are rare)
            batch.add(TaskScripts.ENQUEUE.evalRequest(enqueueKeys(task, taskId, false),
                    enqueueArgs(task, taskId, Quota.NONE, hop.traceparent(), null)));
        }
        batch.add(Request.cmd(Command.EXEC));
        Uni<String> queued = calls.guarded(calls.redis().batch(batch), what)
                .chain(replies -> failedInside(replies.get(replies.size() - 1)) ? undo(task, taskId, what) : Uni.createFrom().item(taskId));
        if (task == null) {
            return queued;
        }
        TaskTracing.Hop span = hop;
        return queued.call(() -> Uni.createFrom().completionStage(() -> signal(task, taskId).toCompletionStage()))
                .invoke(() -> metrics.taskQueued("webhook"))
                .onItemOrFailure().invoke((id, failure) -> span.end(failure == null ? "ok" : "not_queued"));
    }

    /**
     * Whether a command inside an EXEC failed at run time. Redis runs the rest of a transaction when one of its
     * commands (or a script's {@code redis.call}) fails after queuing, so the caller must check each reply.
     */
    private static boolean failedInside(Response exec) {
        if (exec == null) {
            return true; // the transaction was discarded
        }
        for (Response reply : exec) {
            if (reply != null && reply.type() == io.vertx.redis.client.ResponseType.ERROR) {
                return true;
            }
        }
        return false;
    }

    /** Takes back the task of a transaction that failed half-way, then fails as unavailable (webhooks: 503, retried). */
    private Uni<String> undo(ScriptTask task, String taskId, String what) {
        Uni<Void> removed = task == null ? Uni.createFrom().voidItem()
                : cancelQuietly(task, taskId).chain(() -> calls.send(Request.cmd(Command.UNLINK).arg(keys.task(task.circle(), taskId)), what)
                        .onFailure().recoverWithNull()).replaceWithVoid();
        return removed.chain(() -> Uni.createFrom().failure(new DispatchException(DispatchException.Kind.UNAVAILABLE,
                "Dispatcher unavailable: could not " + what, null, null)));
    }

    /** Runs one command with the dispatcher's time limit and error mapping. */
    public Uni<Response> send(Request request, String what) {
        return calls.send(request, what);
    }

    /** Reads a task's hash; yields {@code null} when it does not exist (or expired). */
    public Uni<TaskResult> status(String circle, String taskId) {
        return calls.send(Request.cmd(Command.HGETALL).arg(keys.task(circle, taskId)), "read the task")
                .map(response -> TaskHash.fromHash(TaskHash.toMap(response)));
    }

    /** What {@link TaskScripts#ENQUEUE} lets one caller queue: plays get the configured quotas, webhooks none. */
    private record Quota(int tasks, long callerBytes, long circleBytes) {
        static final Quota NONE = new Quota(UNLIMITED, UNLIMITED_BYTES, UNLIMITED_BYTES);

        static Quota of(DispatchConfig config) {
            return new Quota(config.maxQueuedPerCaller(), config.maxQueuedBytesPerCaller().asLongValue(),
                    config.maxQueuedBytesPerCircle().asLongValue());
        }
    }

    /**
     * ENQUEUE and, on a Cluster, the wake-up; fails with a refusal (busy), or as unavailable once the task is
     * cancelled again when Redis failed half-way.
     */
    private Future<Void> queue(ScriptTask task, String taskId, Quota quota, Traceparent traceparent) {
        String known = channels.knownPublishCommand();
        Future<String> publish = known != null ? Future.succeededFuture(known)
                : Future.fromCompletionStage(channels.publishCommand().onFailure().recoverWithNull().subscribeAsCompletionStage());
        return publish.compose(command -> calls.direct(() -> TaskScripts.ENQUEUE.runDirect(calls.bare(),
                        enqueueKeys(task, taskId, !calls.cluster()), enqueueArgs(task, taskId, quota, traceparent, command)), "queue the script"))
                .recover(failure -> cancelled(task, taskId).transform(ignored -> Future.failedFuture(failure)))
                .compose(response -> {
                    long verdict = response.toLong();
                    if (verdict != 1) {
                        return Future.failedFuture(refusal(verdict, quota)); // refused: nothing was queued
                    }
                    return calls.cluster() ? signal(task, taskId) : Future.succeededFuture();
                });
    }

    /**
     * The wake-up sent once a queuing step has answered: after a play's ENQUEUE on a Cluster (the line lives in another
     * slot; sent side by side, it could reach Redis first, and a worker that found the circle empty would drop it
     * from the line before the task arrived), and after every webhook's transaction. If it fails, the task is
     * cancelled and the caller told the dispatcher is unavailable: no queued task is left without a wake-up.
     */
    private Future<Void> signal(ScriptTask task, String taskId) {
        return calls.direct(() -> calls.bare().send(TaskScripts.wakeUp(keys, task.circle()).getDelegate()), "signal the workers")
                .<Void>mapEmpty()
                .recover(failure -> cancelled(task, taskId).transform(ignored -> Future.failedFuture(failure)));
    }

    private Future<Boolean> cancelled(ScriptTask task, String taskId) {
        return Future.fromCompletionStage(cancelQuietly(task, taskId).subscribeAsCompletionStage());
    }


    private static DispatchException refusal(long verdict, Quota quota) {
        return busy(switch ((int) verdict) {
            case 0 -> "you have " + quota.tasks() + " tasks queued in this circle";
            case -2 -> "your queued scripts in this circle would pass " + quota.callerBytes() + " bytes";
            case -3 -> "the scripts queued in this circle would pass " + quota.circleBytes() + " bytes";
            default -> "too many callers are waiting in this circle";
        });
    }

    /** ENQUEUE's keys; with the wake-up line (one Redis only) the step puts the circle in line itself. */
    private String[] enqueueKeys(ScriptTask task, String taskId, boolean withLine) {
        String circle = task.circle();
        String[] circleKeys = {keys.task(circle, taskId), keys.callerQueue(circle, task.callerId()), keys.callers(circle), keys.queuedBytes(circle)};
        if (!withLine) {
            return circleKeys;
        }
        String[] all = java.util.Arrays.copyOf(circleKeys, circleKeys.length + 1);
        all[circleKeys.length] = keys.ready();
        return all;
    }

    /** ENQUEUE's arguments; {@code publishCommand} null: no {@code pending} announcement (webhooks). */
    private Object[] enqueueArgs(ScriptTask task, String taskId, Quota quota, Traceparent traceparent, String publishCommand) {
        Map<String, String> fields = TaskHash.pending(taskId, task, replies.replyKey(), Instant.now().getEpochSecond());
        fields.put(TaskHash.TRACEPARENT, traceparent.format());
        List<Object> args = new ArrayList<>(List.of(taskId, task.callerId(), quota.tasks(), config.maxWaitingCallersPerCircle(),
                config.taskTtl().toSeconds(), quota.callerBytes(), quota.circleBytes(), task.circle(), System.currentTimeMillis()));
        args.addAll(List.of(publishCommand == null ? TaskStateEvent.args(null, null, null) : TaskStateEvent.args(publishCommand,
                channels.channel(task.circle()), TaskStateEvent.json(taskId, task.callerId(), TaskStateEvent.PENDING, null))));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        return args.toArray();
    }

    private DispatchException timedOut(ScriptTask task, String taskId) {
        replies.forget(taskId);
        String reason = "cancelled: the caller stopped waiting after " + task.timeout().toMillis() + " ms";
        cancellation.cancel(task.circle(), task.callerId(), taskId, reason, false).subscribe().with(ok -> { }, e -> { });
        return new DispatchException(DispatchException.Kind.TIMEOUT, "Script did not finish within " + task.timeout().toMillis()
                + " ms; ask task_status later", taskId, null);
    }

    private Uni<Boolean> cancelQuietly(ScriptTask task, String taskId) {
        return cancellation.cancel(task.circle(), task.callerId(), taskId, "cancelled: could not signal the workers", false)
                .onFailure().recoverWithItem(false);
    }

    private static DispatchException busy(String why) {
        return new DispatchException(DispatchException.Kind.BUSY, "Busy: " + why + "; wait for results before sending more", null, null);
    }
}
