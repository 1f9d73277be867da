package io.circles.rhai.packages;

import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.FnPtr;
import io.circles.rhai.types.Unit;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/** Rhai's BasicMapPackage (object maps). */
public final class MapPackage implements Package {
    private static final Class<?> M = TreeMap.class;
    private static final Class<?> S = String.class;
    private static final Class<?> F = FnPtr.class;
    private static final Class<?> O = Object.class;
    private static final Object UNIT = Unit.INSTANCE;

    @SuppressWarnings("unchecked")
    static TreeMap<String, Object> map(Object o) {
        return (TreeMap<String, Object>) o;
    }

    @Override
    public void register(FunctionRegistry r) {
        r.register("len", (ctx, a) -> (long) map(a[0]).size(), M);
        r.register("is_empty", (ctx, a) -> map(a[0]).isEmpty(), M);
        r.register("contains", (ctx, a) -> map(a[0]).containsKey((String) a[1]), M, S);
        r.register("get", (ctx, a) -> {
            Object v = map(a[0]).get((String) a[1]);
            return v == null ? UNIT : v;
        }, M, S);
        r.register("set", (ctx, a) -> {
            TreeMap<String, Object> m = map(a[0]);
            if (!m.containsKey((String) a[1])) {
                ctx.checkMapSize(m.size() + 1L);
            }
            m.put((String) a[1], a[2]);
            return UNIT;
        }, M, S, O);
        r.register("clear", (ctx, a) -> {
            map(a[0]).clear();
            return UNIT;
        }, M);
        r.register("remove", (ctx, a) -> {
            Object v = map(a[0]).remove((String) a[1]);
            return v == null ? UNIT : v;
        }, M, S);
        r.register("mixin", (ctx, a) -> {
            TreeMap<String, Object> m = map(a[0]);
            TreeMap<String, Object> m2 = map(a[1]);
            m.putAll(m2 == m ? new TreeMap<>(m2) : m2);
            ctx.checkMapSize(m.size());
            return UNIT;
        }, M, M);
        r.register("fill_with", (ctx, a) -> {
            TreeMap<String, Object> m = map(a[0]);
            for (Map.Entry<String, Object> e : new ArrayList<>(map(a[1]).entrySet())) {
                m.putIfAbsent(e.getKey(), e.getValue());
            }
            ctx.checkMapSize(m.size());
            return UNIT;
        }, M, M);
        r.register("keys", (ctx, a) -> new ArrayList<Object>(map(a[0]).keySet()), M);
        r.register("values", (ctx, a) -> new ArrayList<>(map(a[0]).values()), M);
        r.register("map", CallbackError.wrapping("map", (ctx, a) -> {
            TreeMap<String, Object> m = map(a[0]);
            FnPtr f = (FnPtr) a[1];
            TreeMap<String, Object> out = new TreeMap<>();
            for (Map.Entry<String, Object> e : new ArrayList<>(m.entrySet())) {
                Object[] ref = {e.getValue()};
                out.put(e.getKey(), Support.callExtra(ctx, f, ref, new Object[] {e.getKey()}, Support.NO_ARGS, 1));
            }
            return out;
        }), M, F);
        r.register("filter", CallbackError.wrapping("filter", (ctx, a) -> {
            TreeMap<String, Object> m = map(a[0]);
            FnPtr f = (FnPtr) a[1];
            TreeMap<String, Object> out = new TreeMap<>();
            for (Map.Entry<String, Object> e : new ArrayList<>(m.entrySet())) {
                Object[] ref = {e.getValue()};
                if (Support.isTrue(Support.callExtra(ctx, f, ref, new Object[] {e.getKey()}, Support.NO_ARGS, 1))) {
                    out.put(e.getKey(), ref[0]);
                }
            }
            return out;
        }), M, F);
        r.register("drain", CallbackError.wrapping("drain", (ctx, a) -> drainOrRetain(ctx, map(a[0]), (FnPtr) a[1], true)), M, F);
        r.register("retain", CallbackError.wrapping("retain", (ctx, a) -> drainOrRetain(ctx, map(a[0]), (FnPtr) a[1], false)), M, F);
        r.register("to_json", (ctx, a) -> JsonPackage.mapToJson(map(a[0])), M);
    }

    private static TreeMap<String, Object> drainOrRetain(io.circles.rhai.func.NativeCallContext ctx,
            TreeMap<String, Object> m, FnPtr f, boolean drain) {
        TreeMap<String, Object> drained = new TreeMap<>();
        TreeMap<String, Object> retained = new TreeMap<>();
        RuntimeException error = null;
        for (Map.Entry<String, Object> e : new ArrayList<>(m.entrySet())) {
            if (error != null) {
                retained.put(e.getKey(), e.getValue());
                continue;
            }
            Object[] ref = {e.getValue()};
            try {
                boolean hit = Support.isTrue(Support.callExtra(ctx, f, ref, new Object[] {e.getKey()},
                        Support.NO_ARGS, 1));
                if (hit == drain) {
                    drained.put(e.getKey(), ref[0]);
                } else {
                    retained.put(e.getKey(), ref[0]);
                }
            } catch (RuntimeException ex) {
                error = ex;
                retained.put(e.getKey(), ref[0]);
            }
        }
        m.clear();
        m.putAll(retained);
        if (error != null) {
            throw error;
        }
        return drained;
    }
}
