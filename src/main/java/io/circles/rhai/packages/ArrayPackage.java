package io.circles.rhai.packages;

import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.NativeCallContext;
import io.circles.rhai.func.NativeFunction;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.FnPtr;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.RRange;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.util.ArrayList;
import java.util.List;

/** Rhai's BasicArrayPackage. */
public final class ArrayPackage implements Package {
    private static final Class<?> A = ArrayList.class;
    private static final Class<?> L = Long.class;
    private static final Class<?> F = FnPtr.class;
    private static final Class<?> S = String.class;
    private static final Class<?> R = RRange.class;
    private static final Class<?> O = Object.class;
    private static final Object UNIT = Unit.INSTANCE;

    /** {@code push(array, item)}, also {@code array += item}. */
    static final NativeFunction PUSH = (ctx, a) -> {
        ArrayList<Object> x = arr(a[0]);
        ctx.checkArraySize(x.size() + 1L);
        x.add(a[1]);
        return UNIT;
    };

    /** {@code append(array, array)}, also {@code array += array}; appending an array to itself copies it first. */
    static final NativeFunction APPEND = (ctx, a) -> {
        ArrayList<Object> x = arr(a[0]);
        ArrayList<Object> y = arr(a[1]);
        ctx.checkArraySize((long) x.size() + y.size());
        x.addAll(y == x ? new ArrayList<>(y) : y);
        return UNIT;
    };

    /** Whether the predicate gives {@code wanted} for some element (stops at the first); some/all/none build on it. */
    private static boolean anyWhere(NativeCallContext ctx, ArrayList<Object> x, FnPtr f, boolean wanted) {
        for (int i = 0; i < x.size(); i++) {
            if (Support.isTrue(callOn(ctx, f, x, i, Support.NO_ARGS, 0)) == wanted) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static ArrayList<Object> arr(Object o) {
        return (ArrayList<Object>) o;
    }

    private static long l(Object o) {
        return (Long) o;
    }

    private static Object[] idx(int i) {
        return new Object[] {(long) i};
    }

    /** Registers a callback function for both a FnPtr and (deprecated form) a function name. */
    private static void withFn(FunctionRegistry r, String name, NativeFunction raw, Class<?>... types) {
        NativeFunction fn = CallbackError.wrapping(name, raw);
        r.register(name, fn, types);
        Class<?>[] alt = types.clone();
        int pos = -1;
        for (int i = 0; i < alt.length; i++) {
            if (alt[i] == F) {
                alt[i] = S;
                pos = i;
            }
        }
        final int p = pos;
        r.register(name, (ctx, a) -> {
            a[p] = new FnPtr((String) a[p]);
            return fn.call(ctx, a);
        }, alt);
    }

    @Override
    public void register(FunctionRegistry r) {
        registerAccess(r);
        registerInsertionAndRemoval(r);
        registerSlicing(r);
        registerCallbacks(r);
        registerFolding(r);
        registerSorting(r);
        registerDrainAndRetainWhere(r);
    }

    /** len, is_empty, get and set by index. */
    private static void registerAccess(FunctionRegistry r) {
        MathPackage.fnAndGetter(r, "len", (ctx, a) -> (long) arr(a[0]).size(), A);
        MathPackage.fnAndGetter(r, "is_empty", (ctx, a) -> arr(a[0]).isEmpty(), A);
        r.register("get", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            int[] sl = Support.offsetLen(x.size(), l(a[1]), 0);
            return sl[0] >= x.size() ? UNIT : x.get(sl[0]);
        }, A, L);
        r.register("set", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            int[] sl = Support.offsetLen(x.size(), l(a[1]), 0);
            if (sl[0] < x.size()) {
                x.set(sl[0], a[2]);
            }
            return UNIT;
        }, A, L, O);
    }

    /** push, append, insert, pad, pop, shift, remove, clear, truncate and chop. */
    private static void registerInsertionAndRemoval(FunctionRegistry r) {
        r.register("push", PUSH, A, O);
        r.register("append", APPEND, A, A);
        r.register("insert", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            ctx.checkArraySize(x.size() + 1L);
            int[] sl = Support.offsetLen(x.size(), l(a[1]), 0);
            if (sl[0] >= x.size()) {
                x.add(a[2]);
            } else {
                x.add(sl[0], a[2]);
            }
            return UNIT;
        }, A, L, O);
        r.register("pad", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            long len = l(a[1]);
            if (len <= x.size()) {
                return UNIT;
            }
            ctx.checkArraySize(len);
            if (len > Integer.MAX_VALUE - 16) {
                throw RhaiException.dataTooLarge("Size of array");
            }
            Object item = a[2];
            // an immutable item (deepCopy returns it as is) is shared, not copied per element; the storage grows
            // once, with no temporary array of the new elements
            boolean shared = Values.deepCopy(item) == item;
            x.ensureCapacity((int) len);
            while (x.size() < len) {
                x.add(shared ? item : Values.deepCopy(item));
            }
            return UNIT;
        }, A, L, O);
        r.register("pop", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            return x.isEmpty() ? UNIT : x.remove(x.size() - 1);
        }, A);
        r.register("shift", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            return x.isEmpty() ? UNIT : x.remove(0);
        }, A);
        r.register("remove", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            int i = Support.calcIndex(x.size(), l(a[1]), true);
            return i < 0 ? UNIT : x.remove(i);
        }, A, L);
        r.register("clear", (ctx, a) -> {
            arr(a[0]).clear();
            return UNIT;
        }, A);
        r.register("truncate", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            long len = l(a[1]);
            if (len <= 0) {
                x.clear();
            } else if (len < x.size()) {
                x.subList((int) len, x.size()).clear();
            }
            return UNIT;
        }, A, L);
        r.register("chop", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            long len = l(a[1]);
            if (x.isEmpty()) {
                return UNIT;
            }
            if (len <= 0) {
                x.clear();
            } else if (len < x.size()) {
                x.subList(0, x.size() - (int) len).clear();
            }
            return UNIT;
        }, A, L);
    }

    /** reverse, and splice, extract, split, drain and retain by position. */
    private static void registerSlicing(FunctionRegistry r) {
        r.register("reverse", (ctx, a) -> {
            java.util.Collections.reverse(arr(a[0]));
            return UNIT;
        }, A);

        // ---- splice / extract / split / drain / retain by position
        r.register("splice", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            splice(ctx, arr(a[0]), sl[0], sl[1], arr(a[2]));
            return UNIT;
        }, A, R, A);
        r.register("splice", (ctx, a) -> {
            splice(ctx, arr(a[0]), l(a[1]), l(a[2]), arr(a[3]));
            return UNIT;
        }, A, L, L, A);
        r.register("extract", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            return extract(arr(a[0]), sl[0], sl[1]);
        }, A, R);
        r.register("extract", (ctx, a) -> extract(arr(a[0]), l(a[1]), l(a[2])), A, L, L);
        r.register("extract", (ctx, a) -> extract(arr(a[0]), l(a[1]), Long.MAX_VALUE), A, L);
        r.register("split", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            ArrayList<Object> out = new ArrayList<>();
            if (x.isEmpty()) {
                return out;
            }
            int[] sl = Support.offsetLen(x.size(), l(a[1]), Long.MAX_VALUE);
            if (sl[0] >= x.size()) {
                return out;
            }
            List<Object> tail = x.subList(sl[0], x.size());
            out.addAll(tail);
            tail.clear();
            return out;
        }, A, L);
        r.register("drain", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            return drainRange(arr(a[0]), sl[0], sl[1]);
        }, A, R);
        r.register("drain", (ctx, a) -> drainRange(arr(a[0]), l(a[1]), l(a[2])), A, L, L);
        r.register("retain", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            return retainRange(arr(a[0]), sl[0], sl[1]);
        }, A, R);
        r.register("retain", (ctx, a) -> retainRange(arr(a[0]), l(a[1]), l(a[2])), A, L, L);
    }

    /** Functions taking a callback: for_each, map, filter, contains, index_of, find, find_map, some, all, none. */
    private static void registerCallbacks(FunctionRegistry r) {
        withFn(r, "for_each", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            FnPtr f = (FnPtr) a[1];
            for (int i = 0; i < x.size(); i++) {
                Object[] ref = {x.get(i)};
                Support.callExtra(ctx, f, ref, Support.NO_ARGS, idx(i), -1);
                if (i < x.size()) {
                    x.set(i, ref[0]);
                }
            }
            return UNIT;
        }, A, F);
        withFn(r, "map", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            FnPtr f = (FnPtr) a[1];
            ArrayList<Object> out = new ArrayList<>(x.size());
            for (int i = 0; i < x.size(); i++) {
                out.add(callOn(ctx, f, x, i, Support.NO_ARGS, 0));
            }
            return out;
        }, A, F);
        withFn(r, "filter", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            FnPtr f = (FnPtr) a[1];
            ArrayList<Object> out = new ArrayList<>();
            for (int i = 0; i < x.size(); i++) {
                if (Support.isTrue(callOn(ctx, f, x, i, Support.NO_ARGS, 0)) && i < x.size()) {
                    out.add(x.get(i));
                }
            }
            return out;
        }, A, F);
        r.register("contains", (ctx, a) -> {
            for (Object item : arr(a[0])) {
                if (Values.equalsValue(item, a[1])) {
                    return true;
                }
            }
            return false;
        }, A, O);
        r.register("index_of", (ctx, a) -> indexOfValue(arr(a[0]), a[1], 0), A, O);
        r.register("index_of", (ctx, a) -> indexOfValue(arr(a[0]), a[1], l(a[2])), A, O, L);
        r.register("index_of", CallbackError.wrapping("index_of",
                (ctx, a) -> indexOfFilter(ctx, arr(a[0]), (FnPtr) a[1], 0)), A, F);
        r.register("index_of", CallbackError.wrapping("index_of",
                (ctx, a) -> indexOfFilter(ctx, arr(a[0]), (FnPtr) a[1], l(a[2]))), A, F, L);
        r.register("index_of", CallbackError.wrapping("index_of",
                (ctx, a) -> indexOfByName(ctx, arr(a[0]), (String) a[1], 0)), A, S);
        r.register("index_of", CallbackError.wrapping("index_of",
                (ctx, a) -> indexOfByName(ctx, arr(a[0]), (String) a[1], l(a[2]))), A, S, L);
        withFn(r, "find", (ctx, a) -> find(ctx, arr(a[0]), (FnPtr) a[1], 0), A, F);
        withFn(r, "find", (ctx, a) -> find(ctx, arr(a[0]), (FnPtr) a[1], l(a[2])), A, F, L);
        withFn(r, "find_map", (ctx, a) -> findMap(ctx, arr(a[0]), (FnPtr) a[1], 0), A, F);
        withFn(r, "find_map", (ctx, a) -> findMap(ctx, arr(a[0]), (FnPtr) a[1], l(a[2])), A, F, L);
        withFn(r, "some", (ctx, a) -> anyWhere(ctx, arr(a[0]), (FnPtr) a[1], true), A, F);
        withFn(r, "all", (ctx, a) -> !anyWhere(ctx, arr(a[0]), (FnPtr) a[1], false), A, F);
        withFn(r, "none", (ctx, a) -> !anyWhere(ctx, arr(a[0]), (FnPtr) a[1], true), A, F);
    }

    /** dedup, reduce, reduce_rev and zip. */
    private static void registerFolding(FunctionRegistry r) {
        r.register("dedup", (ctx, a) -> {
            dedup(arr(a[0]), (prev, cur) -> Values.equalsValue(prev, cur));
            return UNIT;
        }, A);
        withFn(r, "dedup", (ctx, a) -> {
            FnPtr f = (FnPtr) a[1];
            dedup(arr(a[0]), (prev, cur) -> {
                try {
                    return Support.isTrue(ctx.callFn(f, prev, cur));
                } catch (RhaiException e) {
                    if (isFatal(e)) throw e;
                    return false;
                }
            });
            return UNIT;
        }, A, F);
        withFn(r, "reduce", (ctx, a) -> reduce(ctx, arr(a[0]), (FnPtr) a[1], UNIT, false), A, F);
        withFn(r, "reduce", (ctx, a) -> reduce(ctx, arr(a[0]), (FnPtr) a[1], a[2], false), A, F, O);
        withFn(r, "reduce_rev", (ctx, a) -> reduce(ctx, arr(a[0]), (FnPtr) a[1], UNIT, true), A, F);
        withFn(r, "reduce_rev", (ctx, a) -> reduce(ctx, arr(a[0]), (FnPtr) a[1], a[2], true), A, F, O);
        withFn(r, "zip", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            ArrayList<Object> y = arr(a[1]);
            FnPtr f = (FnPtr) a[2];
            ArrayList<Object> out = new ArrayList<>();
            int n = Math.min(x.size(), y.size());
            for (int i = 0; i < n; i++) {
                out.add(Support.callExtra(ctx, f, null, new Object[] {x.get(i), y.get(i)}, idx(i), -1));
            }
            return out;
        }, A, A, F);
    }

    /** sort, sort_by, sort_desc and order (the non-mutating sorts). */
    private static void registerSorting(FunctionRegistry r) {
        withFn(r, "sort", (ctx, a) -> {
            sortBy(ctx, arr(a[0]), (FnPtr) a[1]);
            return UNIT;
        }, A, F);
        withFn(r, "sort_by", (ctx, a) -> {
            sortBy(ctx, arr(a[0]), (FnPtr) a[1]);
            return UNIT;
        }, A, F);
        r.register("sort", (ctx, a) -> {
            sortNatural(arr(a[0]), false);
            return UNIT;
        }, A);
        r.register("sort_desc", (ctx, a) -> {
            sortNatural(arr(a[0]), true);
            return UNIT;
        }, A);
        withFn(r, "order", (ctx, a) -> {
            ArrayList<Object> c = new ArrayList<>(arr(a[0]));
            sortBy(ctx, c, (FnPtr) a[1]);
            return c;
        }, A, F);
        withFn(r, "order_by", (ctx, a) -> {
            ArrayList<Object> c = new ArrayList<>(arr(a[0]));
            sortBy(ctx, c, (FnPtr) a[1]);
            return c;
        }, A, F);
        r.register("order", (ctx, a) -> {
            ArrayList<Object> c = new ArrayList<>(arr(a[0]));
            sortNatural(c, false);
            return c;
        }, A);
        r.register("order_desc", (ctx, a) -> {
            ArrayList<Object> c = new ArrayList<>(arr(a[0]));
            sortNatural(c, true);
            return c;
        }, A);
    }

    /** drain and retain with a predicate. */
    private static void registerDrainAndRetainWhere(FunctionRegistry r) {
        withFn(r, "drain", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            FnPtr f = (FnPtr) a[1];
            ArrayList<Object> drained = new ArrayList<>();
            int i = 0;
            int k = 0;
            while (k < x.size()) {
                if (Support.isTrue(callOn(ctx, f, x, k, i, 0))) {
                    drained.add(x.remove(k));
                } else {
                    k++;
                }
                i++;
            }
            return drained;
        }, A, F);
        withFn(r, "retain", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            FnPtr f = (FnPtr) a[1];
            ArrayList<Object> drained = new ArrayList<>();
            int i = 0;
            int k = 0;
            while (k < x.size()) {
                if (Support.isTrue(callOn(ctx, f, x, k, i, 0))) {
                    k++;
                } else {
                    drained.add(x.remove(k));
                }
                i++;
            }
            return drained;
        }, A, F);
    }

    /**
     * Calls {@code f} on element {@code i} (offered as {@code this}, or moved into the parameters) with the element's
     * index as the optional extra argument; writes a mutated {@code this} back into the array, as the reference
     * engine iterates elements by mutable reference.
     */
    private static Object callOn(NativeCallContext ctx, FnPtr f, ArrayList<Object> x, int i, Object[] args, int move) {
        return callOn(ctx, f, x, i, i, args, move);
    }

    private static Object callOn(NativeCallContext ctx, FnPtr f, ArrayList<Object> x, int k, int index, int move) {
        return callOn(ctx, f, x, k, index, Support.NO_ARGS, move);
    }

    private static Object callOn(NativeCallContext ctx, FnPtr f, ArrayList<Object> x, int k, int index,
            Object[] args, int move) {
        Object item = x.get(k);
        Object[] ref = {item};
        Object r = Support.callExtra(ctx, f, ref, args, idx(index), move);
        if (ref[0] != item && k < x.size()) {
            x.set(k, ref[0]);
        }
        return r;
    }

    // ------------------------------------------------------------------ helpers

    static boolean isFatal(RhaiException e) {
        return switch (e.root().kind()) {
            case TOO_MANY_OPERATIONS, TERMINATED, TIMEOUT, STACK_OVERFLOW, DATA_TOO_LARGE, TOO_MANY_VARIABLES,
                    TOO_MANY_FUNCTIONS, TOO_MANY_MODULES -> true;
            default -> false;
        };
    }

    private static void splice(NativeCallContext ctx, ArrayList<Object> x, long start, long len,
            ArrayList<Object> replace) {
        ArrayList<Object> rep = replace == x ? new ArrayList<>(replace) : replace;
        if (x.isEmpty()) {
            x.addAll(rep);
            return;
        }
        int[] sl = Support.offsetLen(x.size(), start, len);
        ctx.checkArraySize((long) x.size() - sl[1] + rep.size());
        if (sl[0] >= x.size()) {
            x.addAll(rep);
        } else {
            List<Object> sub = x.subList(sl[0], sl[0] + sl[1]);
            sub.clear();
            x.addAll(sl[0], rep);
        }
    }

    private static ArrayList<Object> extract(ArrayList<Object> x, long start, long len) {
        if (x.isEmpty() || len <= 0) {
            return new ArrayList<>();
        }
        int[] sl = Support.offsetLen(x.size(), start, len);
        return new ArrayList<>(x.subList(sl[0], sl[0] + sl[1]));
    }

    private static ArrayList<Object> drainRange(ArrayList<Object> x, long start, long len) {
        if (x.isEmpty() || len <= 0) {
            return new ArrayList<>();
        }
        int[] sl = Support.offsetLen(x.size(), start, len);
        List<Object> sub = x.subList(sl[0], sl[0] + sl[1]);
        ArrayList<Object> out = new ArrayList<>(sub);
        sub.clear();
        return out;
    }

    private static ArrayList<Object> retainRange(ArrayList<Object> x, long start, long len) {
        if (x.isEmpty() || len <= 0) {
            return new ArrayList<>();
        }
        int[] sl = Support.offsetLen(x.size(), start, len);
        ArrayList<Object> drained = new ArrayList<>(x.subList(0, sl[0]));
        drained.addAll(x.subList(sl[0] + sl[1], x.size()));
        ArrayList<Object> kept = new ArrayList<>(x.subList(sl[0], sl[0] + sl[1]));
        x.clear();
        x.addAll(kept);
        return drained;
    }

    private static long indexOfValue(ArrayList<Object> x, Object value, long start) {
        if (x.isEmpty()) {
            return -1;
        }
        int[] sl = Support.offsetLen(x.size(), start, 0);
        for (int i = sl[0]; i < x.size(); i++) {
            if (Values.equalsValue(x.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    private static long indexOfFilter(NativeCallContext ctx, ArrayList<Object> x, FnPtr f, long start) {
        if (x.isEmpty()) {
            return -1;
        }
        int[] sl = Support.offsetLen(x.size(), start, 0);
        for (int i = sl[0]; i < x.size(); i++) {
            if (Support.isTrue(callOn(ctx, f, x, i, Support.NO_ARGS, 0))) {
                return i;
            }
        }
        return -1;
    }

    /** Deprecated form: the string names a filter function if one exists, else it is a value to look for. */
    private static long indexOfByName(NativeCallContext ctx, ArrayList<Object> x, String name, long start) {
        if (x.isEmpty()) {
            return -1;
        }
        if (isIdentifier(name)) {
            FnPtr f = new FnPtr(name);
            try {
                return indexOfFilter(ctx, x, f, start);
            } catch (RhaiException e) {
                if (!Support.isNotFoundFor(e, f)) {
                    throw e;
                }
            }
        }
        return indexOfValue(x, name, start);
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static Object find(NativeCallContext ctx, ArrayList<Object> x, FnPtr f, long start) {
        long i = indexOfFilter(ctx, x, f, start);
        return i < 0 ? UNIT : x.get((int) i);
    }

    private static Object findMap(NativeCallContext ctx, ArrayList<Object> x, FnPtr f, long start) {
        if (x.isEmpty()) {
            return UNIT;
        }
        int[] sl = Support.offsetLen(x.size(), start, 0);
        for (int i = sl[0]; i < x.size(); i++) {
            Object v = callOn(ctx, f, x, i, Support.NO_ARGS, 0);
            if (v != UNIT) {
                return v;
            }
        }
        return UNIT;
    }

    private static Object reduce(NativeCallContext ctx, ArrayList<Object> x, FnPtr f, Object initial, boolean rev) {
        Object acc = initial;
        int n = x.size();
        for (int k = 0; k < n && k < x.size(); k++) {
            int i = rev ? n - 1 - k : k;
            acc = callOn(ctx, f, x, i, new Object[] {acc}, 1);
        }
        return acc;
    }

    private interface SamePredicate {
        boolean same(Object prev, Object cur);
    }

    private static void dedup(ArrayList<Object> x, SamePredicate p) {
        if (x.size() <= 1) {
            return;
        }
        ArrayList<Object> out = new ArrayList<>(x.size());
        out.add(x.get(0));
        for (int i = 1; i < x.size(); i++) {
            Object prev = out.get(out.size() - 1);
            if (!p.same(prev, x.get(i))) {
                out.add(x.get(i));
            }
        }
        x.clear();
        x.addAll(out);
    }

    private interface Cmp {
        int compare(Object a, Object b);
    }

    /** Stable merge sort that tolerates inconsistent comparators (like Rust's sort_by). */
    private static void mergeSort(ArrayList<Object> x, Cmp cmp) {
        int n = x.size();
        if (n <= 1) {
            return;
        }
        Object[] a = x.toArray();
        Object[] tmp = new Object[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    if (cmp.compare(a[j], a[i]) < 0) {
                        tmp[k++] = a[j++];
                    } else {
                        tmp[k++] = a[i++];
                    }
                }
                while (i < mid) tmp[k++] = a[i++];
                while (j < hi) tmp[k++] = a[j++];
                System.arraycopy(tmp, lo, a, lo, hi - lo);
            }
        }
        for (int i = 0; i < n; i++) {
            x.set(i, a[i]);
        }
    }

    static void sortBy(NativeCallContext ctx, ArrayList<Object> x, FnPtr f) {
        if (x.size() <= 1) {
            return;
        }
        mergeSort(x, (p, q) -> {
            Object v;
            try {
                v = ctx.callFn(f, p, q);
            } catch (RhaiException e) {
                if (isFatal(e)) throw e;
                return Values.typeName(p).compareTo(Values.typeName(q));
            }
            if (v instanceof Long n) {
                return Long.signum(n);
            }
            if (v instanceof Boolean b) {
                return b ? -1 : 1;
            }
            return Values.typeName(p).compareTo(Values.typeName(q));
        });
    }

    static void sortNatural(ArrayList<Object> x, boolean desc) {
        if (x.size() <= 1) {
            return;
        }
        Class<?> type = x.get(0).getClass();
        for (Object o : x) {
            if (o.getClass() != type) {
                throw Support.notFound("elements of different types cannot be sorted");
            }
        }
        Cmp cmp;
        if (type == Long.class) {
            cmp = (p, q) -> Long.compare((Long) p, (Long) q);
        } else if (type == RChar.class) {
            cmp = (p, q) -> Integer.compare(((RChar) p).codePoint(), ((RChar) q).codePoint());
        } else if (type == Double.class) {
            cmp = (p, q) -> {
                double u = (Double) p;
                double v = (Double) q;
                return u < v ? -1 : u > v ? 1 : 0;
            };
        } else if (type == String.class) {
            cmp = (p, q) -> compareUtf8((String) p, (String) q);
        } else if (type == Boolean.class) {
            cmp = (p, q) -> Boolean.compare((Boolean) p, (Boolean) q);
        } else if (type == Unit.class) {
            return;
        } else {
            throw Support.notFound("elements of " + Values.typeName(x.get(0)) + " cannot be sorted");
        }
        if (desc) {
            Cmp c = cmp;
            mergeSort(x, (p, q) -> c.compare(q, p));
        } else {
            mergeSort(x, cmp);
        }
    }

    /** Byte-wise (UTF-8) string order, as Rust compares strings: code point order. */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
