package io.circles.rhai.api;

import io.circles.rhai.eval.Program;
import io.circles.rhai.eval.ScriptFn;

import java.util.ArrayList;
import java.util.List;

/** A compiled script. Immutable and safe to evaluate concurrently from many threads, any number of times. */
public final class AST {
    private final Program program;
    private final String source;

    AST(Program program, String source) {
        this.program = program;
        this.source = source;
    }

    public Program program() {
        return program;
    }

    public String source() {
        return source;
    }

    /** Signatures of the script-defined functions, e.g. {@code "foo(a, b)"}. */
    public List<String> functions() {
        List<String> r = new ArrayList<>();
        for (ScriptFn f : program.fns.values()) r.add(f.name + "(" + String.join(", ", f.params) + ")");
        return r;
    }
}
