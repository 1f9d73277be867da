package io.circles.rhai.eval;

/** Runtime data of a closure: its definition and the shared cells it captured. */
public record Closure(ScriptFn fn, Cell[] captured) {
}
