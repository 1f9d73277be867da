package io.circles.hostile;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import io.circles.circle.CircleEvents;
import io.circles.circle.CircleFunctions;
import io.circles.circle.CircleStore;
import io.circles.rhai.api.Engine;

/**
 * The circle functions plus three a hostile host function could behave like (enabled by {@link ScriptAttackProfile}
 * only): {@code hold()} blocks its script thread until the test opens the gate, so queued tasks stay queued;
 * {@code overflow_stack()} recurses in Java until a real {@link StackOverflowError}; {@code run_out_of_memory()}
 * asks the JVM for an array it cannot give, a real {@link OutOfMemoryError} that fills no heap.
 */
@Alternative
@Singleton
public class HostileHostFunctions extends CircleFunctions {
    private static final AtomicInteger HELD = new AtomicInteger();
    private static volatile CountDownLatch gate = new CountDownLatch(0);

    public HostileHostFunctions(CircleStore store, CircleEvents events) {
        super(store, events);
    }

    @Override
    public void register(Engine engine) {
        super.register(engine);
        engine.registerRaw("hold", (ctx, args) -> hold());
        engine.registerRaw("overflow_stack", (ctx, args) -> (long) deeper(0));
        engine.registerRaw("run_out_of_memory", (ctx, args) -> (long) new long[Integer.MAX_VALUE].length);
    }

    /** Scripts calling {@code hold()} from now on wait (at most 30 s, so a failed test cannot wedge the app). */
    static void closeGate() {
        gate = new CountDownLatch(1);
    }

    static void openGate() {
        gate.countDown();
    }

    /** Script threads waiting at the gate now. */
    static int held() {
        return HELD.get();
    }

    private static long hold() {
        HELD.incrementAndGet();
        try {
            gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            HELD.decrementAndGet();
        }
        return 1L;
    }

    private static int deeper(int depth) {
        return deeper(depth + 1) + 1;
    }
}
