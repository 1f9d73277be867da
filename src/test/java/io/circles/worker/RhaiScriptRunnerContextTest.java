package io.circles.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import io.circles.circle.CircleFunctions;
import io.circles.circle.TaskContext;
import io.quarkus.runtime.configuration.MemorySize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner gives every evaluation its own task context and log lines, whichever thread runs it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RhaiScriptRunnerContextTest {
    private static final String SCRIPT = "print(circle_pk()); debug(caller_pk()); `${circle_pk()}|${caller_pk()}|${CALLER_ID}`";

    private final RhaiScriptRunner runner = new RhaiScriptRunner(new TestConfig(), new CircleFunctions(null, null));

    @Test
    void a_script_sees_its_own_circle_and_caller_and_gets_its_own_logs() {
        ScriptRunner.Outcome outcome = runner.run(new TaskContext("circle-a", "caller-a", "t1"), SCRIPT,
                JsonNodeFactory.instance.objectNode());
        assertTrue(outcome.ok(), outcome.error());
        assertEquals("circle-a|caller-a|caller-a", outcome.output());
        assertEquals(List.of("circle-a", "\"caller-a\""), outcome.logs());
    }

    @Test
    void tasks_run_concurrently_on_shared_threads_never_see_each_others_context() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<ScriptRunner.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                TaskContext task = new TaskContext("circle-" + i, "caller-" + i, "task-" + i);
                outcomes.add(pool.submit(() -> runner.run(task, SCRIPT, JsonNodeFactory.instance.objectNode())));
            }
            for (int i = 0; i < outcomes.size(); i++) {
                ScriptRunner.Outcome outcome = outcomes.get(i).get();
                assertEquals("circle-" + i + "|caller-" + i + "|caller-" + i, outcome.output());
                assertEquals(List.of("circle-" + i, "\"caller-" + i + "\""), outcome.logs());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void print_output_beyond_the_line_limit_is_dropped_with_a_marker() {
        ScriptRunner.Outcome outcome = runner.run(new TaskContext("c", "u", "t"),
                "for i in 0.." + (RhaiScriptRunner.MAX_LOG_LINES + 10) + " { print(i) }", JsonNodeFactory.instance.objectNode());
        assertEquals(RhaiScriptRunner.MAX_LOG_LINES + 1, outcome.logs().size());
        assertEquals("… (further output dropped)", outcome.logs().get(RhaiScriptRunner.MAX_LOG_LINES));
    }

    /** Worker settings at their documented defaults where the runner reads them. */
    private static final class TestConfig implements WorkerConfig {
        public boolean enabled() { return true; }
        public Optional<Integer> concurrency() { return Optional.empty(); }
        public int threadsPerCircle() { return 1; }
        public MemorySize compileCacheSize() { return new MemorySize(java.math.BigInteger.valueOf(1L << 20)); }
        public int compileCacheMaxScriptLength() { return 10_000; }
        public Optional<String> id() { return Optional.empty(); }
        public Duration maxRunTime() { return Duration.ofSeconds(5); }
        public long maxOperations() { return 1_000_000; }
        public int maxCallDepth() { return 64; }
        public int maxStringLength() { return 100_000; }
        public int maxArraySize() { return 10_000; }
        public int maxMapSize() { return 10_000; }
        public long threadStackBytes() { return 8L << 20; }
        public Duration heartbeatInterval() { return Duration.ofSeconds(1); }
        public Duration heartbeatTimeout() { return Duration.ofSeconds(10); }
        public Duration reapInterval() { return Duration.ofSeconds(1); }
        public Duration fastScript() { return Duration.ofMillis(2); }
        public int prefetch() { return 32; }
    }
}
