package io.circles.circle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import io.circles.rhai.api.Engine;
import io.circles.rhai.serde.JsonValues;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.NativeCallContext;
import io.circles.rhai.types.Unit;

/**
 * The script API of a circle task ({@code docs/SCRIPTING.md}): identity ({@code caller_pk()},
 * {@code circle_pk()}), the circle's store ({@code db_get/db_set/db_delete/db_keys/db_incr}) and its webhook
 * events ({@code events}). Every function works on the circle of the evaluation's task ({@link TaskContext}, the
 * evaluation's tag); no argument can name another circle.
 */
@Singleton
public class CircleFunctions {
    private final CircleStore store;
    private final CircleEvents events;

    public CircleFunctions(CircleStore store, CircleEvents events) {
        this.store = store;
        this.events = events;
    }

    /** Registers the functions on {@code engine}. */
    public void register(Engine engine) {
        engine.registerRaw("caller_pk", (ctx, args) -> TaskContext.of(ctx).caller());
        engine.registerRaw("circle_pk", (ctx, args) -> TaskContext.of(ctx).circle());
        engine.registerRaw("db_get", (ctx, args) -> get(circle(ctx), (String) args[0]), String.class);
        engine.registerRaw("db_set", (ctx, args) -> set(TaskContext.of(ctx), (String) args[0], args[1]), String.class, Object.class);
        engine.registerRaw("db_delete", (ctx, args) -> guard(() -> store.delete(TaskContext.of(ctx), (String) args[0])), String.class);
        engine.registerRaw("db_keys", (ctx, args) -> keys(circle(ctx), (String) args[0]), String.class);
        engine.registerRaw("db_keys", (ctx, args) -> keys(circle(ctx), ""));
        engine.registerRaw("db_incr", (ctx, args) -> guard(() -> store.increment(TaskContext.of(ctx), (String) args[0], (Long) args[1])),
                String.class, Long.class);
        engine.registerRaw("db_incr", (ctx, args) -> guard(() -> store.increment(TaskContext.of(ctx), (String) args[0], 1L)), String.class);
        engine.registerRaw("events", (ctx, args) -> events(circle(ctx), (String) args[0], (Long) args[1]), String.class, Long.class);
        engine.registerRaw("events", (ctx, args) -> events(circle(ctx), (String) args[0], 20L), String.class);
    }

    private static String circle(NativeCallContext ctx) {
        return TaskContext.of(ctx).circle();
    }

    private Object get(String circle, String key) {
        String json = guard(() -> store.get(circle, key));
        return json == null ? Unit.INSTANCE : JsonValues.parse(json);
    }

    private Object set(TaskContext task, String key, Object value) {
        String json;
        try {
            json = JsonValues.toJsonString(value);
        } catch (RuntimeException e) {
            throw RhaiException.runtime("db_set: a " + io.circles.rhai.types.Values.typeName(value) + " cannot be stored (values must map to JSON)");
        }
        guard(() -> {
            store.set(task, key, json);
            return null;
        });
        return Unit.INSTANCE;
    }

    private Object keys(String circle, String prefix) {
        return new ArrayList<Object>(guard(() -> store.keys(circle, prefix)));
    }

    private Object events(String circle, String provider, long count) {
        List<Map<String, String>> entries = guard(() -> events.latest(circle, provider, (int) Math.min(count, CircleEvents.MAX_COUNT)));
        ArrayList<Object> out = new ArrayList<>();
        for (Map<String, String> entry : entries) {
            TreeMap<String, Object> map = new TreeMap<>();
            entry.forEach((name, value) -> map.put(name, name.equals("payload") ? JsonValues.parse(value) : value));
            map.put("event", map.remove("payload"));
            out.add(map);
        }
        return out;
    }

    /** Store failures become script errors (catchable with try/catch), never JVM errors. */
    private static <T> T guard(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (CircleStore.StoreException e) {
            throw RhaiException.runtime(e.getMessage());
        } catch (RhaiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw RhaiException.runtime("circle store unavailable: " + e.getMessage());
        }
    }
}
