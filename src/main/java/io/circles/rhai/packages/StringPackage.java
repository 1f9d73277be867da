package io.circles.rhai.packages;

import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.NativeCallContext;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.RRange;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;

/** Rhai's string packages (BasicStringPackage + MoreStringPackage + the string iterators). */
public final class StringPackage implements Package {
    private static final Class<?> S = String.class;
    private static final Class<?> L = Long.class;
    private static final Class<?> C = RChar.class;
    private static final Class<?> R = RRange.class;
    private static final Class<?> O = Object.class;
    private static final Object UNIT = Unit.INSTANCE;

    private static String s(Object o) {
        return (String) o;
    }

    private static long l(Object o) {
        return (Long) o;
    }

    private static String ch(Object o) {
        return o.toString();
    }

    @Override
    public void register(FunctionRegistry r) {
        registerAppendAndLength(r);
        registerRemoval(r);
        registerCaseConversion(r);
        registerSearchAndCharacterAccess(r);
        registerSubstrings(r);
        registerSplitting(r);
    }

    /** append, to_blob, len, is_empty and bytes (to_string / to_debug on any value are core functions). */
    private static void registerAppendAndLength(FunctionRegistry r) {
        // (to_string / to_debug on any value are core functions)

        // ---- append
        r.register("append", (ctx, a) -> {
            String add = Values.toDisplay(a[1]);
            if (!add.isEmpty()) {
                String res = s(a[0]) + add;
                ctx.checkStringSize(res.codePointCount(0, res.length()));
                a[0] = res;
            }
            return UNIT;
        }, S, O);
        r.register("append", (ctx, a) -> {
            Blob b = (Blob) a[1];
            if (b.length() > 0) {
                a[0] = s(a[0]) + new String(b.toByteArray(), StandardCharsets.UTF_8);
            }
            return UNIT;
        }, S, Blob.class);
        r.register("to_blob", (ctx, a) -> new Blob(s(a[0]).getBytes(StandardCharsets.UTF_8)), S);

        // ---- length & simple queries
        MathPackage.fnAndGetter(r, "len", (ctx, a) -> (long) cpLen(s(a[0])), S);
        MathPackage.fnAndGetter(r, "is_empty", (ctx, a) -> s(a[0]).isEmpty(), S);
        MathPackage.fnAndGetter(r, "bytes", (ctx, a) -> (long) s(a[0]).getBytes(StandardCharsets.UTF_8).length, S);
    }

    /** remove, clear, truncate, trim and pop. */
    private static void registerRemoval(FunctionRegistry r) {
        r.register("remove", (ctx, a) -> {
            a[0] = s(a[0]).replace(s(a[1]), "");
            return UNIT;
        }, S, S);
        r.register("remove", (ctx, a) -> {
            a[0] = s(a[0]).replace(ch(a[1]), "");
            return UNIT;
        }, S, C);
        r.register("clear", (ctx, a) -> {
            a[0] = "";
            return UNIT;
        }, S);
        r.register("truncate", (ctx, a) -> {
            String str = s(a[0]);
            long len = l(a[1]);
            if (len <= 0) {
                a[0] = "";
            } else if (len < str.length()) {
                int cps = str.codePointCount(0, str.length());
                if (len < cps) {
                    a[0] = str.substring(0, str.offsetByCodePoints(0, (int) len));
                }
            }
            return UNIT;
        }, S, L);
        r.register("trim", (ctx, a) -> {
            a[0] = MathPackage.trimRust(s(a[0]));
            return UNIT;
        }, S);
        r.register("pop", (ctx, a) -> {
            String str = s(a[0]);
            if (str.isEmpty()) {
                return UNIT;
            }
            int cp = str.codePointBefore(str.length());
            a[0] = str.substring(0, str.length() - Character.charCount(cp));
            return RChar.of(cp);
        }, S);
        r.register("pop", (ctx, a) -> {
            String str = s(a[0]);
            long len = l(a[1]);
            if (str.isEmpty() || len <= 0) {
                return "";
            }
            int cps = cpLen(str);
            if (len < cps) {
                int cut = str.offsetByCodePoints(str.length(), -(int) len);
                a[0] = str.substring(0, cut);
                return str.substring(cut);
            }
            a[0] = "";
            return str;
        }, S, L);
    }

    /** to_upper, to_lower, make_upper and make_lower on strings and characters. */
    private static void registerCaseConversion(FunctionRegistry r) {
        r.register("to_upper", (ctx, a) -> s(a[0]).toUpperCase(Locale.ROOT), S);
        r.register("to_lower", (ctx, a) -> s(a[0]).toLowerCase(Locale.ROOT), S);
        r.register("make_upper", (ctx, a) -> {
            a[0] = s(a[0]).toUpperCase(Locale.ROOT);
            return UNIT;
        }, S);
        r.register("make_lower", (ctx, a) -> {
            a[0] = s(a[0]).toLowerCase(Locale.ROOT);
            return UNIT;
        }, S);
        r.register("to_upper", (ctx, a) -> charCase((RChar) a[0], true), C);
        r.register("to_lower", (ctx, a) -> charCase((RChar) a[0], false), C);
        r.register("make_upper", (ctx, a) -> {
            a[0] = charCase((RChar) a[0], true);
            return UNIT;
        }, C);
        r.register("make_lower", (ctx, a) -> {
            a[0] = charCase((RChar) a[0], false);
            return UNIT;
        }, C);
    }

    /** contains, starts_with, ends_with, index_of, and get / set of one character. */
    private static void registerSearchAndCharacterAccess(FunctionRegistry r) {
        r.register("contains", (ctx, a) -> s(a[0]).contains(s(a[1])), S, S);
        r.register("contains", (ctx, a) -> s(a[0]).contains(ch(a[1])), S, C);
        r.register("starts_with", (ctx, a) -> s(a[0]).startsWith(s(a[1])), S, S);
        r.register("starts_with", (ctx, a) -> s(a[0]).startsWith(ch(a[1])), S, C);
        r.register("ends_with", (ctx, a) -> s(a[0]).endsWith(s(a[1])), S, S);
        r.register("ends_with", (ctx, a) -> s(a[0]).endsWith(ch(a[1])), S, C);
        r.register("index_of", (ctx, a) -> indexOf(s(a[0]), s(a[1]), 0), S, S);
        r.register("index_of", (ctx, a) -> indexOf(s(a[0]), ch(a[1]), 0), S, C);
        r.register("index_of", (ctx, a) -> indexOf(s(a[0]), s(a[1]), l(a[2])), S, S, L);
        r.register("index_of", (ctx, a) -> indexOf(s(a[0]), ch(a[1]), l(a[2])), S, C, L);

        // ---- get / set a character
        r.register("get", (ctx, a) -> {
            int[] cps = s(a[0]).codePoints().toArray();
            long idx = l(a[1]);
            if (idx >= 0) {
                return idx < cps.length ? RChar.of(cps[(int) idx]) : UNIT;
            }
            return idx >= -cps.length ? RChar.of(cps[(int) (cps.length + idx)]) : UNIT;
        }, S, L);
        r.register("set", (ctx, a) -> {
            int[] cps = s(a[0]).codePoints().toArray();
            long idx = l(a[1]);
            int i;
            if (idx >= 0) {
                if (idx >= cps.length) return UNIT;
                i = (int) idx;
            } else {
                if (idx < -cps.length) return UNIT;
                i = (int) (cps.length + idx);
            }
            cps[i] = ((RChar) a[2]).codePoint();
            a[0] = new String(cps, 0, cps.length);
            return UNIT;
        }, S, L, C);
    }

    /** sub_string, crop, replace and pad. */
    private static void registerSubstrings(FunctionRegistry r) {
        r.register("sub_string", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            return subString(s(a[0]), sl[0], sl[1]);
        }, S, R);
        r.register("sub_string", (ctx, a) -> subString(s(a[0]), l(a[1]), l(a[2])), S, L, L);
        r.register("sub_string", (ctx, a) -> {
            String str = s(a[0]);
            return str.isEmpty() ? "" : subString(str, l(a[1]), str.length());
        }, S, L);
        r.register("crop", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            a[0] = cropString(s(a[0]), sl[0], sl[1]);
            return UNIT;
        }, S, R);
        r.register("crop", (ctx, a) -> {
            a[0] = cropString(s(a[0]), l(a[1]), l(a[2]));
            return UNIT;
        }, S, L, L);
        r.register("crop", (ctx, a) -> {
            String str = s(a[0]);
            a[0] = cropString(str, l(a[1]), str.length());
            return UNIT;
        }, S, L);

        // ---- replace
        r.register("replace", (ctx, a) -> replace(ctx, a, s(a[1]), s(a[2])), S, S, S);
        r.register("replace", (ctx, a) -> replace(ctx, a, s(a[1]), ch(a[2])), S, S, C);
        r.register("replace", (ctx, a) -> replace(ctx, a, ch(a[1]), s(a[2])), S, C, S);
        r.register("replace", (ctx, a) -> replace(ctx, a, ch(a[1]), ch(a[2])), S, C, C);

        // ---- pad
        r.register("pad", (ctx, a) -> pad(ctx, a, l(a[1]), ch(a[2])), S, L, C);
        r.register("pad", (ctx, a) -> pad(ctx, a, l(a[1]), s(a[2])), S, L, S);
    }

    /** split, split_rev, to_chars and the chars iterators (materialized as arrays of chars). */
    private static void registerSplitting(FunctionRegistry r) {
        r.register("split", (ctx, a) -> splitAt(s(a[0]), l(a[1])), S, L);
        r.register("to_chars", (ctx, a) -> charsOf(s(a[0]), 0, Long.MAX_VALUE), S);
        r.register("split", (ctx, a) -> splitWhitespace(s(a[0])), S);
        r.register("split", (ctx, a) -> split(s(a[0]), s(a[1]), Long.MAX_VALUE, false), S, S);
        r.register("split", (ctx, a) -> split(s(a[0]), s(a[1]), l(a[2]), false), S, S, L);
        r.register("split", (ctx, a) -> split(s(a[0]), ch(a[1]), Long.MAX_VALUE, false), S, C);
        r.register("split", (ctx, a) -> split(s(a[0]), ch(a[1]), l(a[2]), false), S, C, L);
        r.register("split_rev", (ctx, a) -> split(s(a[0]), s(a[1]), Long.MAX_VALUE, true), S, S);
        r.register("split_rev", (ctx, a) -> split(s(a[0]), s(a[1]), l(a[2]), true), S, S, L);
        r.register("split_rev", (ctx, a) -> split(s(a[0]), ch(a[1]), Long.MAX_VALUE, true), S, C);
        r.register("split_rev", (ctx, a) -> split(s(a[0]), ch(a[1]), l(a[2]), true), S, C, L);

        // ---- chars iterators (materialized as arrays of chars)
        r.register("chars", (ctx, a) -> charsOf(s(a[0]), 0, Long.MAX_VALUE), S);
        r.register("get$chars", (ctx, a) -> charsOf(s(a[0]), 0, Long.MAX_VALUE), S);
        r.register("chars", (ctx, a) -> charsOf(s(a[0]), l(a[1]), Long.MAX_VALUE), S, L);
        r.register("chars", (ctx, a) -> charsOf(s(a[0]), l(a[1]), l(a[2])), S, L, L);
        r.register("chars", (ctx, a) -> {
            RRange rg = (RRange) a[1];
            long from = Math.max(rg.start(), 0);
            if (rg.inclusive()) {
                long to = Math.min(Math.max(rg.end(), from - 1), Long.MAX_VALUE - 1);
                return charsOf(s(a[0]), from, to - from + 1);
            }
            long to = Math.max(rg.end(), from);
            return charsOf(s(a[0]), from, to - from);
        }, S, R);
    }

    // ------------------------------------------------------------------ helpers

    static int cpLen(String s) {
        return s.codePointCount(0, s.length());
    }

    static RChar charCase(RChar c, boolean upper) {
        String str = c.toString();
        String t = upper ? str.toUpperCase(Locale.ROOT) : str.toLowerCase(Locale.ROOT);
        if (t.codePointCount(0, t.length()) != 1) {
            return c;
        }
        return RChar.of(t.codePointAt(0));
    }

    /** Rhai's {@code index_of} on strings (start counted in characters, negative from the end). */
    static long indexOf(String str, String find, long start) {
        if (str.isEmpty()) {
            return -1;
        }
        int cps = cpLen(str);
        int byteStart; // UTF-16 offset
        if (start < 0) {
            long abs = start == Long.MIN_VALUE ? Long.MAX_VALUE : -start;
            byteStart = abs > cps ? 0 : str.offsetByCodePoints(0, (int) (cps - abs));
        } else if (start == 0) {
            byteStart = 0;
        } else {
            if (start >= cps) {
                return -1;
            }
            byteStart = str.offsetByCodePoints(0, (int) start);
        }
        int idx = str.indexOf(find, byteStart);
        if (idx < 0) {
            return -1;
        }
        return str.codePointCount(0, idx);
    }

    static String subString(String str, long start, long len) {
        if (str.isEmpty() || len <= 0) {
            return "";
        }
        int[] cps = str.codePoints().toArray();
        int offset;
        if (start < 0) {
            long abs = start == Long.MIN_VALUE ? Long.MAX_VALUE : -start;
            offset = abs > cps.length ? 0 : (int) (cps.length - abs);
        } else {
            if (start >= cps.length) {
                return "";
            }
            offset = (int) start;
        }
        int n = len > cps.length - offset ? cps.length - offset : (int) len;
        return new String(cps, offset, n);
    }

    static String cropString(String str, long start, long len) {
        if (str.isEmpty()) {
            return str;
        }
        if (len <= 0) {
            return "";
        }
        return subString(str, start, len);
    }

    private static Object replace(NativeCallContext ctx, Object[] a, String find, String with) {
        String str = s(a[0]);
        if (str.isEmpty()) {
            return UNIT;
        }
        String res;
        if (find.isEmpty()) {
            // Rust inserts the substitute between every character and at both ends
            StringBuilder sb = new StringBuilder(with);
            str.codePoints().forEach(cp -> sb.appendCodePoint(cp).append(with));
            res = sb.toString();
        } else {
            res = str.replace(find, with);
        }
        if (res.length() > str.length()) {
            ctx.checkStringSize(cpLen(res));
        }
        a[0] = res;
        return UNIT;
    }

    private static Object pad(NativeCallContext ctx, Object[] a, long len, String padding) {
        if (len <= 0) {
            return UNIT;
        }
        if (len > Integer.MAX_VALUE) {
            throw RhaiException.dataTooLarge("Length of string");
        }
        ctx.checkStringSize(len);
        String str = s(a[0]);
        int cur = cpLen(str);
        if (len <= cur || padding.isEmpty()) {
            return UNIT;
        }
        int[] pcps = padding.codePoints().toArray();
        StringBuilder sb = new StringBuilder(str);
        long n = cur;
        while (n < len) {
            if (n + pcps.length <= len) {
                sb.append(padding);
                n += pcps.length;
            } else {
                for (int i = 0; n < len; i++, n++) {
                    sb.appendCodePoint(pcps[i]);
                }
            }
        }
        a[0] = sb.toString();
        return UNIT;
    }

    private static ArrayList<Object> splitAt(String str, long index) {
        ArrayList<Object> out = new ArrayList<>(2);
        int cps = cpLen(str);
        if (index <= 0) {
            long abs = index == Long.MIN_VALUE ? Long.MAX_VALUE : -index;
            if (abs > cps) {
                out.add("");
                out.add(str);
            } else {
                int cut = str.offsetByCodePoints(0, (int) (cps - abs));
                out.add(str.substring(0, cut));
                out.add(str.substring(cut));
            }
        } else {
            int cut = index >= cps ? str.length() : str.offsetByCodePoints(0, (int) index);
            out.add(str.substring(0, cut));
            out.add(str.substring(cut));
        }
        return out;
    }

    static ArrayList<Object> charsOf(String str, long from, long len) {
        ArrayList<Object> out = new ArrayList<>();
        if (len <= 0) {
            return out;
        }
        int[] cps = str.codePoints().toArray();
        int offset;
        if (from >= 0) {
            offset = from >= cps.length ? cps.length : (int) from;
        } else {
            long abs = from == Long.MIN_VALUE ? Long.MAX_VALUE : -from;
            offset = abs >= cps.length ? 0 : (int) (cps.length - abs);
        }
        long end = Math.min((long) cps.length, offset + Math.min(len, (long) cps.length));
        for (int i = offset; i < end; i++) {
            out.add(RChar.of(cps[i]));
        }
        return out;
    }

    private static ArrayList<Object> splitWhitespace(String str) {
        ArrayList<Object> out = new ArrayList<>();
        if (str.isEmpty()) {
            out.add(str);
            return out;
        }
        int i = 0;
        int n = str.length();
        while (i < n) {
            while (i < n && Support.isWhitespace(str.codePointAt(i))) {
                i += Character.charCount(str.codePointAt(i));
            }
            if (i >= n) break;
            int st = i;
            while (i < n && !Support.isWhitespace(str.codePointAt(i))) {
                i += Character.charCount(str.codePointAt(i));
            }
            out.add(str.substring(st, i));
        }
        return out;
    }

    /** Rust's {@code split}/{@code splitn}/{@code rsplit}/{@code rsplitn} with Rhai's special cases. */
    static ArrayList<Object> split(String str, String delim, long segments, boolean rev) {
        ArrayList<Object> out = new ArrayList<>();
        if (segments <= 1 || str.isEmpty() || (!delim.isEmpty() && !str.contains(delim))) {
            out.add(str);
            return out;
        }
        ArrayList<String> parts = new ArrayList<>();
        if (delim.isEmpty()) {
            // Rust: "abc".split("") == ["", "a", "b", "c", ""]
            parts.add("");
            str.codePoints().forEach(cp -> parts.add(new String(Character.toChars(cp))));
            parts.add("");
        } else {
            int from = 0;
            int idx;
            while ((idx = str.indexOf(delim, from)) >= 0) {
                parts.add(str.substring(from, idx));
                from = idx + delim.length();
            }
            parts.add(str.substring(from));
        }
        if (!rev) {
            if (segments >= parts.size()) {
                out.addAll(parts);
            } else {
                int k = (int) segments;
                for (int i = 0; i < k - 1; i++) {
                    out.add(parts.get(i));
                }
                out.add(joinRest(str, delim, parts, k - 1, false));
            }
        } else {
            if (segments >= parts.size()) {
                for (int i = parts.size() - 1; i >= 0; i--) out.add(parts.get(i));
            } else {
                int k = (int) segments;
                for (int i = 0; i < k - 1; i++) {
                    out.add(parts.get(parts.size() - 1 - i));
                }
                out.add(joinRest(str, delim, parts, parts.size() - (k - 1), true));
            }
        }
        return out;
    }

    private static String joinRest(String str, String delim, ArrayList<String> parts, int idx, boolean prefix) {
        StringBuilder sb = new StringBuilder();
        if (!prefix) {
            for (int i = idx; i < parts.size(); i++) {
                if (i > idx) sb.append(delim);
                sb.append(parts.get(i));
            }
        } else {
            for (int i = 0; i < idx; i++) {
                if (i > 0) sb.append(delim);
                sb.append(parts.get(i));
            }
        }
        return sb.toString();
    }
}
