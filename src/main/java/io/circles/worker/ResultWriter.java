package io.circles.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.circles.dispatch.RedisKeys;
import io.circles.dispatch.TaskHash;
import io.circles.dispatch.TaskScripts;
import io.circles.dispatch.TaskStateEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;

/**
 * Writes the worker's results to Redis, batching those that finish close together.
 * <p>
 * One write is in flight at a time; results that end meanwhile wait for it and then go together, one
 * {@link TaskScripts#FINISH} per circle. So a lone result is written at once (no added latency), while under load
 * one round trip and one script call carry many results: the write cost per task falls as the load rises, which
 * is what lets quick scripts run at the rate Redis can take them. Circles are written side by side; a circle whose
 * write fails is retried with backoff (results are small) without holding back the others.
 */
final class ResultWriter {
    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    /** Results of one flush at most; the rest go in the next, right after. */
    private static final int MAX_PER_FLUSH = 1024;
    private static final int MAX_ATTEMPTS = 30;

    /** A finished task's outcome, ready to write: everything {@link TaskScripts#FINISH} needs of it. */
    record Result(String circle, String taskId, String replyQueue, TaskHash.Status status, String field, String text,
            String logs, String announcement, String reply, int attempt) {
        Result retried() {
            return new Result(circle, taskId, replyQueue, status, field, text, logs, announcement, reply, attempt + 1);
        }

        boolean replies() {
            return replyQueue != null && !replyQueue.isEmpty();
        }
    }

    private final Redis redis;
    private final RedisKeys keys;
    private final boolean cluster;
    private final String workerId;
    private final long finishedTtlSeconds;
    private final TaskStateEvent.Channels channels;
    private final ScheduledExecutorService retries;
    private final Queue<Result> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    /** Results handed in and not yet written (or given up on); shutdown waits for this to reach zero. */
    private final AtomicInteger unwritten = new AtomicInteger();

    ResultWriter(Redis redis, RedisKeys keys, boolean cluster, String workerId, Duration finishedTtl,
            TaskStateEvent.Channels channels, ScheduledExecutorService retries) {
        this.redis = redis;
        this.keys = keys;
        this.cluster = cluster;
        this.workerId = workerId;
        this.finishedTtlSeconds = finishedTtl.toSeconds();
        this.channels = channels;
        this.retries = retries;
    }

    /** Hands a result over; it is written with the next flush (at once when none is in flight). */
    void write(Result result) {
        unwritten.incrementAndGet();
        enqueue(result);
    }

    private void enqueue(Result result) {
        queue.add(result);
        kick();
    }

    /** Results not yet in Redis. */
    int unwritten() {
        return unwritten.get();
    }

    /** Starts a flush unless one is in flight; the one in flight calls this again when it ends. */
    private void kick() {
        if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        List<Result> batch = new ArrayList<>();
        for (Result next; batch.size() < MAX_PER_FLUSH && (next = queue.poll()) != null;) {
            batch.add(next);
        }
        flush(batch); // never empty: only the holder of the write polls the queue
    }

    private void flush(List<Result> batch) {
        channels.publishCommand().onFailure().recoverWithNull() // no announcements while Redis cannot say which command
                .chain(publish -> Uni.join().all(byCircle(batch).entrySet().stream()
                        .map(circle -> writeCircle(circle.getKey(), circle.getValue(), publish)).toList())
                        .andCollectFailures().onFailure().recoverWithNull())
                .subscribe().with(done -> flushed(), failure -> flushed());
    }

    private void flushed() {
        writing.set(false);
        kick();
    }

    private static Map<String, List<Result>> byCircle(List<Result> batch) {
        Map<String, List<Result>> circles = new LinkedHashMap<>();
        for (Result result : batch) {
            circles.computeIfAbsent(result.circle(), c -> new ArrayList<>()).add(result);
        }
        return circles;
    }

    /** One circle's results, in steps of at most {@link TaskScripts#MAX_FINISHED_PER_STEP}; failures are retried. */
    private Uni<Void> writeCircle(String circle, List<Result> results, String publish) {
        List<Uni<Void>> steps = new ArrayList<>();
        for (int from = 0; from < results.size(); from += TaskScripts.MAX_FINISHED_PER_STEP) {
            List<Result> step = results.subList(from, Math.min(results.size(), from + TaskScripts.MAX_FINISHED_PER_STEP));
            steps.add(finish(circle, step, publish)
                    .ifNoItem().after(TaskWorker.COMMAND_TIMEOUT).fail()
                    .onItemOrFailure().invoke((ok, failure) -> {
                        if (failure == null) {
                            unwritten.addAndGet(-step.size());
                        } else {
                            retryLater(step);
                        }
                    })
                    .onFailure().recoverWithNull().replaceWithVoid());
        }
        return Uni.join().all(steps).andCollectFailures().replaceWithVoid();
    }

    /**
     * {@link TaskScripts#FINISH} for one circle, and on a Cluster the replies and the wake-up after it (other slots).
     * On one Redis FINISH pushes the replies itself, atomically, so a hash is final before its caller reads the reply.
     */
    private Uni<Response> finish(String circle, List<Result> step, String publish) {
        List<String> finishKeys = new ArrayList<>(List.of(keys.running(circle), keys.callers(circle)));
        step.forEach(result -> finishKeys.add(keys.task(circle, result.taskId())));
        List<String> lists = new ArrayList<>();
        for (Result result : step) {
            if (result.replies() && !lists.contains(result.replyQueue())) {
                lists.add(result.replyQueue());
            }
        }
        if (!cluster) {
            finishKeys.add(keys.ready());
            finishKeys.addAll(lists);
        }
        String[] announce = TaskStateEvent.args(publish, channels.channel(circle), "");
        List<Object> args = new ArrayList<>(List.of(workerId, finishedTtlSeconds, circle, System.currentTimeMillis(),
                Instant.now().getEpochSecond(), announce[0], announce[1], TaskHash.REPLY_LIST_TTL_SECONDS, step.size(), cluster ? 0 : 1));
        for (Result result : step) {
            args.addAll(List.of(result.taskId(), result.status().wire(), result.field(), result.text(), result.logs(),
                    result.announcement(), result.reply(), result.replies() ? lists.indexOf(result.replyQueue()) + 1 : 0));
        }
        Uni<Response> finished = TaskScripts.FINISH.run(redis::send, finishKeys.toArray(String[]::new), args.toArray());
        if (!cluster) {
            return finished;
        }
        return finished.call(done -> afterFinish(circle, step, lists, done.get(0).toLong() > 0));
    }

    /** On a Cluster: the replies, one push per reply list, and the wake-up when callers still wait. */
    private Uni<Void> afterFinish(String circle, List<Result> step, List<String> lists, boolean callersWait) {
        List<Uni<Void>> sends = new ArrayList<>();
        for (String list : lists) {
            List<String> replies = step.stream().filter(result -> list.equals(result.replyQueue())).map(Result::reply).toList();
            sends.add(redis.batch(TaskHash.replyPush(list, replies)).replaceWithVoid());
        }
        if (callersWait) {
            sends.add(redis.send(TaskScripts.wakeUp(keys, circle)).replaceWithVoid());
        }
        return sends.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sends).andFailFast().replaceWithVoid();
    }

    /** Redis is away: try again for about a minute (results are small), then leave the tasks to the reaper. */
    private void retryLater(List<Result> step) {
        for (Result result : step) {
            if (result.attempt() >= MAX_ATTEMPTS || retries.isShutdown()) {
                LOG.errorf("Could not record the result of task %s", result.taskId());
                unwritten.decrementAndGet();
                continue;
            }
            Result again = result.retried();
            try {
                retries.schedule(() -> enqueue(again), Math.min(2000, 100L * again.attempt()), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.errorf("Could not record the result of task %s", result.taskId()); // shutting down
                unwritten.decrementAndGet();
            }
        }
    }
}
