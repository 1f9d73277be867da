package io.circles.rhai.packages;

import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.RRange;

/** Rhai's range functions: {@code start}, {@code end}, {@code is_inclusive}, {@code is_exclusive}, {@code is_empty}, {@code contains}. */
public final class RangePackage implements Package {
    private static final Class<?> R = RRange.class;

    private static RRange rg(Object o) {
        return (RRange) o;
    }

    @Override
    public void register(FunctionRegistry r) {
        MathPackage.fnAndGetter(r, "start", (ctx, a) -> rg(a[0]).start(), R);
        MathPackage.fnAndGetter(r, "end", (ctx, a) -> rg(a[0]).end(), R);
        MathPackage.fnAndGetter(r, "is_inclusive", (ctx, a) -> rg(a[0]).inclusive(), R);
        MathPackage.fnAndGetter(r, "is_exclusive", (ctx, a) -> !rg(a[0]).inclusive(), R);
        MathPackage.fnAndGetter(r, "is_empty", (ctx, a) -> rg(a[0]).isEmpty(), R);
        r.register("contains", (ctx, a) -> rg(a[0]).contains((Long) a[1]), R, Long.class);
    }
}
