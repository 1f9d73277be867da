package io.circles.rhai.packages;

import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.NativeFunction;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.TreeMap;

/**
 * Operator overloads of the reference engine's built-in operator table for non-numeric types
 * (the core's own operator fast paths take precedence; these are found when it falls back to functions):
 * string minus, array/BLOB/map compound assignment, BLOB concatenation, map merge.
 */
public final class OperatorPackage implements Package {
    private static final Class<?> S = String.class;
    private static final Class<?> C = RChar.class;
    private static final Class<?> A = ArrayList.class;
    private static final Class<?> B = Blob.class;
    private static final Class<?> M = TreeMap.class;
    private static final Class<?> O = Object.class;
    private static final Object UNIT = Unit.INSTANCE;

    private static boolean isNumeric(Object o) {
        return o instanceof Long || o instanceof Double;
    }

    private static boolean cmpResult(String op, int c) {
        return switch (op) {
            case "==" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    /** Compares [first char, second char] of {@code s} with [c, none] (none sorts before any char). */
    private static int compareStrChar(String s, RChar c) {
        int first = s.isEmpty() ? -1 : s.codePointAt(0);
        int second = -1;
        if (!s.isEmpty()) {
            int next = Character.charCount(first);
            if (next < s.length()) {
                second = s.codePointAt(next);
            }
        }
        int r = Integer.compare(first, c.codePoint());
        return r != 0 ? Integer.signum(r) : Integer.compare(second, -1) > 0 ? 1 : 0;
    }

    @SuppressWarnings("unchecked")
    private static ArrayList<Object> arr(Object o) {
        return (ArrayList<Object>) o;
    }

    @Override
    public void register(FunctionRegistry r) {
        registerStringAndArrayOperators(r);
        registerBlobOperators(r);
        registerMixedComparisons(r);
        registerMapMerging(r);
    }

    /** string - string / char (remove all occurrences), array += item / array and array + array. */
    private static void registerStringAndArrayOperators(FunctionRegistry r) {
        // string - string / string - char: remove all occurrences
        r.register("-", (ctx, a) -> ((String) a[0]).replace((String) a[1], ""), S, S);
        r.register("-", (ctx, a) -> ((String) a[0]).replace(a[1].toString(), ""), S, C);
        r.register("-=", (ctx, a) -> {
            a[0] = ((String) a[0]).replace((String) a[1], "");
            return UNIT;
        }, S, S);
        r.register("-=", (ctx, a) -> {
            a[0] = ((String) a[0]).replace(a[1].toString(), "");
            return UNIT;
        }, S, C);

        // array += item (push), array += array (append)
        r.register("+=", ArrayPackage.PUSH, A, O);
        r.register("+=", ArrayPackage.APPEND, A, A);
        r.register("+", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            ArrayList<Object> y = arr(a[1]);
            ctx.checkArraySize((long) x.size() + y.size());
            ArrayList<Object> out = new ArrayList<>(x.size() + y.size());
            out.addAll(x);
            out.addAll(y);
            return out;
        }, A, A);
    }

    /** BLOB + and +=, and string + BLOB / BLOB + string (UTF-8, lossy). */
    private static void registerBlobOperators(FunctionRegistry r) {
        // BLOBs
        NativeFunction blobPlusBlob = (ctx, a) -> {
            byte[] x = ((Blob) a[0]).toByteArray();
            byte[] y = ((Blob) a[1]).toByteArray();
            ctx.checkBlobSize((long) x.length + y.length);
            Blob out = new Blob(x);
            out.append(y, 0, y.length);
            return out;
        };
        r.register("+", blobPlusBlob, B, B);
        r.register("+", (ctx, a) -> {
            Blob out = ((Blob) a[0]).copy();
            byte[] y = a[1].toString().getBytes(StandardCharsets.UTF_8);
            out.append(y, 0, y.length);
            return out;
        }, B, C);
        r.register("+=", (ctx, a) -> {
            Blob x = (Blob) a[0];
            byte[] y = ((Blob) a[1]).toByteArray();
            ctx.checkBlobSize((long) x.length() + y.length);
            x.append(y, 0, y.length);
            return UNIT;
        }, B, B);
        r.register("+=", (ctx, a) -> {
            Blob x = (Blob) a[0];
            ctx.checkBlobSize(x.length() + 1L);
            x.push((int) ((Long) a[1] & 0xff));
            return UNIT;
        }, B, Long.class);
        r.register("+=", (ctx, a) -> {
            Blob x = (Blob) a[0];
            byte[] y = a[1].toString().getBytes(StandardCharsets.UTF_8);
            ctx.checkBlobSize((long) x.length() + y.length);
            x.append(y, 0, y.length);
            return UNIT;
        }, B, C);
        r.register("+=", (ctx, a) -> {
            Blob x = (Blob) a[0];
            byte[] y = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            ctx.checkBlobSize((long) x.length() + y.length);
            x.append(y, 0, y.length);
            return UNIT;
        }, B, S);
        // string + blob / blob + string (UTF-8, lossy)
        r.register("+", (ctx, a) -> a[0] + new String(((Blob) a[1]).toByteArray(), StandardCharsets.UTF_8), S, B);
        r.register("+", (ctx, a) -> new String(((Blob) a[0]).toByteArray(), StandardCharsets.UTF_8) + a[1], B, S);
    }

    /** Comparisons between a string and a char, and between different non-numeric types. */
    private static void registerMixedComparisons(FunctionRegistry r) {
        // string <-> char comparisons: the reference engine compares the first two characters of the string
        // with the character (as Option<char> pairs, None sorting first)
        for (String op : new String[] {"==", "!=", "<", "<=", ">", ">="}) {
            r.register(op, (ctx, a) -> cmpResult(op, compareStrChar((String) a[0], (RChar) a[1])), S, C);
            r.register(op, (ctx, a) -> cmpResult(op, -compareStrChar((String) a[1], (RChar) a[0])), C, S);
        }
        // comparisons between different, non-numeric types are false (!= is true); same types without an
        // operator are "Function not found"
        for (String op : new String[] {"<", "<=", ">", ">="}) {
            r.register(op, (ctx, a) -> {
                if (a[0].getClass() != a[1].getClass() && !(isNumeric(a[0]) && isNumeric(a[1]))) {
                    return false;
                }
                throw RhaiException.functionNotFound(
                        op + " (" + Values.typeName(a[0]) + ", " + Values.typeName(a[1]) + ")");
            }, O, O);
        }
    }

    /** map += map and map + map. */
    private static void registerMapMerging(FunctionRegistry r) {
        // maps
        r.register("+=", (ctx, a) -> {
            TreeMap<String, Object> m = MapPackage.map(a[0]);
            TreeMap<String, Object> m2 = MapPackage.map(a[1]);
            m.putAll(m2 == m ? new TreeMap<>(m2) : m2);
            ctx.checkMapSize(m.size());
            return UNIT;
        }, M, M);
        r.register("+", (ctx, a) -> {
            TreeMap<String, Object> out = new TreeMap<>(MapPackage.map(a[0]));
            out.putAll(MapPackage.map(a[1]));
            ctx.checkMapSize(out.size());
            return out;
        }, M, M);
    }
}
