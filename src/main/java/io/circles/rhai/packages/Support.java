package io.circles.rhai.packages;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.NativeCallContext;
import io.circles.rhai.types.FnPtr;
import io.circles.rhai.types.RRange;

import java.math.BigDecimal;

/** Shared helpers of the standard-library packages (index arithmetic, callbacks, number formatting). */
final class Support {
    private Support() {
    }

    static final Object[] NO_ARGS = new Object[0];

    // ------------------------------------------------------------------ index arithmetic

    /**
     * Rhai's {@code calc_offset_len}: negative start counts from the end, values past the bounds are clamped.
     * Returns {start, len} with {@code start == length} meaning "past the end".
     */
    static int[] offsetLen(int length, long start, long len) {
        int s;
        if (start < 0) {
            long abs = start == Long.MIN_VALUE ? Long.MAX_VALUE : -start;
            s = abs >= length ? 0 : (int) (length - abs);
        } else if (start >= length) {
            return new int[] {length, 0};
        } else {
            s = (int) start;
        }
        int l;
        if (len <= 0) {
            l = 0;
        } else if (len > length - s) {
            l = length - s;
        } else {
            l = (int) len;
        }
        return new int[] {s, l};
    }

    /** Rhai's {@code calc_index}: returns -1 when out of bounds. */
    static int calcIndex(int length, long index, boolean negativeFromEnd) {
        if (length == 0) {
            return -1;
        }
        if (index < 0) {
            if (negativeFromEnd && index != Long.MIN_VALUE && -index <= length) {
                return (int) (length + index);
            }
            return -1;
        }
        return index < length ? (int) index : -1;
    }

    /** {start, len} of an exclusive or inclusive range as most Rhai functions compute it. */
    static long[] rangeStartLen(RRange r) {
        long start = Math.max(r.start(), 0);
        if (r.inclusive()) {
            long end = Math.min(Math.max(r.end(), start), Long.MAX_VALUE - 1);
            return new long[] {start, end - start + 1};
        }
        long end = Math.max(r.end(), start);
        return new long[] {start, end - start};
    }

    static int clampLen(long n) {
        return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    // ------------------------------------------------------------------ callbacks

    /** Rhai's {@code as_bool().unwrap_or(false)}. */
    static boolean isTrue(Object o) {
        return o instanceof Boolean b && b;
    }

    static boolean isNotFoundFor(RhaiException e, FnPtr fn) {
        if (e instanceof CallbackError ce) {
            e = ce.inner();
        }
        if (e.kind() != ErrorKind.FUNCTION_NOT_FOUND) {
            return false;
        }
        String m = e.baseMessage();
        String prefix = "Function not found: ";
        String sig = m.startsWith(prefix) ? m.substring(prefix.length()) : m;
        return sig.startsWith(fn.name());
    }

    private static Object[] concat(Object[] a, Object[] b) {
        if (b.length == 0) return a;
        if (a.length == 0) return b;
        Object[] r = new Object[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static Object[] insertAt(Object[] a, int pos, Object v) {
        Object[] r = new Object[a.length + 1];
        int p = Math.min(pos, a.length);
        System.arraycopy(a, 0, r, 0, p);
        r[p] = v;
        System.arraycopy(a, p, r, p + 1, a.length - p);
        return r;
    }

    /**
     * Calls a function pointer the way Rhai's {@code call_raw_with_extra_args} does: the item is offered as
     * {@code this}; if the function wants more parameters the item is moved into the argument list at
     * {@code movePos} (when {@code movePos >= 0}) and the {@code extras} (e.g. the index) are appended.
     *
     * @param thisRef one-element holder of the item; updated if the callback mutates {@code this}
     */
    static Object callExtra(NativeCallContext ctx, FnPtr fn, Object[] thisRef, Object[] args, Object[] extras,
            int movePos) {
        boolean move = movePos >= 0;
        int np = ctx.fnParamCount(fn);
        if (np >= 0) {
            // the core reports all declared parameters; the curried arguments fill the first ones
            np -= fn.curried().size();
            if (np < 0) {
                np = -1;
            }
        }
        int n = args.length;
        int e = extras.length;
        if (np >= 0) {
            if (np == n) {
                return ctx.callFnWithThis(fn, thisRef, args);
            }
            if (move && thisRef != null) {
                if (np == n + 1) {
                    return ctx.callFn(fn, insertAt(args, movePos, thisRef[0]));
                }
                if (np == n + e + 1) {
                    return ctx.callFn(fn, insertAt(concat(args, extras), movePos, thisRef[0]));
                }
            }
            if (np == n + e) {
                return ctx.callFnWithThis(fn, thisRef, concat(args, extras));
            }
        }
        try {
            return ctx.callFnWithThis(fn, thisRef, args);
        } catch (RhaiException ex) {
            if (!isNotFoundFor(ex, fn)) {
                throw ex;
            }
        }
        if (move && thisRef != null) {
            try {
                return ctx.callFn(fn, insertAt(args, movePos, thisRef[0]));
            } catch (RhaiException ex) {
                if (!isNotFoundFor(ex, fn)) {
                    throw ex;
                }
            }
            return ctx.callFn(fn, insertAt(concat(args, extras), movePos, thisRef[0]));
        }
        return ctx.callFnWithThis(fn, thisRef, concat(args, extras));
    }

    // ------------------------------------------------------------------ formatting

    /** Rust's {@code Display} of an f64 (never scientific). */
    static String rustFloat(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0.0) return (1 / d < 0) ? "-0" : "0";
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** Unicode White_Space, as Rust's {@code char::is_whitespace}. */
    static boolean isWhitespace(int cp) {
        switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                return true;
            default:
                return cp >= 0x2000 && cp <= 0x200A;
        }
    }

    static RhaiException notFound(String message) {
        return RhaiException.functionNotFound(message);
    }
}
