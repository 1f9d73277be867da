package io.circles.rhai.func;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's table of native functions. Mutated only while the engine is configured; read-only (and therefore
 * safe for concurrent readers) afterwards.
 */
public final class FunctionTable implements FunctionRegistry {
    /** One registered overload. */
    public static final class Overload {
        public final String name;
        public final Class<?>[] params;
        public final NativeFunction fn;
        final int anyCount;

        Overload(String name, Class<?>[] params, NativeFunction fn) {
            this.name = name;
            this.params = params;
            this.fn = fn;
            int n = 0;
            for (Class<?> c : params) {
                if (c == Object.class) n++;
            }
            this.anyCount = n;
        }

        public boolean matches(Object[] args) {
            Class<?>[] p = params;
            for (int i = 0; i < p.length; i++) {
                Class<?> c = p[i];
                if (c != Object.class && !c.isInstance(args[i])) return false;
            }
            return true;
        }
    }

    private final Map<String, Overload[]> byKey = new HashMap<>();
    private final java.util.Set<String> names = new java.util.HashSet<>();

    static String key(String name, int arity) {
        return name + '/' + arity;
    }

    @Override
    public synchronized void register(String name, NativeFunction fn, Class<?>... paramTypes) {
        String k = key(name, paramTypes.length);
        Overload o = new Overload(name, paramTypes.clone(), fn);
        Overload[] cur = byKey.get(k);
        List<Overload> list = new ArrayList<>();
        if (cur != null) {
            for (Overload x : cur) {
                if (!java.util.Arrays.equals(x.params, o.params)) list.add(x);
            }
        }
        // newest registration first among equals; fewer "any" params first
        list.add(0, o);
        list.sort((a, b) -> Integer.compare(a.anyCount, b.anyCount));
        byKey.put(k, list.toArray(new Overload[0]));
        names.add(name);
    }

    /** All overloads for name/arity (null if none). */
    public Overload[] lookup(String name, int arity) {
        return byKey.get(key(name, arity));
    }

    /** The first overload matching the runtime arguments, or null. */
    public Overload resolve(String name, Object[] args) {
        Overload[] os = byKey.get(key(name, args.length));
        if (os == null) return null;
        for (Overload o : os) {
            if (o.matches(args)) return o;
        }
        return null;
    }

    public boolean hasName(String name) {
        return names.contains(name);
    }

    public boolean exists(String name, int arity) {
        return byKey.containsKey(key(name, arity));
    }
}
