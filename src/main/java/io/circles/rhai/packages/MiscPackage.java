package io.circles.rhai.packages;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.NativeCallContext;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.Unit;

/** {@code sleep(seconds)}: blocks the script, but never past the engine's deadline and never ignoring cancellation. */
public final class MiscPackage implements Package {
    /** Longest single wait between cancellation/deadline checks. */
    private static final long SLICE_NANOS = 50_000_000L;
    /** How often a long sleep forces the engine's full cancellation check. */
    private static final long FULL_CHECK_NANOS = 500_000_000L;

    @Override
    public void register(FunctionRegistry r) {
        // take(x): returns the value and leaves () behind
        r.register("take", (ctx, a) -> {
            Object v = a[0];
            a[0] = Unit.INSTANCE;
            return v;
        }, Object.class);
        r.register("sleep", (ctx, a) -> {
            long secs = (Long) a[0];
            if (secs > 0) {
                sleepNanos(ctx, secs > Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : secs * 1_000_000_000L);
            }
            return Unit.INSTANCE;
        }, Long.class);
        r.register("sleep", (ctx, a) -> {
            double secs = (Double) a[0];
            // Rust: only "normal", positive numbers sleep
            if (Double.isNaN(secs) || Double.isInfinite(secs) || secs <= 0 || secs < Double.MIN_NORMAL) {
                return Unit.INSTANCE;
            }
            double nanos = secs * 1e9;
            sleepNanos(ctx, nanos >= 9.2e18 ? Long.MAX_VALUE : (long) nanos);
            return Unit.INSTANCE;
        }, Double.class);
    }

    static void sleepNanos(NativeCallContext ctx, long nanos) {
        long start = System.nanoTime();
        long wake = nanos > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + nanos;
        long deadline = ctx.deadlineNanos();
        long nextFullCheck = start + FULL_CHECK_NANOS;
        while (true) {
            ctx.tick();
            long now = System.nanoTime();
            if (now - nextFullCheck >= 0) {
                // tick() checks cancellation/progress only every 1024 operations: force one such check
                for (int i = 0; i < 1024; i++) {
                    ctx.tick();
                }
                nextFullCheck = now + FULL_CHECK_NANOS;
            }
            if (now - wake >= 0) {
                return;
            }
            long until = wake;
            if (deadline != Long.MAX_VALUE && deadline - wake < 0) {
                until = deadline;
                if (now - deadline >= 0) {
                    // past the deadline: tick() normally reports it; make sure we never sleep on
                    throw RhaiException.of(ErrorKind.TIMEOUT, "Script timed out");
                }
            }
            long slice = Math.min(until - now, SLICE_NANOS);
            try {
                Thread.sleep(slice / 1_000_000L, (int) (slice % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RhaiException.of(ErrorKind.TERMINATED, "Script terminated");
            }
        }
    }
}
