package io.circles.rhai.eval;

import io.circles.rhai.func.FunctionTable;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.Scope;

/**
 * What a running evaluation asks of the engine that started it: its configuration, its output sinks and nested
 * compilation ({@code eval}, {@code import}). The public {@code Engine} implements it privately, so the evaluator
 * (and the nodes above it) never depend on the API layer.
 */
public interface EngineServices {
    FunctionTable functions();

    Limits limits();

    /** The progress listener, or null when none was configured. */
    ProgressListener progress();

    void print(Object tag, String line);

    void debug(Object tag, String line);

    /** Compiles the argument of {@code eval} (fails like a missing function when eval is disabled). */
    Program compileForEval(String script, Position pos);

    /** Runs an eval'd program inside a running evaluation (shares its operation budget and call depth). */
    Object runNested(Ctx ctx, Program program, Scope scope, Position pos);

    /** Loads a module through the resolver or the static modules (used by {@code import}). */
    Module loadModule(Ctx ctx, String path, Position pos);

    /** A module registered by the host under this name, or null. */
    Module staticModule(String name);
}
