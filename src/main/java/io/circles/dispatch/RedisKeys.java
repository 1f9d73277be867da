package io.circles.dispatch;

/**
 * The Redis key layout of the dispatch protocol (see {@code docs/DISPATCH_PROTOCOL.md}). Every per-circle key
 * wraps the circle in a Redis Cluster hash tag ({@code {<pk>}}), so everything one script or transaction
 * touches for a circle (its task hashes, caller queues, caller ring, running set, store, event log) lands on
 * one slot. The few global keys ({@link #ready()}, {@link #active()}, {@link #workers()}, reply lists) are
 * only ever touched by single-key commands.
 */
public final class RedisKeys {
    private final String taskPrefix;
    private final String queuePrefix;
    private final String replyPrefix;

    public RedisKeys(DispatchConfig config) {
        this(config.taskKeyPrefix(), config.queueKeyPrefix(), config.replyKeyPrefix());
    }

    public RedisKeys(String taskPrefix, String queuePrefix, String replyPrefix) {
        this.taskPrefix = taskPrefix;
        this.queuePrefix = queuePrefix;
        this.replyPrefix = replyPrefix;
    }

    private static String tag(String circle) {
        return "{" + circle + "}";
    }

    /** {@code rhai_task_details:{<pk>}:<task_id>}: the task hash (fields: {@link TaskHash}). */
    public String task(String circle, String taskId) {
        return taskPrefix(circle) + taskId;
    }

    /** What {@link #task} puts before the task id; the Lua scripts append ids to it inside Redis. */
    public String taskPrefix(String circle) {
        return taskPrefix + tag(circle) + ":";
    }

    /** {@code rhai_tasks:{<pk>}:caller:<caller>}: one caller's queued task ids (LPUSH in, RPOP out: FIFO). */
    public String callerQueue(String circle, String caller) {
        return callerQueuePrefix(circle) + caller;
    }

    /** What {@link #callerQueue} puts before the caller id. */
    public String callerQueuePrefix(String circle) {
        return queuePrefix + tag(circle) + ":caller:";
    }

    /** {@code rhai_tasks:{<pk>}:callers}: the ring of callers with queued tasks, served round-robin. */
    public String callers(String circle) {
        return queuePrefix + tag(circle) + ":callers";
    }

    /**
     * {@code rhai_tasks:{<pk>}:callers:bytes}: hash of the script bytes each caller has queued (not yet running) in
     * the circle, and the circle's total under {@code *}, for the byte quotas. The Lua steps that take tasks out of
     * queues derive it from the caller ring's key, so it must stay {@link #callers} + {@code :bytes}.
     */
    public String queuedBytes(String circle) {
        return callers(circle) + ":bytes";
    }

    /** {@code rhai_tasks:{<pk>}:running}: sorted set of the circle's claimed task ids, scored by claim time. */
    public String running(String circle) {
        return queuePrefix + tag(circle) + ":running";
    }

    /** {@code circles:ready}: sorted set of circles with queued work, oldest first; workers take turns from it. */
    public String ready() {
        return "circles:ready";
    }

    /** {@code circles:active}: sorted set of circles that may have running tasks, for the reaper. */
    public String active() {
        return "circles:active";
    }

    /** {@code circles:workers}: sorted set of live workers, scored by when their heartbeat expires (ms). */
    public String workers() {
        return "circles:workers";
    }

    /** {@code rhai_reply:<instance_id>}: one reply list per server instance. */
    public String reply(String instanceId) {
        return replyPrefix + instanceId;
    }

    /** {@code circles:events:{<pk>}}: the circle's webhook event log (a stream). */
    public String events(String circle) {
        return "circles:events:" + tag(circle);
    }

    /** {@code circles:webhook_seen:{<pk>}:<provider>:<identity>}: a delivery's idempotency mark. */
    public String seen(String circle, String provider, String identity) {
        return "circles:webhook_seen:" + tag(circle) + ":" + provider + ":" + identity;
    }

    /** {@code circles:data:{<pk>}}: the circle's key-value store (a hash). */
    public String data(String circle) {
        return "circles:data:" + tag(circle);
    }

    /**
     * {@code circles:live:{<pk>}}: the circle's live-event channel (store changes, webhook events, task states).
     * Hash-tagged like the circle's keys, so a Lua script may {@code SPUBLISH} to it on Redis Cluster.
     */
    public String live(String circle) {
        return "circles:live:" + tag(circle);
    }

    /** {@code circles:events:{<pk>}:bytes}: the approximate byte size of the event log, for its byte bound. */
    public String eventBytes(String circle) {
        return events(circle) + ":bytes";
    }

    /** {@code circles:data:{<pk>}:bytes}: the byte size of the circle's store, for its quota. */
    public String dataBytes(String circle) {
        return data(circle) + ":bytes";
    }

    /**
     * {@code circles:webhook_claim:<provider>:<identity>}: which circle a delivery signed with the shared secret
     * went to first (global, single-key), so replaying it to another circle runs nothing.
     */
    public String webhookClaim(String provider, String identity) {
        return "circles:webhook_claim:" + provider + ":" + identity;
    }

    /** The circle inside a tagged key ({@code …{<pk>}…}), or null. */
    public static String circleOf(String key) {
        int open = key.indexOf('{');
        int close = key.indexOf('}', open + 1);
        return open < 0 || close < 0 ? null : key.substring(open + 1, close);
    }
}
