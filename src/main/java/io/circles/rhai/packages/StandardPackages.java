package io.circles.rhai.packages;

import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.Package;

/**
 * Rhai's standard library (everything in the reference engine's {@code StandardPackage} except the language core
 * functions, which the core registers): math, strings, arrays, maps, blobs, time, ranges, function pointers,
 * JSON and {@code sleep}.
 */
public final class StandardPackages {
    private StandardPackages() {
    }

    /** The packages in registration order. */
    public static Package[] all() {
        return new Package[] {
            new MathPackage(),
            new StringPackage(),
            new ArrayPackage(),
            new MapPackage(),
            new BlobPackage(),
            new TimePackage(),
            new RangePackage(),
            new FnPtrPackage(),
            new JsonPackage(),
            new MiscPackage(),
            new IteratorPackage(),
            new OperatorPackage(),
        };
    }

    /** Registers every standard package into {@code r}. */
    public static void registerAll(FunctionRegistry r) {
        for (Package p : all()) {
            p.register(r);
        }
    }
}
