package io.circles.rhai.eval;

import java.util.List;
import java.util.Map;

/** A parsed and compiled script: main body, frame layout and script functions. */
public final class Program {
    /** A variable declared at the top level of the main script (written back to the scope). */
    public record TopVar(String name, int slot, boolean isConst) {
    }

    public final Executable body;
    public final int frameSize;
    public final Map<String, ScriptFn> fns;
    public final List<TopVar> topVars;
    public final Map<String, Integer> mainConsts;
    /** Exported variable name → the names a module exports it under. */
    public final Map<String, java.util.List<String>> exported;
    /** Whether the script defines methods restricted to a {@code this} type. */
    public final boolean hasTypedMethods;

    public Program(Executable body, int frameSize, Map<String, ScriptFn> fns, List<TopVar> topVars,
                   Map<String, Integer> mainConsts, Map<String, java.util.List<String>> exported) {
        this.body = body;
        this.frameSize = frameSize;
        this.fns = fns;
        this.topVars = topVars;
        this.mainConsts = mainConsts;
        this.exported = exported;
        boolean typed = false;
        for (String k : fns.keySet()) typed |= k.startsWith("\u0000");
        this.hasTypedMethods = typed;
    }
}
