package io.circles.rhai.eval;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionTable;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.RRange;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.util.ArrayList;
import java.util.TreeMap;

/** Index and property access on values. */
public final class Indexing {
    private Indexing() {
    }

    private static RhaiException noIndexer(Object base, Object idx) {
        if ((base instanceof ArrayList || base instanceof String || base instanceof Long || base instanceof Blob)
                && !(idx instanceof Long)) {
            return RhaiException.mismatchDataType("i64", Values.typeName(idx));
        }
        return RhaiException.of(ErrorKind.INDEXING_TYPE,
                "Indexer unavailable: " + Values.typeName(base) + " [" + Values.typeName(idx) + "]");
    }

    /** {@code base[idx]} (no copy of the result). */
    @SuppressWarnings("unchecked")
    public static Object get(Ctx ctx, Object base, Object idx, Position pos) {
        try {
            if (base instanceof ArrayList<?> a) {
                if (idx instanceof Long l) {
                    long i = l;
                    int n = a.size();
                    long k = i < 0 ? i + n : i;
                    if (k < 0 || k >= n) throw RhaiException.arrayBounds(n, i);
                    return a.get((int) k);
                }
                if (idx instanceof RRange r) {
                    int n = a.size();
                    long[] ab = bounds(r, n);
                    long from = ab[0], to = ab[1];
                    return new ArrayList<Object>(a.subList((int) from, (int) to));
                }
                throw noIndexer(base, idx);
            }
            if (base instanceof TreeMap<?, ?> m) {
                if (idx instanceof String s) {
                    Object v = m.get(s);
                    return v == null ? Unit.INSTANCE : v;
                }
                // like the reference: a map is indexed by strings only (a char is a type error, not a key)
                throw RhaiException.mismatchDataType("string", Values.typeName(idx));
            }
            if (base instanceof String s) {
                if (idx instanceof RRange r) {
                    int n = s.codePointCount(0, s.length());
                    long[] ab = bounds(r, n);
                    long a = ab[0], b = ab[1];
                    if (r.inclusive() && emptyInclusiveSlice(r, a, n)) return "";
                    return s.substring(s.offsetByCodePoints(0, (int) a), s.offsetByCodePoints(0, (int) b));
                }
                if (idx instanceof Long l) {
                    long i = l;
                    if (i >= 0) {
                        if (i < s.length() && isBmpOnly(s, (int) Math.min(s.length(), i + 1))) {
                            return RChar.of(s.charAt((int) i));
                        }
                        int n = s.codePointCount(0, s.length());
                        if (i >= n) throw RhaiException.stringBounds(n, i);
                        return RChar.of(s.codePointAt(s.offsetByCodePoints(0, (int) i)));
                    }
                    int n = s.codePointCount(0, s.length());
                    long k = i + n;
                    if (k < 0) throw RhaiException.stringBounds(n, i);
                    return RChar.of(s.codePointAt(s.offsetByCodePoints(0, (int) k)));
                }
                throw noIndexer(base, idx);
            }
            if (base instanceof Long v) {
                if (idx instanceof Long l) {
                    long i = l;
                    long k = i < 0 ? i + 64 : i;
                    if (k < 0 || k >= 64) throw RhaiException.bitFieldBounds(64, i);
                    return ((v >>> k) & 1) == 1;
                }
                if (idx instanceof RRange r) {
                    long start = r.start(), end = r.endExclusive();
                    if (start < 0 || start >= 64) throw RhaiException.bitFieldBounds(64, start);
                    if (end > 64 && r.end() != Long.MAX_VALUE) throw RhaiException.bitFieldBounds(64, r.end());
                    if (end > 64) end = 64;
                    if (end <= start) return 0L;
                    long width = end - start;
                    long mask = width >= 64 ? -1L : (1L << width) - 1;
                    return (v >>> start) & mask;
                }
                throw noIndexer(base, idx);
            }
            if (base instanceof Blob b) {
                if (idx instanceof Long l) {
                    long i = l;
                    int n = b.length();
                    long k = i < 0 ? i + n : i;
                    if (k < 0 || k >= n) throw RhaiException.arrayBounds(n, i);
                    return (long) b.get((int) k);
                }
                throw noIndexer(base, idx);
            }
        } catch (RhaiException e) {
            throw e.at(pos);
        }
        Object[] args = {base, idx};
        FunctionTable.Overload o = ctx.natives.resolve("index$get", args);
        if (o != null) return ctx.callNative(o, args, true, pos);
        throw noIndexer(base, idx).at(pos);
    }

    /** Clamped [from, to) of a range over n items; negative ends count from the end. */
    static long[] bounds(RRange r, int n) {
        long a = r.start();
        long e = r.end();
        if (a < 0) a = Math.max(0, a + n);
        if (e < 0) e = e + n;
        if (r.inclusive() && e != Long.MAX_VALUE) e = e + 1;
        a = Math.min(a, n);
        long b = Math.max(a, Math.min(e, n));
        return new long[] {a, b};
    }

    /**
     * The reference takes nothing from a string when an inclusive range's end does not lie after its start
     * ({@code "hello"[1..=1]} and {@code "hello"[1..=-4]} are both empty), unless the slice is the whole string.
     */
    private static boolean emptyInclusiveSlice(RRange r, long start, int n) {
        long end = r.end() >= 0 ? r.end() : Math.max(0, r.end() + n);
        return end <= start && !(start == 0 && end >= n - 1);
    }

    private static boolean isBmpOnly(String s, int upto) {
        for (int i = 0; i < upto; i++) {
            if (Character.isSurrogate(s.charAt(i))) return false;
        }
        return true;
    }

    /** {@code base[idx] = v}; returns the (possibly new, for immutable bases) base value. */
    @SuppressWarnings("unchecked")
    public static Object set(Ctx ctx, Object base, Object idx, Object v, Position pos) {
        try {
            if (base instanceof ArrayList<?> a0) {
                ArrayList<Object> a = (ArrayList<Object>) a0;
                if (idx instanceof Long l) {
                    long i = l;
                    int n = a.size();
                    long k = i < 0 ? i + n : i;
                    if (k < 0 || k >= n) throw RhaiException.arrayBounds(n, i);
                    a.set((int) k, v);
                    return base;
                }
                throw noIndexer(base, idx);
            }
            if (base instanceof TreeMap<?, ?> m0) {
                TreeMap<String, Object> m = (TreeMap<String, Object>) m0;
                if (!(idx instanceof String key)) throw RhaiException.mismatchDataType("string", Values.typeName(idx));
                m.put(key, v);
                ctx.checkMapSize(m.size());
                return base;
            }
            if (base instanceof String s) {
                if (idx instanceof RRange r) {
                    int n = s.codePointCount(0, s.length());
                    long[] ab = bounds(r, n);
                    long a = ab[0], b = ab[1];
                    String repl = v instanceof RChar c ? c.toString() : v instanceof String t ? t : null;
                    if (repl == null) throw RhaiException.mismatchDataType("string", Values.typeName(v));
                    return s.substring(0, s.offsetByCodePoints(0, (int) a)) + repl
                            + s.substring(s.offsetByCodePoints(0, (int) b));
                }
                if (idx instanceof Long l) {
                    if (!(v instanceof RChar c)) {
                        throw RhaiException.mismatchDataType("char", Values.typeName(v));
                    }
                    long i = l;
                    int n = s.codePointCount(0, s.length());
                    long k = i < 0 ? i + n : i;
                    if (k < 0 || k >= n) throw RhaiException.stringBounds(n, i);
                    int off = s.offsetByCodePoints(0, (int) k);
                    int end = s.offsetByCodePoints(off, 1);
                    return s.substring(0, off) + c + s.substring(end);
                }
                throw noIndexer(base, idx);
            }
            if (base instanceof Long bits) {
                long x = bits;
                if (idx instanceof Long l) {
                    long i = l;
                    long k = i < 0 ? i + 64 : i;
                    if (k < 0 || k >= 64) throw RhaiException.bitFieldBounds(64, i);
                    if (!(v instanceof Boolean b)) throw RhaiException.mismatchDataType("bool", Values.typeName(v));
                    return b ? x | (1L << k) : x & ~(1L << k);
                }
                if (idx instanceof RRange r) {
                    if (!(v instanceof Long nv)) throw RhaiException.mismatchDataType("i64", Values.typeName(v));
                    long start = r.start(), end = Math.min(64, r.endExclusive());
                    if (start < 0 || start >= 64) throw RhaiException.bitFieldBounds(64, start);
                    if (end <= start) return x;
                    long width = end - start;
                    long mask = (width >= 64 ? -1L : (1L << width) - 1) << start;
                    return (x & ~mask) | ((nv << start) & mask);
                }
                throw noIndexer(base, idx);
            }
            if (base instanceof Blob b) {
                if (idx instanceof Long l) {
                    long i = l;
                    int n = b.length();
                    long k = i < 0 ? i + n : i;
                    if (k < 0 || k >= n) throw RhaiException.arrayBounds(n, i);
                    if (!(v instanceof Long nv)) throw RhaiException.mismatchDataType("i64", Values.typeName(v));
                    b.set((int) k, (int) (long) nv);
                    return base;
                }
                throw noIndexer(base, idx);
            }
        } catch (RhaiException e) {
            throw e.at(pos);
        }
        Object[] args = {base, idx, v};
        FunctionTable.Overload o = ctx.natives.resolve("index$set", args);
        if (o != null) {
            ctx.callNative(o, args, true, pos);
            return args[0];
        }
        throw noIndexer(base, idx).at(pos);
    }

    /** {@code base.name} (no copy of the result). */
    public static Object getProp(Ctx ctx, Object base, String name, Position pos) {
        if (base instanceof TreeMap<?, ?> m) {
            Object v = m.get(name);
            return v == null ? Unit.INSTANCE : v;
        }
        Object[] args = {base};
        FunctionTable.Overload o = ctx.natives.resolve("get$" + name, args);
        if (o != null) return ctx.callNative(o, args, true, pos);
        ScriptFn sf = ctx.scriptFns.get("get$" + name + "/0");
        if (sf != null) {
            Object[] ref = {base};
            return ctx.callScript(sf, ref, new Object[0], null, pos);
        }
        throw RhaiException.of(ErrorKind.DOT_EXPR, "Unknown property '" + name
                + "' - a getter is not registered for type '" + Values.typeName(base) + "'").at(pos);
    }

    /** {@code base.name = v}; returns the (possibly new) base. */
    @SuppressWarnings("unchecked")
    public static Object setProp(Ctx ctx, Object base, String name, Object v, Position pos) {
        if (base instanceof TreeMap<?, ?> m0) {
            TreeMap<String, Object> m = (TreeMap<String, Object>) m0;
            m.put(name, v);
            ctx.checkMapSize(m.size());
            return base;
        }
        Object[] args = {base, v};
        FunctionTable.Overload o = ctx.natives.resolve("set$" + name, args);
        if (o != null) {
            ctx.callNative(o, args, true, pos);
            return args[0];
        }
        ScriptFn sf = ctx.scriptFns.get("set$" + name + "/1");
        if (sf != null) {
            Object[] ref = {base};
            ctx.callScript(sf, ref, new Object[] {v}, null, pos);
            return ref[0];
        }
        throw RhaiException.of(ErrorKind.DOT_EXPR, "No writable property '" + name
                + "' - a setter is not registered for type '" + Values.typeName(base) + "' to handle '"
                + Values.typeName(v) + "'").at(pos);
    }
}
