package io.circles.rhai.packages;

import io.circles.rhai.serde.JsonValues;
import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.FnPtr;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.Values;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/** {@code parse_json(string)} (script-level) and the JSON text form used by {@code map.to_json()}. */
public final class JsonPackage implements Package {
    @Override
    public void register(FunctionRegistry r) {
        r.register("parse_json", (ctx, a) -> parseJson((String) a[0]), String.class);
    }

    /** Parses a JSON object into a Rhai object map (like Rhai's {@code Engine::parse_json(json, true)}). */
    public static TreeMap<String, Object> parseJson(String json) {
        return JsonValues.parseObject(json, true);
    }

    /** Rhai's {@code format_map_as_json}: compact JSON, keys in map order. */
    public static String mapToJson(TreeMap<String, Object> map) {
        StringBuilder sb = new StringBuilder();
        appendMap(sb, map);
        return sb.toString();
    }

    private static void appendMap(StringBuilder sb, TreeMap<?, ?> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(Values.toDebug(e.getKey()));
            sb.append(':');
            appendValue(sb, e.getValue());
        }
        sb.append('}');
    }

    private static void appendValue(StringBuilder sb, Object v) {
        if (v == Unit.INSTANCE || v == null) {
            sb.append("null");
        } else if (v instanceof FnPtr f) {
            if (f.curried().isEmpty()) {
                sb.append(Values.toDebug(f.name()));
            } else {
                sb.append('[').append(Values.toDebug(f.name()));
                for (Object c : f.curried()) {
                    sb.append(',');
                    appendValue(sb, c);
                }
                sb.append(']');
            }
        } else if (v instanceof TreeMap<?, ?> m) {
            appendMap(sb, m);
        } else if (v instanceof ArrayList<?> a) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) sb.append(',');
                appendValue(sb, a.get(i));
            }
            sb.append(']');
        } else if (v instanceof Blob b) {
            sb.append('[');
            for (int i = 0; i < b.length(); i++) {
                if (i > 0) sb.append(',');
                sb.append(b.get(i));
            }
            sb.append(']');
        } else if (v instanceof RChar c) {
            sb.append(Values.charLiteral(c));
        } else {
            sb.append(Values.toDebug(v));
        }
    }
}
