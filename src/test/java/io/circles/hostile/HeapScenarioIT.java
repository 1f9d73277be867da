package io.circles.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.AppProcess;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;

/**
 * The scenario against the packaged server at a 512 MB heap, default limits: one member plays 160 distinct
 * ~240 KB array-literal scripts (every one a compile-cache miss), then a client floods batches for 15 s and never
 * reads a reply. Throughout, a member of another circle gets each {@code 1 + 1} answered within 2 s, and the process
 * log has no OutOfMemoryError.
 */
class HeapScenarioIT {
    private static final int SCRIPTS = 160;
    private static final int SCRIPT_CHARS = 240_000;
    private static final int IN_FLIGHT = 8;
    private static final Duration FLOOD = Duration.ofSeconds(15);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    @Test
    void big_scripts_then_a_non_reading_flood_leave_another_circle_answered_within_two_seconds_without_oom() throws Exception {
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Xmx512m", "CIRCLES_KEYS", TestCircles.CIRCLE_A + "," + TestCircles.CIRCLE_B);
        List<Long> latencies = new ArrayList<>();
        try (AppProcess server = AppProcess.start("heap-512m", List.of(), env);
                WsClient member = WsClient.connect(server.base(), TestCircles.CIRCLE_B)) {
            assertTrue(member.authenticate(KeyPair.generate()).has("result"));
            latencies.add(probe(member));
            int ran = playBigScripts(server, member, latencies);
            flood(server, member, latencies);
            for (int i = 0; i < 3; i++) {
                latencies.add(probe(member));
            }
            System.out.printf("heap scenario: %d of %d big scripts ran; probe latencies (ms) %s%n", ran, SCRIPTS, latencies);
            assertTrue(ran > 0, "the big scripts ran");
            assertTrue(latencies.size() >= 10, latencies.toString());
            assertTrue(server.isAlive(), "the server is alive");
            assertFalse(server.log().contains("OutOfMemoryError"), "no OutOfMemoryError in the log");
        }
    }

    /** 160 distinct big scripts from one member of circle A, {@value #IN_FLIGHT} in flight; probes every 40. */
    private static int playBigScripts(AppProcess server, WsClient member, List<Long> latencies) {
        int ran = 0;
        try (WsClient attacker = WsClient.connect(server.base(), TestCircles.CIRCLE_A)) {
            assertTrue(attacker.authenticate(KeyPair.generate()).has("result"));
            Deque<Long> pending = new ArrayDeque<>();
            for (int i = 1; i <= SCRIPTS; i++) {
                if (pending.size() == IN_FLIGHT) {
                    ran += answered(attacker, pending.removeFirst());
                }
                attacker.sendText(attacker.request(i, "play", Map.of("script", arrayLiteral(i))));
                pending.addLast((long) i);
                if (i % 40 == 0) {
                    latencies.add(probe(member));
                }
            }
            while (!pending.isEmpty()) {
                ran += answered(attacker, pending.removeFirst());
            }
        }
        return ran;
    }

    /** 1 when the play ran, 0 when a quota refused it ("busy" is a fair answer to this client); anything else fails. */
    private static int answered(WsClient attacker, long id) {
        JsonNode answer = attacker.awaitResponse(id);
        if (answer.has("result")) {
            assertEquals(Long.toString(id), answer.path("result").path("output").asText(), "the array's first element");
            return 1;
        }
        assertEquals(-32005, answer.path("error").path("code").asInt(), answer.toString());
        return 0;
    }

    /** A distinct array literal of about {@value #SCRIPT_CHARS} characters whose value is its first element. */
    private static String arrayLiteral(int n) {
        StringBuilder script = new StringBuilder(SCRIPT_CHARS + 32).append("let a = [").append(n);
        for (int i = 0; script.length() < SCRIPT_CHARS; i++) {
            script.append(',').append(100_000 + (n * 7919 + i) % 900_000);
        }
        return script.append("]; a[0]").toString();
    }

    /** Batches of 100 requests for 15 s from a client that never reads; a probe every 1.5 s meanwhile. */
    private static void flood(AppProcess server, WsClient member, List<Long> latencies) throws Exception {
        String batch = batchOf(100);
        ExecutorService flooding = Executors.newSingleThreadExecutor();
        try (Sockets.Raw attacker = new Sockets.Raw(server.base(), TestCircles.CIRCLE_A, "198.51.100.7")) {
            attacker.authenticate(KeyPair.generate());
            Future<Integer> sent = flooding.submit(() -> {
                int batches = 0;
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        attacker.sendText(batch); // blocks once the server stops reading; fails once it hangs up
                        batches++;
                    }
                } catch (IOException closed) {
                    // the server hung up, or the test ended the flood
                }
                return batches;
            });
            long end = System.nanoTime() + FLOOD.toNanos();
            while (System.nanoTime() < end) {
                latencies.add(probe(member));
                Thread.sleep(1500); // paces the probes over the flood; nothing is timed by it
            }
            attacker.close(); // ends a sender blocked in write
            System.out.printf("heap scenario: the flood sent %d batches%n", sent.get(30, TimeUnit.SECONDS));
        } finally {
            flooding.shutdownNow();
        }
    }

    private static String batchOf(int size) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i).append(",\"method\":\"rpc.discover\"}");
        }
        return batch.append("]").toString();
    }

    /** One {@code 1 + 1} play of the member of circle B; fails unless answered within 2 s. Returns its latency in ms. */
    private static long probe(WsClient member) {
        long start = System.nanoTime();
        CompletableFuture<JsonNode> answer = CompletableFuture.supplyAsync(() -> member.call("play", Map.of("script", "1 + 1")));
        try {
            assertEquals("2", answer.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS).path("result").path("output").asText());
        } catch (Exception e) {
            throw new AssertionError("the member's play was not answered within " + ANSWER_WITHIN, e);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
