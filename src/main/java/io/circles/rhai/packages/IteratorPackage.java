package io.circles.rhai.packages;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.IntRange;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.RRange;
import io.circles.rhai.types.StepRange;
import io.circles.rhai.types.Values;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Rhai's BasicIteratorPackage: {@code range(from, to)}, {@code range(from, to, step)} (INT and FLOAT). */
public final class IteratorPackage implements Package {
    private static final Class<?> L = Long.class;
    private static final Class<?> D = Double.class;

    static {
        // type_of() names as the reference engine reports them (std::any::type_name of its iterator types)
        Values.registerTypeName(StepRange.class, "rhai::packages::iter_basic::StepRange<i64>");
        Values.registerTypeName(FloatStepRange.class, "rhai::packages::iter_basic::StepRange<f64>");
    }

    @Override
    public void register(FunctionRegistry r) {
        r.register("range", (IntRange) (ctx, a) -> new RRange((Long) a[0], (Long) a[1], false), L, L);
        r.register("range", (IntRange) (ctx, a) -> stepRange((Long) a[0], (Long) a[1], (Long) a[2]), L, L, L);
        r.register("range", (ctx, a) -> {
            RRange rg = (RRange) a[0];
            if (rg.inclusive()) {
                throw RhaiException.functionNotFound("range (range=, i64)");
            }
            return stepRange(rg.start(), rg.end(), (Long) a[1]);
        }, RRange.class, L);
        r.register("range", (ctx, a) -> new FloatStepRange((Double) a[0], (Double) a[1], (Double) a[2]), D, D, D);
    }

    static RhaiException zeroStep() {
        return RhaiException.of(ErrorKind.IN_FUNCTION_CALL, "step value cannot be zero\nin call to function 'range'");
    }

    private static StepRange stepRange(long from, long to, long step) {
        if (step == 0) {
            throw zeroStep();
        }
        return new StepRange(from, to, step);
    }

    /** {@code range(from, to, step)} over FLOATs: from (inclusive) towards to (exclusive). */
    public record FloatStepRange(double from, double to, double step) implements Iterable<Object> {
        public FloatStepRange {
            if (from + step == from) {
                throw zeroStep();
            }
        }

        @Override
        public Iterator<Object> iterator() {
            final int dir = from < to && from + step > from ? 1 : from > to && from + step < from ? -1 : 0;
            return new Iterator<>() {
                double cur = from;
                boolean done = dir == 0;

                @Override
                public boolean hasNext() {
                    return !done;
                }

                @Override
                public Object next() {
                    if (done) throw new NoSuchElementException();
                    double v = cur;
                    cur = cur + step;
                    if ((dir > 0 && cur >= to) || (dir < 0 && cur <= to)) done = true;
                    return v;
                }
            };
        }

        @Override
        public String toString() {
            return "range(" + from + ", " + to + ", " + step + ")";
        }
    }
}
