package io.circles.rhai.eval;

import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionTable;

import java.util.Map;

/** An imported module: exported variables, script functions, native functions and sub-modules. */
public final class Module {
    private final Map<String, Object> variables;
    private final Map<String, ScriptFn> fns;
    private final FunctionTable natives;
    private final Map<String, Module> subModules;

    public Module(Map<String, Object> variables, Map<String, ScriptFn> fns, FunctionTable natives) {
        this(variables, fns, natives, Map.of());
    }

    /** @param subModules the modules the module's script imported at its top level, by alias ({@code m::sub::x}) */
    public Module(Map<String, Object> variables, Map<String, ScriptFn> fns, FunctionTable natives, Map<String, Module> subModules) {
        this.variables = variables;
        this.fns = fns;
        this.natives = natives;
        this.subModules = subModules;
    }

    /** The sub-module named {@code name}, or null. */
    public Module subModule(String name) {
        return subModules.get(name);
    }

    public Map<String, Object> variables() {
        return variables;
    }

    public Object call(Ctx ctx, String name, Object[] args, Position pos) {
        ScriptFn sf = fns == null ? null : fns.get(name + "/" + args.length);
        if (sf != null && !sf.isPrivate) return ctx.callScript(sf, null, args, null, pos);
        if (natives != null) {
            FunctionTable.Overload o = natives.resolve(name, args);
            if (o != null) return ctx.callNative(o, args, false, pos);
        }
        throw RhaiException.functionNotFound(Ctx.signature(name, args)).at(pos);
    }

    @Override
    public String toString() {
        return "<module>";
    }
}
