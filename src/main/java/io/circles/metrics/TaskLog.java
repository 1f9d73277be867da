package io.circles.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One log line per finished task or play: ids, shortened keys, durations and the outcome, never the script, its
 * output or error text (they are the member's data and may hold secrets). Successful, quick tasks go to DEBUG so
 * logging does not cap throughput; failures, time-outs, lost tasks and slow tasks go to INFO. The fields are also
 * set as MDC entries for the one call, so the JSON log format carries them as separate fields.
 */
public final class TaskLog {
    private static final Logger LOG = Logger.getLogger("io.circles.tasks");
    /** Outcomes of a task, as logged and as the {@code outcome} label of {@code circles_tasks_ended_total}. */
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String TIMED_OUT = "timed_out";
    public static final String LOST = "lost";
    /** Refused before it was queued (a quota): the caller's problem, logged at DEBUG only. */
    public static final String REFUSED = "refused";
    /** Not queued because Redis did not answer. */
    public static final String UNAVAILABLE = "unavailable";

    private TaskLog() {
    }

    /**
     * What is logged of one task.
     *
     * @param where      {@code worker} (the run) or {@code server} (the play, as its caller saw it)
     * @param connection the WebSocket connection id, or null
     * @param took       run time on a worker, reply latency on a server
     * @param queued     time spent queued, or null when unknown
     * @param traceId    the W3C trace id the task carried, or null
     */
    public record Entry(String where, String connection, String circle, String caller, String taskId, String outcome,
            Duration took, Duration queued, String traceId) {
    }

    /** Classifies a task's error text: {@link #TIMED_OUT}, {@link #LOST} or {@link #FAILED}. */
    public static String outcomeOfError(String error) {
        return WorkerOutcome.of(error);
    }

    /** Logs {@code entry} at DEBUG, or at INFO when it did not complete or took longer than {@code slow}. */
    public static void ended(Entry entry, Duration slow) {
        boolean info = atInfo(entry, slow);
        if (!info && !LOG.isDebugEnabled()) {
            return;
        }
        Map<String, String> fields = fields(entry);
        fields.forEach(MDC::put);
        try {
            LOG.log(info ? Logger.Level.INFO : Logger.Level.DEBUG, line(fields));
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }

    /** Whether {@code entry} is worth an INFO line. */
    public static boolean atInfo(Entry entry, Duration slow) {
        if (REFUSED.equals(entry.outcome())) {
            return false; // a flooding caller must not be able to flood the log too
        }
        return !COMPLETED.equals(entry.outcome()) || entry.took() != null && entry.took().compareTo(slow) > 0;
    }

    /** The line's text: {@code task ended: key=value …} in a fixed order, absent values left out. */
    public static String line(Entry entry) {
        return line(fields(entry));
    }

    private static String line(Map<String, String> fields) {
        StringBuilder line = new StringBuilder("task ended:");
        fields.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        return line.toString();
    }

    private static Map<String, String> fields(Entry entry) {
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "where", entry.where());
        put(fields, "task", entry.taskId());
        put(fields, "outcome", entry.outcome());
        put(fields, "circle", shorten(entry.circle()));
        put(fields, "caller", shorten(entry.caller()));
        put(fields, "connection", entry.connection());
        put(fields, "took_ms", entry.took() == null ? null : Long.toString(entry.took().toMillis()));
        put(fields, "queued_ms", entry.queued() == null ? null : Long.toString(entry.queued().toMillis()));
        put(fields, "trace_id", entry.traceId());
        return fields;
    }

    private static void put(Map<String, String> fields, String key, String value) {
        if (value != null && !value.isEmpty()) {
            fields.put(key, value);
        }
    }

    /**
     * A key shortened to its first 10 and last 4 characters: enough to tell keys apart in a log, not to copy one.
     * Short names ({@code stripe}, {@code anonymous}) stay as they are.
     */
    public static String shorten(String key) {
        if (key == null || key.length() <= 16) {
            return key;
        }
        return key.substring(0, 10) + "…" + key.substring(key.length() - 4);
    }
}
