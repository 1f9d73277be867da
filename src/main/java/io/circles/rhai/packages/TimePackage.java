package io.circles.rhai.packages;

import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.NativeFunction;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.Timestamp;
import io.circles.rhai.types.Unit;

/** Rhai's BasicTimePackage: {@code timestamp()}, {@code elapsed} and timestamp arithmetic/comparison. */
public final class TimePackage implements Package {
    private static final Class<?> T = Timestamp.class;
    private static final Class<?> L = Long.class;
    private static final Class<?> D = Double.class;

    private static Timestamp t(Object o) {
        return (Timestamp) o;
    }

    @Override
    public void register(FunctionRegistry r) {
        r.register("timestamp", (ctx, a) -> Timestamp.now());
        MathPackage.fnAndGetter(r, "elapsed", (ctx, a) -> {
            long now = System.nanoTime();
            long then = t(a[0]).nanos();
            if (then - now > 0) {
                throw RhaiException.arithmetic("Time-stamp is later than now");
            }
            return (now - then) / 1e9;
        }, T);
        r.register("-", (ctx, a) -> (t(a[0]).nanos() - t(a[1]).nanos()) / 1e9, T, T);

        r.register("+", (ctx, a) -> addSeconds(t(a[0]), (Long) a[1], true), T, L);
        r.register("-", (ctx, a) -> addSeconds(t(a[0]), (Long) a[1], false), T, L);
        r.register("+", (ctx, a) -> addFloat(t(a[0]), (Double) a[1], true), T, D);
        r.register("-", (ctx, a) -> addFloat(t(a[0]), (Double) a[1], false), T, D);
        NativeFunction addAssignInt = (ctx, a) -> {
            a[0] = addSeconds(t(a[0]), (Long) a[1], true);
            return Unit.INSTANCE;
        };
        NativeFunction subAssignInt = (ctx, a) -> {
            a[0] = addSeconds(t(a[0]), (Long) a[1], false);
            return Unit.INSTANCE;
        };
        NativeFunction addAssignFloat = (ctx, a) -> {
            a[0] = addFloat(t(a[0]), (Double) a[1], true);
            return Unit.INSTANCE;
        };
        NativeFunction subAssignFloat = (ctx, a) -> {
            a[0] = addFloat(t(a[0]), (Double) a[1], false);
            return Unit.INSTANCE;
        };
        r.register("+=", addAssignInt, T, L);
        r.register("-=", subAssignInt, T, L);
        r.register("+=", addAssignFloat, T, D);
        r.register("-=", subAssignFloat, T, D);

        r.register("==", (ctx, a) -> cmp(a) == 0, T, T);
        r.register("!=", (ctx, a) -> cmp(a) != 0, T, T);
        r.register("<", (ctx, a) -> cmp(a) < 0, T, T);
        r.register("<=", (ctx, a) -> cmp(a) <= 0, T, T);
        r.register(">", (ctx, a) -> cmp(a) > 0, T, T);
        r.register(">=", (ctx, a) -> cmp(a) >= 0, T, T);
    }

    private static int cmp(Object[] a) {
        long d = t(a[0]).nanos() - t(a[1]).nanos();
        return d < 0 ? -1 : d > 0 ? 1 : 0;
    }

    private static Timestamp addSeconds(Timestamp ts, long seconds, boolean add) {
        try {
            long nanos = Math.multiplyExact(seconds, 1_000_000_000L);
            return new Timestamp(add ? Math.addExact(ts.nanos(), nanos) : Math.subtractExact(ts.nanos(), nanos));
        } catch (ArithmeticException e) {
            throw RhaiException.arithmetic("Timestamp overflow when " + (add ? "adding " : "subtracting ") + seconds
                    + " second(s)");
        }
    }

    private static Timestamp addFloat(Timestamp ts, double seconds, boolean add) {
        if (seconds < 0) {
            return addFloat(ts, -seconds, !add);
        }
        if (seconds > 9.223372036854775807E18) {
            throw RhaiException.arithmetic("Integer overflow for timestamp " + (add ? "add" : "subtract") + ": "
                    + Support.rustFloat(seconds));
        }
        long millis = (long) (seconds * 1000.0);
        try {
            long nanos = Math.multiplyExact(millis, 1_000_000L);
            return new Timestamp(add ? Math.addExact(ts.nanos(), nanos) : Math.subtractExact(ts.nanos(), nanos));
        } catch (ArithmeticException e) {
            throw RhaiException.arithmetic("Timestamp overflow when " + (add ? "adding " : "subtracting ")
                    + Support.rustFloat(seconds) + " second(s)");
        }
    }
}
