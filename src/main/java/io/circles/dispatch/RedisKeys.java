package io.circles.dispatch;

/**
 * The Redis key layout of the dispatch protocol (see {@code docs/DISPATCH_PROTOCOL.md}). With
 * {@code cluster-safe-keys} the circle key is wrapped in a hash tag so every key one command or transaction
 * touches (a circle's queue, its task hashes, its workers' processing lists) lands on one Cluster slot.
 */
public final class RedisKeys {
    private final String taskPrefix;
    private final String queuePrefix;
    private final String replyPrefix;
    private final boolean clusterSafe;

    public RedisKeys(DispatchConfig config) {
        this(config.taskKeyPrefix(), config.queueKeyPrefix(), config.replyKeyPrefix(), config.clusterSafeKeys());
    }

    public RedisKeys(String taskPrefix, String queuePrefix, String replyPrefix, boolean clusterSafe) {
        this.taskPrefix = taskPrefix;
        this.queuePrefix = queuePrefix;
        this.replyPrefix = replyPrefix;
        this.clusterSafe = clusterSafe;
    }

    private String circle(String circle) {
        return clusterSafe ? "{" + circle + "}" : circle;
    }

    /** {@code rhai_task_details:<task_id>} (cluster-safe: {@code rhai_task_details:{<pk>}:<task_id>}). */
    public String task(String circle, String taskId) {
        return clusterSafe ? taskPrefix + circle(circle) + ":" + taskId : taskPrefix + taskId;
    }

    /** {@code rhai_tasks:<circle_pk>}: the circle's queue; producers LPUSH, workers take from the right. */
    public String queue(String circle) {
        return queuePrefix + circle(circle);
    }

    /** {@code rhai_tasks:<circle_pk>:processing:<worker_id>}: tasks a worker has taken and not finished. */
    public String processing(String circle, String workerId) {
        return queuePrefix + circle(circle) + ":processing:" + workerId;
    }

    /** Pattern matching every processing list, for the reaper's SCAN. */
    public String processingPattern() {
        return queuePrefix + "*:processing:*";
    }

    /** {@code rhai_reply:<instance_id>}: one reply list per server instance. */
    public String reply(String instanceId) {
        return replyPrefix + instanceId;
    }

    /** {@code rhai_worker:<worker_id>}: a worker's heartbeat, expiring when it stops beating. */
    public String heartbeat(String workerId) {
        return "rhai_worker:" + workerId;
    }

    /** {@code circles:events:<circle_pk>}: the circle's webhook event log (a stream). */
    public String events(String circle) {
        return "circles:events:" + circle(circle);
    }

    /** {@code circles:webhook_seen:<circle_pk>:<provider>:<identity>}: a delivery's idempotency mark. */
    public String seen(String circle, String provider, String identity) {
        return "circles:webhook_seen:" + circle(circle) + ":" + provider + ":" + identity;
    }

    /** {@code circles:data:<circle_pk>}: the circle's key-value store (a hash). */
    public String data(String circle) {
        return "circles:data:" + circle(circle);
    }

    /** {@code rhai_circles}: the set of circles that ever had a task, so "serve every circle" workers find queues. */
    public String circles() {
        return "rhai_circles";
    }
}
