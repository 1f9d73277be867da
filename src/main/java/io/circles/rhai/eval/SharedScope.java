package io.circles.rhai.eval;

import io.circles.rhai.types.Unit;

/** The caller's frame and the variables visible at a {@code f!(...)} call site, which the called function shares. */
public record SharedScope(Frame frame, Variable[] vars) {
    /** A variable visible at the call site: its name and frame slot (final once parsing has ended). */
    public interface Variable {
        String varName();

        int slot();
    }

    /** The innermost visible variable of that name, or null. */
    public Variable find(String name) {
        for (int i = vars.length - 1; i >= 0; i--) {
            if (vars[i].varName().equals(name)) return vars[i];
        }
        return null;
    }

    public Object read(Variable v) {
        Object o = frame.get(v.slot());
        return o == null ? Unit.INSTANCE : o;
    }

    public void assign(Variable v, Object value) {
        frame.set(v.slot(), value);
    }
}
