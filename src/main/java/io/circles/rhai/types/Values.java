package io.circles.rhai.types;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Shared helpers on Rhai values (type names, display/debug formatting, copying, equality). */
public final class Values {
    private Values() {
    }

    private static final Map<Class<?>, String> CUSTOM_NAMES = new ConcurrentHashMap<>();

    /** Registers the Rhai type name shown by {@code type_of} for a custom Java type. */
    public static void registerTypeName(Class<?> type, String name) {
        CUSTOM_NAMES.put(type, name);
    }

    public static String typeName(Object v) {
        if (v instanceof Long) return "i64";
        if (v instanceof String) return "string";
        if (v instanceof Double) return "f64";
        if (v instanceof Boolean) return "bool";
        if (v instanceof RChar) return "char";
        if (v instanceof ArrayList) return "array";
        if (v instanceof TreeMap) return "map";
        if (v == Unit.INSTANCE || v == null) return "()";
        if (v instanceof RRange r) return r.inclusive() ? "range=" : "range";
        if (v instanceof FnPtr) return "Fn";
        if (v instanceof Timestamp) return "timestamp";
        if (v instanceof Blob) return "blob";
        return typeNameOfClass(v.getClass());
    }

    /** Rhai type name for a parameter class (used in "Function not found" signatures). */
    public static String typeNameOfClass(Class<?> c) {
        if (c == Long.class) return "i64";
        if (c == String.class) return "string";
        if (c == Double.class) return "f64";
        if (c == Boolean.class) return "bool";
        if (c == RChar.class) return "char";
        if (c == ArrayList.class) return "array";
        if (c == TreeMap.class) return "map";
        if (c == Unit.class) return "()";
        if (c == RRange.class) return "range";
        if (c == FnPtr.class) return "Fn";
        if (c == Timestamp.class) return "timestamp";
        if (c == Blob.class) return "blob";
        String n = CUSTOM_NAMES.get(c);
        return n != null ? n : c.getName();
    }

    // ---------------------------------------------------------------- display

    /** What {@code print} / {@code to_string} show. */
    public static String toDisplay(Object v) {
        if (v instanceof String s) return s;
        if (v instanceof Long) return v.toString();
        if (v instanceof Double d) return floatDisplay(d);
        if (v == Unit.INSTANCE || v == null) return "";
        if (v instanceof Boolean || v instanceof RChar || v instanceof RRange) return v.toString();
        if (v instanceof ArrayList || v instanceof TreeMap || v instanceof Blob) return toDebug(v);
        String custom = CUSTOM_NAMES.get(v.getClass());
        return custom != null ? custom : v.toString();
    }

    /** What {@code debug} / {@code to_debug} show. */
    public static String toDebug(Object v) {
        StringBuilder sb = new StringBuilder();
        appendDebug(sb, v, 0);
        return sb.toString();
    }

    private static void appendDebug(StringBuilder sb, Object v, int depth) {
        if (depth > 64) {
            sb.append("...");
            return;
        }
        if (v instanceof String s) {
            quote(sb, s, '"');
        } else if (v instanceof RChar c) {
            // the reference's debug form of a char is the bare char, also inside arrays and maps
            sb.append(c);
        } else if (v instanceof Double d) {
            sb.append(floatDebug(d));
        } else if (v == Unit.INSTANCE || v == null) {
            sb.append("()");
        } else if (v instanceof ArrayList<?> a) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) sb.append(", ");
                appendDebug(sb, a.get(i), depth + 1);
            }
            sb.append(']');
        } else if (v instanceof TreeMap<?, ?> m) {
            sb.append("#{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                quote(sb, (String) e.getKey(), '"');
                sb.append(": ");
                appendDebug(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else if (v instanceof Blob b) {
            sb.append('[');
            for (int i = 0; i < b.length(); i++) {
                if (i > 0 && i % 8 == 0) sb.append(' ');
                int x = b.get(i);
                sb.append(Character.forDigit(x >> 4, 16)).append(Character.forDigit(x & 15, 16));
            }
            sb.append(']');
        } else if (v instanceof FnPtr fp) {
            sb.append("Fn(");
            quote(sb, fp.name(), '"');
            for (Object c : fp.curried()) {
                sb.append(", ");
                appendDebug(sb, c, depth + 1);
            }
            sb.append(')');
        } else {
            String custom = CUSTOM_NAMES.get(v.getClass());
            sb.append(custom != null ? custom : v.toString());
        }
    }

    /** A char as a quoted literal ({@code 'c'}), the form JSON output shows for chars. */
    public static String charLiteral(RChar c) {
        StringBuilder sb = new StringBuilder();
        quote(sb, c.toString(), '\'');
        return sb.toString();
    }

    private static void quote(StringBuilder sb, String s, char q) {
        sb.append(q);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\0' -> sb.append("\\0");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append(q == '"' ? "\\\"" : "\"");
                case '\'' -> sb.append(q == '\'' ? "\\'" : "'");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append("\\u{").append(Integer.toHexString(cp)).append('}');
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        }
        sb.append(q);
    }

    /** Rhai's float display: natural notation, exponent outside [1e-13, 1e13]. */
    public static String floatDisplay(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        double abs = Math.abs(d);
        if (abs == 0.0) return "0.0";
        if (abs > 1e13 || abs < 1e-13) return floatExp(d);
        return plain(d);
    }

    /** Rust's {@code {:?}} of an f64. */
    public static String floatDebug(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        double abs = Math.abs(d);
        if (abs == 0.0) return (1 / d < 0) ? "-0.0" : "0.0";
        if (abs < 1e-4 || abs >= 1e16) return floatExp(d);
        return plain(d);
    }

    private static String plain(double d) {
        String s = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        if (s.indexOf('.') < 0) s = s + ".0";
        return s;
    }

    private static String floatExp(double d) {
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        StringBuilder sb = new StringBuilder();
        if (d < 0) sb.append('-');
        sb.append(digits.charAt(0));
        if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
        sb.append('e').append(exp);
        return sb.toString();
    }

    // ---------------------------------------------------------------- copy / equality

    /** Value semantics: deep copy of arrays, maps and blobs; other values are immutable and returned as is. */
    @SuppressWarnings("unchecked")
    public static Object deepCopy(Object v) {
        if (v instanceof ArrayList<?> a) {
            ArrayList<Object> c = new ArrayList<>(a);
            for (int i = 0, n = c.size(); i < n; i++) {
                Object x = c.get(i);
                if (x instanceof ArrayList || x instanceof TreeMap || x instanceof Blob) c.set(i, deepCopy(x));
            }
            return c;
        }
        if (v instanceof TreeMap<?, ?> m) {
            // linear-time copy of the sorted structure, then replace nested containers by copies
            TreeMap<String, Object> c = new TreeMap<>((TreeMap<String, Object>) m);
            for (Map.Entry<String, Object> e : c.entrySet()) {
                Object x = e.getValue();
                if (x instanceof ArrayList || x instanceof TreeMap || x instanceof Blob) e.setValue(deepCopy(x));
            }
            return c;
        }
        if (v instanceof Blob b) return b.copy();
        return v;
    }

    /** Rhai {@code ==} for built-in types (mixed INT/FLOAT compare numerically). */
    public static boolean equalsValue(Object a, Object b) {
        if (a == b) return true;
        if (a instanceof Long x) {
            if (b instanceof Long y) return x.longValue() == y.longValue();
            if (b instanceof Double y) return floatEq((double) x, y);
            return false;
        }
        if (a instanceof Double x) {
            if (b instanceof Double y) return floatEq(x, y);
            if (b instanceof Long y) return floatEq(x, (double) y);
            return false;
        }
        if (a instanceof ArrayList<?> x) {
            if (!(b instanceof ArrayList<?> y) || x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) {
                if (!equalsValue(x.get(i), y.get(i))) return false;
            }
            return true;
        }
        if (a instanceof TreeMap<?, ?> x) {
            if (!(b instanceof TreeMap<?, ?> y) || x.size() != y.size()) return false;
            Iterator<? extends Map.Entry<?, ?>> i1 = x.entrySet().iterator();
            Iterator<? extends Map.Entry<?, ?>> i2 = y.entrySet().iterator();
            while (i1.hasNext()) {
                Map.Entry<?, ?> e1 = i1.next();
                Map.Entry<?, ?> e2 = i2.next();
                if (!e1.getKey().equals(e2.getKey()) || !equalsValue(e1.getValue(), e2.getValue())) return false;
            }
            return true;
        }
        return a != null && a.equals(b);
    }

    /** Rhai's float {@code ==}: relative epsilon comparison like the reference engine. */
    public static boolean floatEq(double x, double y) {
        double max = x * y == 0.0 ? 1.0 : Math.max(Math.abs(x), Math.abs(y));
        return max == 0.0 || Math.abs(x - y) / max <= Math.ulp(1.0);
    }

    /** Convenience: a list of values as a Rhai array. */
    public static ArrayList<Object> arrayOf(List<?> items) {
        return new ArrayList<>(items);
    }
}
