package io.circles.rhai.eval;

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

/** Built-in operators with fast paths; unknown operand types fall back to registered functions named after the operator. */
public final class Ops {
    private Ops() {
    }

    // ---------------------------------------------------------------- integer helpers

    public static long addL(long x, long y) {
        long r = x + y;
        if (((x ^ r) & (y ^ r)) < 0) throw RhaiException.arithmetic("Addition overflow: " + x + " + " + y);
        return r;
    }

    public static long subL(long x, long y) {
        long r = x - y;
        if (((x ^ y) & (x ^ r)) < 0) throw RhaiException.arithmetic("Subtraction overflow: " + x + " - " + y);
        return r;
    }

    public static long mulL(long x, long y) {
        long hi = Math.multiplyHigh(x, y);
        long lo = x * y;
        if ((hi != 0 || lo < 0) && (hi != -1 || lo >= 0)) {
            throw RhaiException.arithmetic("Multiplication overflow: " + x + " * " + y);
        }
        return lo;
    }

    public static long divL(long x, long y) {
        if (y == 0) throw RhaiException.arithmetic("Division by zero: " + x + " / " + y);
        if (x == Long.MIN_VALUE && y == -1) throw RhaiException.arithmetic("Division overflow: " + x + " / " + y);
        return x / y;
    }

    public static long modL(long x, long y) {
        if (y == 0 || (x == Long.MIN_VALUE && y == -1)) {
            throw RhaiException.arithmetic("Modulo division by zero or overflow: " + x + " % " + y);
        }
        return x % y;
    }

    public static long powL(long x, long y) {
        if (y < 0) throw RhaiException.arithmetic("Integer raised to a negative power: " + x + " ** " + y);
        if (y > Integer.MAX_VALUE) throw RhaiException.arithmetic("Exponential overflow: " + x + " ** " + y);
        long result = 1;
        long base = x;
        long e = y;
        try {
            while (e > 0) {
                if ((e & 1) == 1) result = Math.multiplyExact(result, base);
                e >>= 1;
                if (e > 0) base = Math.multiplyExact(base, base);
            }
        } catch (ArithmeticException ex) {
            throw RhaiException.arithmetic("Exponential overflow: " + x + " ** " + y);
        }
        return result;
    }

    public static long shlL(long x, long y) {
        if (y < 0) return shrL(x, -y);
        if (y >= 64) throw RhaiException.arithmetic("Left-shift by too many bits: " + x + " << " + y);
        return x << y;
    }

    public static long shrL(long x, long y) {
        if (y < 0) return shlL(x, -y);
        if (y >= 64) throw RhaiException.arithmetic("Right-shift by too many bits: " + x + " >> " + y);
        return x >> y;
    }

    public static long negL(long x) {
        if (x == Long.MIN_VALUE) throw RhaiException.arithmetic("Negation overflow: -" + x);
        return -x;
    }

    // ---------------------------------------------------------------- generic binary

    private static boolean num(Object o) {
        return o instanceof Long || o instanceof Double;
    }

    private static double d(Object o) {
        return o instanceof Long l ? (double) l : (Double) o;
    }

    private static final double EPS = Math.ulp(1.0);

    private static double fmax(double x, double y) {
        return x * y == 0.0 ? 1.0 : Math.max(Math.abs(x), Math.abs(y));
    }

    /** Float {@code ==} with the reference engine's relative epsilon (also used for array/map equality). */
    public static boolean feq(double x, double y) {
        double m = fmax(x, y);
        return m == 0.0 || Math.abs(x - y) / m <= EPS;
    }

    static boolean fne(double x, double y) {
        double m = fmax(x, y);
        return m != 0.0 && Math.abs(x - y) / m > EPS;
    }

    static boolean flt(double x, double y) {
        double m = fmax(x, y);
        return m != 0.0 && (y - x) / m > EPS;
    }

    static boolean fle(double x, double y) {
        double m = fmax(x, y);
        return m == 0.0 || (y - x) / m > -EPS;
    }

    /** Evaluates {@code a op b}. */
    public static Object binary(Ctx ctx, String op, Object a, Object b, Position pos) {
        try {
            Object r = builtin(ctx, op, a, b);
            if (r != null) return r;
        } catch (RhaiException e) {
            throw e.at(pos);
        }
        FunctionTable.Overload o = ctx.natives.resolve(op, new Object[] {a, b});
        if (o != null) return ctx.callNative(o, new Object[] {a, b}, false, pos);
        ScriptFn sf = ctx.scriptFns.get(op + "/2");
        if (sf != null) return ctx.callScript(sf, null, new Object[] {a, b}, null, pos);
        if (op.equals("==")) return Boolean.FALSE;
        if (op.equals("!=")) return Boolean.TRUE;
        throw RhaiException.functionNotFound(Ctx.signature(op, new Object[] {a, b})).at(pos);
    }

    /** Built-in operator semantics or null when not applicable: dispatches on the operand types. */
    static Object builtin(Ctx ctx, String op, Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) return intOp(op, x, y);
        if (num(a) && num(b)) return floatOp(op, d(a), d(b));
        if (a instanceof String s) return stringOp(ctx, op, s, b);
        if (b instanceof String t && op.equals("+")) {
            if (a == Unit.INSTANCE) return t;
            if (a instanceof Blob) return null;
            return ctx.checkSize(display(ctx, a) + t);
        }
        if (a instanceof RChar x && b instanceof RChar y) return charOp(op, x, y);
        if (a instanceof Boolean x && b instanceof Boolean y) return boolOp(op, x, y);
        if (a instanceof ArrayList<?> x && b instanceof ArrayList<?> y) return arrayOp(ctx, op, x, y);
        if (a instanceof TreeMap<?, ?> x && b instanceof TreeMap<?, ?> y) return mapOp(ctx, op, x, y);
        if (a instanceof Blob x && b instanceof Blob y) return blobOp(ctx, op, x, y);
        if (a == Unit.INSTANCE && b == Unit.INSTANCE) {
            switch (op) {
                case "==": return true;
                case "!=": return false;
                default: return null;
            }
        }
        if (a instanceof RRange x && b instanceof RRange y) {
            switch (op) {
                case "==": return x.equals(y);
                case "!=": return !x.equals(y);
                default: return null;
            }
        }
        if ((op.equals("==") || op.equals("!=")) && a.getClass() == b.getClass() && isBuiltinType(a)) {
            boolean eq = Values.equalsValue(a, b);
            return op.equals("==") == eq;
        }
        return null;
    }

    private static Object intOp(String op, long p, long q) {
        switch (op) {
            case "+": return addL(p, q);
            case "-": return subL(p, q);
            case "*": return mulL(p, q);
            case "/": return divL(p, q);
            case "%": return modL(p, q);
            case "**": return powL(p, q);
            case "<<": return shlL(p, q);
            case ">>": return shrL(p, q);
            case "&": return p & q;
            case "|": return p | q;
            case "^": return p ^ q;
            case "==": return p == q;
            case "!=": return p != q;
            case "<": return p < q;
            case "<=": return p <= q;
            case ">": return p > q;
            case ">=": return p >= q;
            case "..": return new RRange(p, q, false);
            case "..=": return new RRange(p, q, true);
            default: return null;
        }
    }

    private static Object floatOp(String op, double p, double q) {
        switch (op) {
            case "+": return p + q;
            case "-": return p - q;
            case "*": return p * q;
            case "/": return p / q;
            case "%": return p % q;
            case "**": return Math.pow(p, q);
            // like the reference engine: relative epsilon comparisons
            case "==": return feq(p, q);
            case "!=": return fne(p, q);
            case "<": return flt(p, q);
            case "<=": return fle(p, q);
            case ">": return flt(q, p);
            case ">=": return fle(q, p);
            default: return null;
        }
    }

    private static Object stringOp(Ctx ctx, String op, String s, Object b) {
        if (b instanceof String t) {
            switch (op) {
                case "+": return ctx.checkSize(s.concat(t));
                case "-": return t.isEmpty() ? s : s.replace(t, "");
                case "==": return s.equals(t);
                case "!=": return !s.equals(t);
                case "<": return s.compareTo(t) < 0;
                case "<=": return s.compareTo(t) <= 0;
                case ">": return s.compareTo(t) > 0;
                case ">=": return s.compareTo(t) >= 0;
                default: return null;
            }
        }
        if (op.equals("-")) {
            if (b instanceof RChar c) return s.replace(c.toString(), "");
        }
        if (op.equals("+")) {
            if (b == Unit.INSTANCE) return s;
            if (b instanceof Blob) return null; // the stdlib decodes the BLOB as UTF-8
            return ctx.checkSize(s + display(ctx, b));
        }
        return null;
    }

    private static Object charOp(String op, RChar x, RChar y) {
        int p = x.codePoint(), q = y.codePoint();
        switch (op) {
            case "+": return x.toString() + y;
            case "==": return p == q;
            case "!=": return p != q;
            case "<": return p < q;
            case "<=": return p <= q;
            case ">": return p > q;
            case ">=": return p >= q;
            default: return null;
        }
    }

    private static Object boolOp(String op, boolean p, boolean q) {
        switch (op) {
            case "==": return p == q;
            case "!=": return p != q;
            case "&": return p & q;
            case "|": return p | q;
            case "^": return p ^ q;
            case "<": return !p & q;
            case ">": return p & !q;
            case "<=": return !p | q;
            case ">=": return p | !q;
            default: return null;
        }
    }

    private static Object arrayOp(Ctx ctx, String op, ArrayList<?> x, ArrayList<?> y) {
        switch (op) {
            case "+": {
                ArrayList<Object> r = new ArrayList<>(x.size() + y.size());
                r.addAll(x);
                r.addAll(y);
                ctx.checkArraySize(r.size());
                return r;
            }
            case "==": return Values.equalsValue(x, y);
            case "!=": return !Values.equalsValue(x, y);
            default: return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Object mapOp(Ctx ctx, String op, TreeMap<?, ?> x, TreeMap<?, ?> y) {
        switch (op) {
            case "+": {
                TreeMap<String, Object> r = new TreeMap<>((TreeMap<String, Object>) x);
                r.putAll((TreeMap<String, Object>) y);
                ctx.checkMapSize(r.size());
                return r;
            }
            case "==": return Values.equalsValue(x, y);
            case "!=": return !Values.equalsValue(x, y);
            default: return null;
        }
    }

    private static Object blobOp(Ctx ctx, String op, Blob x, Blob y) {
        switch (op) {
            case "+": {
                Blob r = x.copy();
                r.append(y.data(), 0, y.length());
                ctx.checkBlobSize(r.length());
                return r;
            }
            case "==": return x.equals(y);
            case "!=": return !x.equals(y);
            default: return null;
        }
    }

    private static boolean isBuiltinType(Object a) {
        return a instanceof io.circles.rhai.types.FnPtr || a instanceof io.circles.rhai.types.Timestamp;
    }

    /** to_string of a value, honouring a registered {@code to_string} for custom types. */
    public static String display(Ctx ctx, Object v) {
        if (v instanceof String s) return s;
        if (v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof RChar) return Values.toDisplay(v);
        FunctionTable.Overload o = ctx.natives.resolve("to_string", new Object[] {v});
        if (o != null && o.params[0] != Object.class) {
            return Values.toDisplay(ctx.callNative(o, new Object[] {v}, true, ctx.curPos));
        }
        return Values.toDisplay(v);
    }

    // ---------------------------------------------------------------- unary

    public static Object negate(Ctx ctx, Object v, Position pos) {
        if (v instanceof Long l) {
            try {
                return negL(l);
            } catch (RhaiException e) {
                throw e.at(pos);
            }
        }
        if (v instanceof Double d) return -d;
        return ctx.callByName("-", null, new Object[] {v}, false, pos);
    }

    public static Object plus(Ctx ctx, Object v, Position pos) {
        if (v instanceof Long || v instanceof Double) return v;
        return ctx.callByName("+", null, new Object[] {v}, false, pos);
    }

    public static Object not(Ctx ctx, Object v, Position pos) {
        if (v instanceof Boolean b) return !b;
        return ctx.callByName("!", null, new Object[] {v}, false, pos);
    }

    // ---------------------------------------------------------------- in

    @SuppressWarnings("unchecked")
    public static boolean in(Ctx ctx, Object item, Object container, Position pos) {
        if (container instanceof ArrayList<?> a) {
            for (Object o : a) {
                if (o.getClass() == item.getClass() || (num(o) && num(item))) {
                    if (Values.equalsValue(o, item)) return true;
                } else {
                    Object r = binary(ctx, "==", o, item, pos);
                    if (r instanceof Boolean bb && bb) return true;
                }
            }
            return false;
        }
        if (container instanceof String s) {
            if (item instanceof String t) return s.contains(t);
            if (item instanceof RChar c) return s.contains(c.toString());
        }
        if (container instanceof TreeMap<?, ?> m) {
            if (item instanceof String t) return m.containsKey(t);
            if (item instanceof RChar c) return m.containsKey(c.toString());
        }
        if (container instanceof RRange r && item instanceof Long l) return r.contains(l);
        if (container instanceof Blob b && item instanceof Long l) {
            for (int i = 0; i < b.length(); i++) if (b.get(i) == (l & 0xff) && l >= 0 && l < 256) return true;
            return false;
        }
        Object r = ctx.callByName("contains", null, new Object[] {container, item}, true, pos);
        if (r instanceof Boolean bb) return bb;
        throw RhaiException.mismatchDataType("bool", Values.typeName(r)).at(pos);
    }
}
