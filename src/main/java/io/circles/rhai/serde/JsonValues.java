package io.circles.rhai.serde;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.Position;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Conversions between Rhai values and JSON (Jackson {@link JsonNode}) or plain Java objects.
 *
 * <p>Rhai → JSON: {@code i64} → integer, {@code f64} → floating-point number (NaN and infinities, which JSON
 * cannot represent, become the strings {@code "NaN"}, {@code "inf"}, {@code "-inf"}), string and char → string,
 * bool → boolean, {@code ()} → null, array → array, object map → object, anything else → its {@code to_string}.
 *
 * <p>JSON → Rhai: integral numbers that fit in 64 bits → {@code i64}, every other number → {@code f64}
 * (so {@code 1.0} stays floating), string → string, boolean → bool, null → {@code ()}, array → array,
 * object → object map.
 *
 * <p>All methods are stateless and thread-safe.
 */
public final class JsonValues {
    private JsonValues() {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    /** Maximum nesting depth followed when converting (guards against self-referencing containers). */
    private static final int MAX_DEPTH = 512;

    // ------------------------------------------------------------------ Rhai -> JSON

    /** Converts a Rhai value to a Jackson tree. */
    public static JsonNode toJson(Object value) {
        return toJson(value, 0);
    }

    private static JsonNode toJson(Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw RhaiException.dataTooLarge("Nesting depth");
        }
        if (v == null || v == Unit.INSTANCE) {
            return NODES.nullNode();
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Double d) {
            if (Double.isNaN(d)) return NODES.textNode("NaN");
            if (Double.isInfinite(d)) return NODES.textNode(d > 0 ? "inf" : "-inf");
            return NODES.numberNode(d);
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof RChar c) {
            return NODES.textNode(c.toString());
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode(list.size());
            for (Object o : list) {
                a.add(toJson(o, depth + 1));
            }
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                o.set(String.valueOf(e.getKey()), toJson(e.getValue(), depth + 1));
            }
            return o;
        }
        return NODES.textNode(Values.toDisplay(v));
    }

    /** Compact JSON text of a Rhai value. */
    public static String toJsonString(Object value) {
        try {
            return MAPPER.writeValueAsString(toJson(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ JSON -> Rhai

    /** Converts a Jackson tree to a Rhai value. */
    public static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Unit.INSTANCE;
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return node.longValue();
            }
            return node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            ArrayList<Object> a = new ArrayList<>(node.size());
            for (JsonNode n : node) {
                a.add(fromJson(n));
            }
            return a;
        }
        if (node.isObject()) {
            TreeMap<String, Object> m = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                m.put(e.getKey(), fromJson(e.getValue()));
            }
            return m;
        }
        if (node.isBinary()) {
            try {
                return new Blob(node.binaryValue());
            } catch (java.io.IOException e) {
                return node.asText();
            }
        }
        return node.asText();
    }

    /**
     * Parses JSON text into a Rhai value.
     *
     * @throws RhaiException (kind {@link ErrorKind#PARSING}) if the text is not valid JSON
     */
    public static Object parse(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            Position pos = Position.NONE;
            if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
                pos = new Position(e.getLocation().getLineNr(), Math.max(1, e.getLocation().getColumnNr()));
            }
            throw RhaiException.parse(msg == null ? "Invalid JSON" : msg, pos);
        }
        if (node == null || node.isMissingNode()) {
            throw RhaiException.parse("Invalid JSON: empty input", Position.NONE);
        }
        return fromJson(node);
    }

    /**
     * Rhai's {@code Engine::parse_json}: parses a JSON object into an object map. With {@code hasNull == false} a JSON
     * {@code null} anywhere is an error (as in the reference engine); with {@code true} it becomes {@code ()}.
     *
     * @throws RhaiException a syntax error for invalid JSON or a {@code null} that is not allowed; an output-type
     *                       error if the text is valid JSON but not an object
     */
    public static TreeMap<String, Object> parseObject(String json, boolean hasNull) {
        Object v = parse(json);
        if (!hasNull && containsUnit(v)) {
            throw RhaiException.parse("Invalid symbol: null", Position.NONE);
        }
        if (v instanceof TreeMap<?, ?>) {
            @SuppressWarnings("unchecked")
            TreeMap<String, Object> m = (TreeMap<String, Object>) v;
            return m;
        }
        throw RhaiException.of(ErrorKind.MISMATCH_OUTPUT_TYPE,
                "Output type incorrect: " + Values.typeName(v) + " (expecting map)");
    }

    private static boolean containsUnit(Object v) {
        if (v == Unit.INSTANCE) return true;
        if (v instanceof List<?> l) {
            for (Object o : l) if (containsUnit(o)) return true;
        } else if (v instanceof Map<?, ?> m) {
            for (Object o : m.values()) if (containsUnit(o)) return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ Rhai <-> plain Java

    /**
     * Converts a Rhai value to plain Java: {@code Long}, {@code Double}, {@code String} (also for chars),
     * {@code Boolean}, {@code null} for {@code ()}, {@code List<Object>} for arrays, an insertion-ordered
     * {@code Map<String,Object>} (keys sorted, as Rhai iterates them) for maps, {@code byte[]} for blobs; other values
     * (ranges, function pointers, timestamps, custom types) are returned unchanged.
     */
    public static Object toJava(Object value) {
        return toJava(value, 0);
    }

    private static Object toJava(Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw RhaiException.dataTooLarge("Nesting depth");
        }
        if (v == null || v == Unit.INSTANCE) {
            return null;
        }
        if (v instanceof RChar c) {
            return c.toString();
        }
        if (v instanceof ArrayList<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(toJava(o, depth + 1));
            }
            return out;
        }
        if (v instanceof TreeMap<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), toJava(e.getValue(), depth + 1));
            }
            return out;
        }
        if (v instanceof Blob b) {
            return b.toByteArray();
        }
        return v;
    }

    /**
     * Converts a plain Java value to a Rhai value: integral boxed numbers → {@code i64} (a {@code BigInteger} that
     * does not fit → {@code f64}), {@code Float}/{@code Double}/{@code BigDecimal} → {@code f64},
     * {@code CharSequence} → string, {@code Character} → char, {@code null} → {@code ()}, {@code Map} → object map
     * (keys via {@code String.valueOf}), {@code Collection}/arrays → array, {@code byte[]} → blob,
     * {@code JsonNode} → as {@link #fromJson}; Rhai values and other objects are returned unchanged (arrays and maps
     * are copied).
     */
    public static Object fromJava(Object value) {
        return fromJava(value, new IdentityHashMap<>(), 0);
    }

    private static Object fromJava(Object v, IdentityHashMap<Object, Boolean> seen, int depth) {
        if (depth > MAX_DEPTH) {
            throw RhaiException.dataTooLarge("Nesting depth");
        }
        if (v == null) {
            return Unit.INSTANCE;
        }
        if (v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean
                || v instanceof RChar || v == Unit.INSTANCE) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.util.concurrent.atomic.AtomicInteger || v instanceof java.util.concurrent.atomic.AtomicLong) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigInteger bi) {
            return bi.bitLength() < 64 ? (Object) bi.longValue() : (Object) bi.doubleValue();
        }
        if (v instanceof BigDecimal bd) {
            return bd.doubleValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        if (v instanceof Character c) {
            return RChar.of(c);
        }
        if (v instanceof JsonNode node) {
            return fromJson(node);
        }
        if (v instanceof byte[] bytes) {
            return new Blob(bytes);
        }
        if (v instanceof Map<?, ?> map) {
            if (seen.put(v, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("cyclic map cannot be converted to a Rhai value");
            }
            TreeMap<String, Object> m = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                m.put(String.valueOf(e.getKey()), fromJava(e.getValue(), seen, depth + 1));
            }
            seen.remove(v);
            return m;
        }
        if (v instanceof Collection<?> coll) {
            if (seen.put(v, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("cyclic collection cannot be converted to a Rhai value");
            }
            ArrayList<Object> a = new ArrayList<>(coll.size());
            for (Object o : coll) {
                a.add(fromJava(o, seen, depth + 1));
            }
            seen.remove(v);
            return a;
        }
        if (v instanceof Object[] arr) {
            ArrayList<Object> a = new ArrayList<>(arr.length);
            for (Object o : arr) {
                a.add(fromJava(o, seen, depth + 1));
            }
            return a;
        }
        if (v instanceof int[] arr) {
            ArrayList<Object> a = new ArrayList<>(arr.length);
            for (int x : arr) a.add((long) x);
            return a;
        }
        if (v instanceof long[] arr) {
            ArrayList<Object> a = new ArrayList<>(arr.length);
            for (long x : arr) a.add(x);
            return a;
        }
        if (v instanceof double[] arr) {
            ArrayList<Object> a = new ArrayList<>(arr.length);
            for (double x : arr) a.add(x);
            return a;
        }
        return v;
    }
}
