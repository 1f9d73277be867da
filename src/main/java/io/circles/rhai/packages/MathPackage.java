package io.circles.rhai.packages;

import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.NativeFunction;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.RRange;

import java.util.ArrayList;
import java.util.function.DoubleUnaryOperator;

/**
 * Rhai's arithmetic, logic (min/max), basic-math, bit-field and number-formatting packages: the named
 * functions on INT and FLOAT (the operators themselves belong to the core).
 */
public final class MathPackage implements Package {
    static final Class<?> L = Long.class;
    static final Class<?> D = Double.class;
    static final Class<?> S = String.class;
    static final Class<?> C = RChar.class;
    static final Class<?> R = RRange.class;

    /** Registers {@code name} and the property getter {@code get$name}. */
    static void fnAndGetter(FunctionRegistry r, String name, NativeFunction fn, Class<?> type) {
        r.register(name, fn, type);
        r.register("get$" + name, fn, type);
    }

    private static long l(Object o) {
        return (Long) o;
    }

    private static double d(Object o) {
        return (Double) o;
    }

    private static void floatFn(FunctionRegistry r, String name, DoubleUnaryOperator op) {
        r.register(name, (ctx, a) -> op.applyAsDouble(d(a[0])), D);
    }

    @Override
    public void register(FunctionRegistry r) {
        registerArithmetic(r);
        registerMinMax(r);
        registerConversions(r);
        registerFloatFunctions(r);
        registerTrigonometry(r);
        registerBitFieldsAndFormatting(r);
    }

    /** The arithmetic package: is_zero, is_odd, is_even, abs and sign for INT and FLOAT. */
    private static void registerArithmetic(FunctionRegistry r) {
        fnAndGetter(r, "is_zero", (ctx, a) -> l(a[0]) == 0, L);
        fnAndGetter(r, "is_odd", (ctx, a) -> l(a[0]) % 2 != 0, L);
        fnAndGetter(r, "is_even", (ctx, a) -> l(a[0]) % 2 == 0, L);
        r.register("abs", (ctx, a) -> {
            long x = l(a[0]);
            if (x == Long.MIN_VALUE) {
                throw RhaiException.arithmetic("Negation overflow: -" + x);
            }
            return Math.abs(x);
        }, L);
        r.register("sign", (ctx, a) -> (long) Long.signum(l(a[0])), L);
        // ---- arithmetic package: FLOAT
        r.register("abs", (ctx, a) -> Math.abs(d(a[0])), D);
        r.register("sign", (ctx, a) -> {
            double x = d(a[0]);
            if (x == 0.0) return 0L;
            if (Double.isNaN(x)) throw RhaiException.arithmetic("Sign of NaN is undefined");
            return x > 0 ? 1L : -1L;
        }, D);
        fnAndGetter(r, "is_zero", (ctx, a) -> d(a[0]) == 0.0, D);
    }

    /** The logic package: min and max, also across INT and FLOAT. */
    private static void registerMinMax(FunctionRegistry r) {
        r.register("max", (ctx, a) -> l(a[0]) >= l(a[1]) ? a[0] : a[1], L, L);
        r.register("min", (ctx, a) -> l(a[0]) <= l(a[1]) ? a[0] : a[1], L, L);
        r.register("max", (ctx, a) -> d(a[0]) >= d(a[1]) ? a[0] : a[1], D, D);
        r.register("min", (ctx, a) -> d(a[0]) <= d(a[1]) ? a[0] : a[1], D, D);
        r.register("max", (ctx, a) -> {
            double x = (double) l(a[0]);
            double y = d(a[1]);
            return x >= y ? x : y;
        }, L, D);
        r.register("max", (ctx, a) -> {
            double x = d(a[0]);
            double y = (double) l(a[1]);
            return x >= y ? x : y;
        }, D, L);
        r.register("min", (ctx, a) -> {
            double x = (double) l(a[0]);
            double y = d(a[1]);
            return x <= y ? x : y;
        }, L, D);
        r.register("min", (ctx, a) -> {
            double x = d(a[0]);
            double y = (double) l(a[1]);
            return x <= y ? x : y;
        }, D, L);
        r.register("max", (ctx, a) -> ArrayPackage.compareUtf8((String) a[0], (String) a[1]) >= 0 ? a[0] : a[1], S, S);
        r.register("min", (ctx, a) -> ArrayPackage.compareUtf8((String) a[0], (String) a[1]) <= 0 ? a[0] : a[1], S, S);
        r.register("max", (ctx, a) -> ((RChar) a[0]).codePoint() >= ((RChar) a[1]).codePoint() ? a[0] : a[1], C, C);
        r.register("min", (ctx, a) -> ((RChar) a[0]).codePoint() <= ((RChar) a[1]).codePoint() ? a[0] : a[1], C, C);
    }

    /** Parsing and conversion: parse_int, parse_float, to_int, to_float, to_char. */
    private static void registerConversions(FunctionRegistry r) {
        r.register("parse_int", (ctx, a) -> parseInt((String) a[0], 10), S);
        r.register("parse_int", (ctx, a) -> parseInt((String) a[0], l(a[1])), S, L);
        r.register("parse_float", (ctx, a) -> parseFloat((String) a[0]), S);
        r.register("to_int", (ctx, a) -> a[0], L);
        r.register("to_int", (ctx, a) -> (long) ((RChar) a[0]).codePoint(), C);
        r.register("to_int", (ctx, a) -> {
            double x = d(a[0]);
            if (x > 9.223372036854775807E18 || x < -9.223372036854775808E18) {
                throw RhaiException.arithmetic("Integer overflow: to_int(" + Support.rustFloat(x) + ")");
            }
            if (Double.isNaN(x)) {
                return 0L;
            }
            return (long) x;
        }, D);
        r.register("to_float", (ctx, a) -> a[0], D);
        r.register("to_float", (ctx, a) -> (double) l(a[0]), L);
        r.register("to_char", (ctx, a) -> {
            long x = l(a[0]);
            if (x < 0 || x > 0x10FFFF || (x >= 0xD800 && x <= 0xDFFF)) {
                throw RhaiException.arithmetic("Invalid character code: " + x);
            }
            return RChar.of((int) x);
        }, L);
        r.register("to_char", (ctx, a) -> a[0], C);
    }

    /** Constants and float functions: PI, E, sqrt, exp, ln, log, rounding, is_nan, is_finite, is_infinite. */
    private static void registerFloatFunctions(FunctionRegistry r) {
        r.register("PI", (ctx, a) -> Math.PI);
        r.register("E", (ctx, a) -> Math.E);
        floatFn(r, "to_radians", Math::toRadians);
        floatFn(r, "to_degrees", Math::toDegrees);
        floatFn(r, "sqrt", Math::sqrt);
        floatFn(r, "exp", Math::exp);
        floatFn(r, "ln", Math::log);
        floatFn(r, "log", Math::log10);
        r.register("log", (ctx, a) -> Math.log(d(a[0])) / Math.log(d(a[1])), D, D);
        fnAndGetter(r, "floor", (ctx, a) -> Math.floor(d(a[0])), D);
        fnAndGetter(r, "ceiling", (ctx, a) -> Math.ceil(d(a[0])), D);
        fnAndGetter(r, "round", (ctx, a) -> roundHalfAway(d(a[0])), D);
        fnAndGetter(r, "int", (ctx, a) -> trunc(d(a[0])), D);
        fnAndGetter(r, "fraction", (ctx, a) -> {
            double x = d(a[0]);
            return x - trunc(x);
        }, D);
        fnAndGetter(r, "is_nan", (ctx, a) -> Double.isNaN(d(a[0])), D);
        fnAndGetter(r, "is_finite", (ctx, a) -> Double.isFinite(d(a[0])), D);
        fnAndGetter(r, "is_infinite", (ctx, a) -> Double.isInfinite(d(a[0])), D);
    }

    /** sin, cos, tan, their inverses and hyperbolic forms, hypot. */
    private static void registerTrigonometry(FunctionRegistry r) {
        floatFn(r, "sin", Math::sin);
        floatFn(r, "cos", Math::cos);
        floatFn(r, "tan", Math::tan);
        floatFn(r, "sinh", Math::sinh);
        floatFn(r, "cosh", Math::cosh);
        floatFn(r, "tanh", Math::tanh);
        floatFn(r, "asin", Math::asin);
        floatFn(r, "acos", Math::acos);
        floatFn(r, "atan", Math::atan);
        r.register("atan", (ctx, a) -> Math.atan2(d(a[0]), d(a[1])), D, D);
        floatFn(r, "asinh", MathPackage::asinh);
        floatFn(r, "acosh", x -> x < 1.0 ? Double.NaN : Math.log(x + Math.sqrt(x * x - 1.0)));
        floatFn(r, "atanh", x -> 0.5 * Math.log1p(2.0 * x / (1.0 - x)));
        r.register("hypot", (ctx, a) -> Math.hypot(d(a[0]), d(a[1])), D, D);
    }

    /** to_hex, to_octal, to_binary and the bit-field functions (get_bit, set_bit, get_bits, set_bits, bits). */
    private static void registerBitFieldsAndFormatting(FunctionRegistry r) {
        r.register("to_hex", (ctx, a) -> Long.toHexString(l(a[0])), L);
        r.register("to_octal", (ctx, a) -> Long.toOctalString(l(a[0])), L);
        r.register("to_binary", (ctx, a) -> Long.toBinaryString(l(a[0])), L);

        // ---- bit fields
        r.register("get_bit", (ctx, a) -> {
            int bit = bitIndex(l(a[1]));
            return (l(a[0]) & (1L << bit)) != 0;
        }, L, L);
        r.register("set_bit", (ctx, a) -> {
            int bit = bitIndex(l(a[1]));
            long mask = 1L << bit;
            long v = l(a[0]);
            a[0] = (Boolean) a[2] ? v | mask : v & ~mask;
            return io.circles.rhai.types.Unit.INSTANCE;
        }, L, L, Boolean.class);
        r.register("get_bits", (ctx, a) -> getBits(l(a[0]), l(a[1]), l(a[2])), L, L, L);
        r.register("get_bits", (ctx, a) -> {
            RRange rg = (RRange) a[1];
            long[] fl = bitRange(rg);
            return getBits(l(a[0]), fl[0], fl[1]);
        }, L, R);
        r.register("set_bits", (ctx, a) -> {
            a[0] = setBits(l(a[0]), l(a[1]), l(a[2]), l(a[3]));
            return io.circles.rhai.types.Unit.INSTANCE;
        }, L, L, L, L);
        r.register("set_bits", (ctx, a) -> {
            long[] fl = bitRange((RRange) a[1]);
            a[0] = setBits(l(a[0]), fl[0], fl[1], l(a[2]));
            return io.circles.rhai.types.Unit.INSTANCE;
        }, L, R, L);
        r.register("bits", (ctx, a) -> bits(l(a[0]), 0, Long.MAX_VALUE), L);
        r.register("get$bits", (ctx, a) -> bits(l(a[0]), 0, Long.MAX_VALUE), L);
        r.register("bits", (ctx, a) -> bits(l(a[0]), l(a[1]), Long.MAX_VALUE), L, L);
        r.register("bits", (ctx, a) -> bits(l(a[0]), l(a[1]), l(a[2])), L, L, L);
        r.register("bits", (ctx, a) -> {
            RRange rg = (RRange) a[1];
            long from = Math.max(rg.start(), 0);
            long len;
            if (rg.inclusive()) {
                long to = Math.min(Math.max(rg.end(), from - 1), Long.MAX_VALUE - 1);
                len = to - from + 1;
            } else {
                len = Math.max(rg.end(), from) - from;
            }
            return bits(l(a[0]), from, len);
        }, L, R);
    }

    // ------------------------------------------------------------------ helpers

    static double trunc(double x) {
        return x < 0 ? Math.ceil(x) : Math.floor(x);
    }

    /** Rust's {@code f64::round}: half-way cases away from zero. */
    static double roundHalfAway(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return x;
        double t = trunc(x);
        double frac = x - t;
        if (Math.abs(frac) >= 0.5) {
            return t + Math.signum(x);
        }
        return t == 0.0 ? Math.copySign(0.0, x) : t;
    }

    static double asinh(double x) {
        if (Double.isInfinite(x)) return x;
        double ax = Math.abs(x);
        double r = Math.log(ax + Math.sqrt(ax * ax + 1.0));
        return Math.copySign(r, x);
    }

    static long parseInt(String s, long radix) {
        if (radix < 2 || radix > 36) {
            throw RhaiException.arithmetic("Invalid radix: '" + radix + "'");
        }
        String t = trimRust(s);
        String err = null;
        if (t.isEmpty()) {
            err = "cannot parse integer from empty string";
        } else {
            int i = 0;
            boolean neg = false;
            if (t.charAt(0) == '+' || t.charAt(0) == '-') {
                neg = t.charAt(0) == '-';
                i = 1;
                if (t.length() == 1) {
                    err = "invalid digit found in string";
                }
            }
            if (err == null) {
                long acc = 0;
                for (; i < t.length(); i++) {
                    int dgt = Character.digit(t.charAt(i), (int) radix);
                    if (dgt < 0 || t.charAt(i) > 127) {
                        err = "invalid digit found in string";
                        break;
                    }
                    try {
                        acc = Math.multiplyExact(acc, radix);
                        acc = neg ? Math.subtractExact(acc, dgt) : Math.addExact(acc, dgt);
                    } catch (ArithmeticException e) {
                        err = neg ? "number too small to fit in target type" : "number too large to fit in target type";
                        break;
                    }
                }
                if (err == null) {
                    return acc;
                }
            }
        }
        throw RhaiException.arithmetic("Error parsing integer number '" + s + "': " + err);
    }

    static double parseFloat(String s) {
        String t = trimRust(s);
        if (t.isEmpty()) {
            throw RhaiException.arithmetic("Error parsing floating-point number '" + s
                    + "': cannot parse float from empty string");
        }
        String body = t;
        boolean neg = false;
        if (body.charAt(0) == '+' || body.charAt(0) == '-') {
            neg = body.charAt(0) == '-';
            body = body.substring(1);
        }
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        if (body.matches("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            double v = Double.parseDouble(body);
            return neg ? -v : v;
        }
        throw RhaiException.arithmetic("Error parsing floating-point number '" + s + "': invalid float literal");
    }

    /** Rust's {@code str::trim} (Unicode White_Space). */
    static String trimRust(String s) {
        int start = 0;
        int end = s.length();
        while (start < end) {
            int cp = s.codePointAt(start);
            if (!Support.isWhitespace(cp)) break;
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = s.codePointBefore(end);
            if (!Support.isWhitespace(cp)) break;
            end -= Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    private static int bitIndex(long bit) {
        int idx = Support.calcIndex(64, bit, true);
        if (idx < 0) {
            throw RhaiException.bitFieldBounds(64, bit);
        }
        return idx;
    }

    private static long[] bitRange(RRange rg) {
        long from = Math.max(rg.start(), 0);
        if (rg.inclusive()) {
            long to = Math.max(rg.end(), from - 1);
            if (to >= 64) {
                throw RhaiException.bitFieldBounds(64, to);
            }
            return new long[] {from, to - from + 1};
        }
        long to = Math.max(rg.end(), from);
        return new long[] {from, to - from};
    }

    static long getBits(long value, long start, long bits) {
        if (bits <= 0) {
            return 0;
        }
        int bit = bitIndex(start);
        int n = bits > 64 - bit ? 64 - bit : (int) bits;
        if (bit == 0 && n == 64) {
            return value;
        }
        long mask = (1L << n) - 1;
        return (value >>> bit) & mask;
    }

    static long setBits(long value, long start, long bits, long newValue) {
        if (bits <= 0) {
            return value;
        }
        int bit = bitIndex(start);
        int n = bits > 64 - bit ? 64 - bit : (int) bits;
        if (bit == 0 && n == 64) {
            return newValue;
        }
        long mask = (1L << n) - 1;
        value &= ~(mask << bit);
        value |= (newValue & mask) << bit;
        return value;
    }

    static ArrayList<Object> bits(long value, long from, long len) {
        int start = bitIndex(from);
        int n;
        if (len < 0) {
            n = 0;
        } else if (len > 64 - start) {
            n = 64 - start;
        } else {
            n = (int) len;
        }
        ArrayList<Object> out = new ArrayList<>(n);
        long v = value >> start;
        for (int i = 0; i < n; i++) {
            out.add((v & 1) != 0);
            v >>= 1;
        }
        return out;
    }
}
