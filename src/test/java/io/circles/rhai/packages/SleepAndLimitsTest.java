package io.circles.rhai.packages;

import io.circles.rhai.api.Engine;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.Scope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sleep} honours the deadline and cancellation; size limits apply to growing stdlib functions. */
class SleepAndLimitsTest {
    @Test
    void sleepStopsAtTheDeadline() {
        Engine engine = Engine.builder().timeout(Duration.ofMillis(200)).build();
        long t0 = System.nanoTime();
        RhaiException e = assertThrows(RhaiException.class, () -> engine.eval("sleep(30); 1"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ErrorKind.TIMEOUT, e.kind(), e.getMessage());
        assertTrue(ms < 5_000, "took " + ms + " ms");
        assertTrue(ms >= 150, "returned too early: " + ms + " ms");
    }

    @Test
    void floatSleepStopsAtTheDeadlineToo() {
        Engine engine = Engine.builder().timeout(Duration.ofMillis(100)).build();
        RhaiException e = assertThrows(RhaiException.class, () -> engine.eval("sleep(12.5)"));
        assertEquals(ErrorKind.TIMEOUT, e.kind());
    }

    @Test
    void sleepIsCancellable() throws Exception {
        Engine engine = new Engine();
        AtomicBoolean cancel = new AtomicBoolean();
        CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
            try {
                engine.eval("sleep(60)", new Scope(), cancel);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(100);
        cancel.set(true);
        Throwable t = f.get(30, TimeUnit.SECONDS);
        assertTrue(t instanceof RhaiException, String.valueOf(t));
        assertEquals(ErrorKind.TERMINATED, ((RhaiException) t).kind());
    }

    @Test
    void shortSleepsWork() {
        Engine engine = new Engine();
        long t0 = System.nanoTime();
        assertEquals(true, engine.eval("sleep(0.05); sleep(0); sleep(-3); sleep(-0.5); true"));
        assertTrue(System.nanoTime() - t0 >= 45_000_000L);
    }

    @Test
    void growingFunctionsRespectSizeLimits() {
        Engine engine = Engine.builder().maxStringSize(10).maxArraySize(5).maxMapSize(3).build();
        assertEquals(ErrorKind.DATA_TOO_LARGE,
                assertThrows(RhaiException.class, () -> engine.eval("let s = \"ab\"; s.pad(11, '*'); s")).kind());
        assertEquals(ErrorKind.DATA_TOO_LARGE,
                assertThrows(RhaiException.class, () -> engine.eval("let a = [1, 2, 3]; a.pad(6, 0); a")).kind());
        assertEquals(ErrorKind.DATA_TOO_LARGE,
                assertThrows(RhaiException.class, () -> engine.eval("let a = [1, 2, 3, 4, 5]; a.push(6); a")).kind());
        assertEquals(ErrorKind.DATA_TOO_LARGE,
                assertThrows(RhaiException.class, () -> engine.eval("let a = []; a.append([1, 2, 3, 4, 5, 6]); a")).kind());
        assertEquals(ErrorKind.DATA_TOO_LARGE,
                assertThrows(RhaiException.class, () -> engine.eval("let b = blob(6); b")).kind());
        assertEquals(ErrorKind.DATA_TOO_LARGE,
                assertThrows(RhaiException.class, () -> engine.eval("let m = #{a: 1, b: 2, c: 3}; m.set(\"d\", 4); m")).kind());
        // within limits
        assertEquals(new ArrayList<>(java.util.List.of(1L, 2L, 3L, 0L, 0L)), engine.eval("let a = [1, 2, 3]; a.pad(5, 0); a"));
    }

    @Test
    void standardPackagesRegisterIntoAnyRegistry() {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        StandardPackages.registerAll((name, fn, types) -> seen.merge(name + "/" + types.length, 1, Integer::sum));
        for (String key : new String[] {"abs/1", "get$len/1", "split/2", "split/3", "sort/1", "sort/2", "map/2",
                "parse_json/1", "to_json/1", "timestamp/0", "get$elapsed/1", "range/3", "sleep/1", "blob/2",
                "get$is_anonymous/1", "contains/2", "sub_string/3", "parse_int/2", "to_hex/1"}) {
            assertTrue(seen.containsKey(key), "missing " + key);
        }
    }
}
