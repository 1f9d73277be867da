package io.circles.rhai.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * {@code get_fn_metadata_list}: one object map per script-defined function of the running script, with the
 * reference's fields {@code name}, {@code access}, {@code is_anonymous}, {@code params} and, for methods
 * restricted to one type, {@code this_type}. Sorted by name, then by number of parameters.
 */
final class FnMetadata {
    private FnMetadata() {
    }

    /** Functions named {@code name} (null: all) with {@code arity} parameters (-1: any). */
    static ArrayList<Object> list(Ctx ctx, String name, long arity) {
        ArrayList<Object> out = new ArrayList<>();
        new TreeMap<>(ctx.scriptFns).forEach((key, fn) -> {
            if ((name == null || fn.name.equals(name)) && (arity < 0 || fn.params.length == arity)) {
                out.add(describe(key, fn));
            }
        });
        return out;
    }

    private static TreeMap<String, Object> describe(String key, ScriptFn fn) {
        TreeMap<String, Object> map = new TreeMap<>();
        map.put("name", fn.name);
        map.put("access", fn.isPrivate ? "private" : "public");
        map.put("is_anonymous", fn.name.startsWith("anon$"));
        map.put("params", new ArrayList<Object>(Arrays.asList((Object[]) fn.params)));
        if (key.startsWith(ScriptFn.typedPrefix("").substring(0, 1))) {
            // key of a typed method: typedPrefix(type) + name + "/" + arity
            map.put("this_type", key.substring(1, key.indexOf('.')));
        }
        return map;
    }
}
