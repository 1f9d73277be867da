package io.circles.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The per-task log line: what it carries, what it leaves out, and when it is worth INFO. */
class TaskLogTest {
    private static final String CALLER = "0x02" + "ab".repeat(32);
    private static final String CIRCLE = "03" + "cd".repeat(32);
    private static final Duration SLOW = Duration.ofSeconds(5);

    private static TaskLog.Entry entry(String outcome, Duration took) {
        return new TaskLog.Entry("worker", "conn-7", CIRCLE, CALLER, "task-1", outcome, took, Duration.ofMillis(20),
                "4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void the_line_names_task_outcome_durations_and_trace_with_shortened_keys() {
        String line = TaskLog.line(entry(TaskLog.COMPLETED, Duration.ofMillis(1234)));
        assertEquals("task ended: where=worker task=task-1 outcome=completed circle=03cdcdcdcd…cdcd caller=0x02ababab…abab"
                + " connection=conn-7 took_ms=1234 queued_ms=20 trace_id=4bf92f3577b34da6a3ce929d0e0e4736", line);
        assertFalse(line.contains(CALLER));
        assertFalse(line.contains(CIRCLE));
    }

    @Test
    void absent_values_are_left_out() {
        String line = TaskLog.line(new TaskLog.Entry("server", null, CIRCLE, "stripe", "t", TaskLog.FAILED, null, null, null));
        assertEquals("task ended: where=server task=t outcome=failed circle=03cdcdcdcd…cdcd caller=stripe", line);
    }

    @Test
    void quick_successes_stay_at_debug_and_failures_timeouts_and_slow_tasks_go_to_info() {
        assertFalse(TaskLog.atInfo(entry(TaskLog.COMPLETED, Duration.ofMillis(10)), SLOW));
        assertTrue(TaskLog.atInfo(entry(TaskLog.COMPLETED, Duration.ofSeconds(6)), SLOW));
        assertTrue(TaskLog.atInfo(entry(TaskLog.FAILED, Duration.ofMillis(10)), SLOW));
        assertTrue(TaskLog.atInfo(entry(TaskLog.TIMED_OUT, Duration.ofMillis(10)), SLOW));
        assertTrue(TaskLog.atInfo(entry(TaskLog.LOST, null), SLOW));
    }

    @Test
    void quota_refusals_never_reach_info_so_a_flood_cannot_flood_the_log() {
        assertFalse(TaskLog.atInfo(entry(TaskLog.REFUSED, Duration.ofSeconds(60)), SLOW));
    }

    @Test
    void error_texts_map_onto_the_bounded_outcomes() {
        assertEquals(TaskLog.TIMED_OUT, TaskLog.outcomeOfError("Script timed out (line 3, position 1)"));
        assertEquals(TaskLog.LOST, TaskLog.outcomeOfError("worker lost: the worker running this task stopped before finishing it"));
        assertEquals(TaskLog.FAILED, TaskLog.outcomeOfError("Variable not found: x (line 1, position 1)"));
        assertEquals(TaskLog.FAILED, TaskLog.outcomeOfError(null));
    }

    @Test
    void short_names_are_kept_whole() {
        assertEquals("anonymous", TaskLog.shorten("anonymous"));
        assertEquals(null, TaskLog.shorten(null));
    }
}
