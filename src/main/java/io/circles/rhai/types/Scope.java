package io.circles.rhai.types;

import io.circles.rhai.types.RChar;
import io.circles.rhai.types.Unit;

import java.util.ArrayList;
import java.util.List;

/**
 * Variables passed into an evaluation and read back afterwards. Top-level {@code let}/{@code const} of the script
 * are pushed into the scope when the evaluation ends. Not thread-safe: use one scope per evaluation at a time.
 */
public final class Scope {
    private static final class Entry {
        final String name;
        Object value;
        final boolean constant;

        Entry(String name, Object value, boolean constant) {
            this.name = name;
            this.value = value;
            this.constant = constant;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public Scope push(String name, Object value) {
        entries.add(new Entry(name, toRhai(value), false));
        return this;
    }

    public Scope pushConstant(String name, Object value) {
        entries.add(new Entry(name, toRhai(value), true));
        return this;
    }

    private Entry find(String name) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.name.equals(name)) return e;
        }
        return null;
    }

    /**
     * Index of the latest variable of that name, or -1; valid until the scope changes. Lets the evaluator read or
     * update a variable with one search instead of one per question (contains, constant?, get, set).
     */
    public int indexOf(String name) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).name.equals(name)) return i;
        }
        return -1;
    }

    /** The value at an index from {@link #indexOf}. */
    public Object valueAt(int index) {
        return entries.get(index).value;
    }

    /** Whether the variable at an index from {@link #indexOf} is a constant. */
    public boolean isConstantAt(int index) {
        return entries.get(index).constant;
    }

    /** Updates the (non-constant) variable at an index from {@link #indexOf}. */
    public void setAt(int index, Object value) {
        entries.get(index).value = toRhai(value);
    }

    public boolean contains(String name) {
        return find(name) != null;
    }

    public boolean isConstant(String name) {
        Entry e = find(name);
        return e != null && e.constant;
    }

    /** The value of the latest variable of that name, or null when absent. */
    public Object get(String name) {
        Entry e = find(name);
        return e == null ? null : e.value;
    }

    /** Updates the latest variable of that name, or pushes a new one. */
    public Scope set(String name, Object value) {
        Entry e = find(name);
        if (e == null || e.constant) entries.add(new Entry(name, toRhai(value), false));
        else e.value = toRhai(value);
        return this;
    }

    /** Defines (shadows) a variable as a script's top-level {@code let}/{@code const} does. */
    public void define(String name, Object value, boolean constant) {
        Entry e = find(name);
        if (e != null && e.constant == constant && e == entries.get(entries.size() - 1)) {
            e.value = value;
        } else if (e != null && !e.constant && !constant) {
            e.value = value;
        } else {
            entries.add(new Entry(name, value, constant));
        }
    }

    public int size() {
        return entries.size();
    }

    public List<String> names() {
        List<String> r = new ArrayList<>();
        for (Entry e : entries) r.add(e.name);
        return r;
    }

    public void clear() {
        entries.clear();
    }

    /**
     * Converts common Java values to the Rhai representation (Integer → Long, Float → Double, Character → char,
     * null → (), other Lists → array, other Maps → object map with string keys).
     */
    public static Object toRhai(Object v) {
        if (v == null) return Unit.INSTANCE;
        if (v instanceof Integer i) return (long) i;
        if (v instanceof Short s) return (long) s;
        if (v instanceof Byte b) return (long) b;
        if (v instanceof Float f) return (double) f;
        if (v instanceof Character c) return RChar.of(c);
        if (v instanceof java.util.List<?> l && !(v instanceof java.util.ArrayList)) {
            java.util.ArrayList<Object> a = new java.util.ArrayList<>(l.size());
            for (Object o : l) a.add(toRhai(o));
            return a;
        }
        if (v instanceof java.util.Map<?, ?> m && !(v instanceof java.util.TreeMap)) {
            java.util.TreeMap<String, Object> t = new java.util.TreeMap<>();
            for (var e : m.entrySet()) t.put(String.valueOf(e.getKey()), toRhai(e.getValue()));
            return t;
        }
        return v;
    }
}
