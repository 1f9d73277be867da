package io.circles.rhai.packages;

import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.FnPtr;

/** Rhai's BasicFnPackage: {@code name} and {@code is_anonymous} of function pointers. */
public final class FnPtrPackage implements Package {
    @Override
    public void register(FunctionRegistry r) {
        MathPackage.fnAndGetter(r, "name", (ctx, a) -> ((FnPtr) a[0]).name(), FnPtr.class);
        MathPackage.fnAndGetter(r, "is_anonymous", (ctx, a) -> ((FnPtr) a[0]).isAnonymous(), FnPtr.class);
    }
}
