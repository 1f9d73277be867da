package io.circles.rhai.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Rhai function pointer ({@code Fn}): a function name, curried arguments and, for closures, the
 * captured environment / script function definition ({@link #closure()}, opaque to natives).
 */
public final class FnPtr {
    private final String name;
    private final List<Object> curried;
    private final Object closure;

    public FnPtr(String name) {
        this(name, List.of(), null);
    }

    public FnPtr(String name, List<Object> curried, Object closure) {
        this.name = name;
        this.curried = curried.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(curried));
        this.closure = closure;
    }

    public String name() {
        return name;
    }

    public List<Object> curried() {
        return curried;
    }

    /** Engine-internal closure data (captured variables + function definition), or null. */
    public Object closure() {
        return closure;
    }

    public boolean isAnonymous() {
        return name.startsWith("anon$");
    }

    /** A new pointer with {@code more} appended to the curried arguments. */
    public FnPtr curry(List<Object> more) {
        List<Object> all = new ArrayList<>(curried);
        all.addAll(more);
        return new FnPtr(name, all, closure);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FnPtr f && f.name.equals(name) && f.curried.equals(curried) && f.closure == closure;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "Fn(" + name + ")";
    }
}
