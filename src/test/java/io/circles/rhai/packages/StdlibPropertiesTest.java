package io.circles.rhai.packages;

import io.circles.rhai.api.AST;
import io.circles.rhai.api.Engine;
import io.circles.rhai.types.Scope;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Property tests (jqwik) of arithmetic and string invariants of the standard library. */
class StdlibPropertiesTest {
    private static final Engine ENGINE = new Engine();
    private static final Map<String, AST> ASTS = new ConcurrentHashMap<>();

    private static Object eval(String script, Object... vars) {
        AST ast = ASTS.computeIfAbsent(script, ENGINE::compile);
        Scope scope = new Scope();
        for (int i = 0; i < vars.length; i += 2) {
            scope.push((String) vars[i], vars[i + 1]);
        }
        return ENGINE.eval(ast, scope);
    }

    // ------------------------------------------------------------------ integers

    @Property(tries = 200)
    boolean parseIntInvertsToString(@ForAll long n) {
        return eval("parse_int(n.to_string())", "n", n).equals(n);
    }

    @Property(tries = 200)
    boolean parseIntInvertsRadixFormatting(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n) {
        return eval("parse_int(to_hex(n), 16) == n && parse_int(to_binary(n), 2) == n && parse_int(to_octal(n), 8) == n",
                "n", n).equals(true);
    }

    @Property(tries = 200)
    boolean signTimesAbsIsIdentity(@ForAll @LongRange(min = -Long.MAX_VALUE, max = Long.MAX_VALUE) long n) {
        return eval("sign(n) * abs(n) == n && abs(n) >= 0", "n", n).equals(true);
    }

    @Property(tries = 200)
    boolean minMaxPickOperands(@ForAll long a, @ForAll long b) {
        Object r = eval("[min(a, b), max(a, b)]", "a", a, "b", b);
        return r.equals(new ArrayList<>(List.of(Math.min(a, b), Math.max(a, b))));
    }

    @Property(tries = 200)
    boolean parityIsConsistent(@ForAll long n) {
        return eval("is_odd(n) != is_even(n) && n.is_even == (n % 2 == 0) && is_zero(n) == (n == 0)", "n", n)
                .equals(true);
    }

    @Property(tries = 200)
    boolean bitFieldsRoundTrip(@ForAll long v, @ForAll @IntRange(min = 0, max = 63) int start,
            @ForAll @IntRange(min = 1, max = 64) int len, @ForAll long nv) {
        Object r = eval("let x = v; set_bits(x, start, len, nv); get_bits(x, start, len) == get_bits(nv, 0, min(len, 64 - start))",
                "v", v, "start", (long) start, "len", (long) len, "nv", nv);
        return r.equals(true);
    }

    // ------------------------------------------------------------------ floats

    @Property(tries = 200)
    boolean floorCeilingBracket(@ForAll @DoubleRange(min = -1e15, max = 1e15) double x) {
        return eval("floor(x) <= x && x <= ceiling(x) && int(x) + fraction(x) == x && abs(round(x) - x) <= 0.5",
                "x", x).equals(true);
    }

    @Property(tries = 200)
    boolean toIntTruncates(@ForAll @DoubleRange(min = -9e18, max = 9e18) double x) {
        return eval("to_int(x)", "x", x).equals((long) x);
    }

    @Property(tries = 200)
    boolean parseFloatInvertsToString(@ForAll @DoubleRange(min = -1e300, max = 1e300) double x) {
        return eval("parse_float(x.to_string())", "x", x).equals(x);
    }

    // ------------------------------------------------------------------ strings

    @Property(tries = 200)
    boolean lengthCountsCharacters(@ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '\u07ff') String s) {
        Object r = eval("[s.len(), s.to_chars().len(), s.chars().len()]", "s", s);
        long n = s.codePointCount(0, s.length());
        return r.equals(new ArrayList<>(List.of(n, n, n)));
    }

    @Property(tries = 200)
    boolean subStringSplitsAndRejoins(@ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '\u07ff') String s,
            @ForAll @IntRange(min = 0, max = 45) int k) {
        return eval("sub_string(s, 0, k) + sub_string(s, k) == s && s.split(k)[0] + s.split(k)[1] == s",
                "s", s, "k", (long) k).equals(true);
    }

    @Property(tries = 200)
    boolean splitThenJoinIsIdentity(@ForAll @StringLength(max = 30) @CharRange(from = 'a', to = 'd') String s,
            @ForAll @NotEmpty @StringLength(max = 2) @CharRange(from = 'a', to = 'c') String d) {
        Object r = eval("""
                let parts = s.split(d);
                let out = "";
                for (p, i) in parts { if i > 0 { out += d; } out += p; }
                out == s
                """, "s", s, "d", d);
        return r.equals(true);
    }

    @Property(tries = 200)
    boolean indexOfAgreesWithContains(@ForAll @StringLength(max = 20) @CharRange(from = 'a', to = 'c') String s,
            @ForAll @StringLength(max = 3) @CharRange(from = 'a', to = 'c') String t) {
        Object r = eval("[s.index_of(t), s.contains(t)]", "s", s, "t", t);
        long expected = s.isEmpty() ? -1 : s.codePointCount(0, Math.max(0, s.indexOf(t)));
        if (s.isEmpty() || s.indexOf(t) < 0) expected = -1;
        return r.equals(new ArrayList<>(List.of(expected, !s.isEmpty() && s.contains(t) || (s.isEmpty() && t.isEmpty()))));
    }

    @Property(tries = 200)
    boolean padThenTruncateRestores(@ForAll @StringLength(max = 20) @CharRange(from = ' ', to = '\u07ff') String s,
            @ForAll @IntRange(min = 0, max = 30) int extra) {
        long n = s.codePointCount(0, s.length());
        Object r = eval("let x = s; x.pad(n + extra, '*'); let l = x.len(); x.truncate(n); [l, x]",
                "s", s, "n", n, "extra", (long) extra);
        return r.equals(new ArrayList<>(List.of(n + extra, s)));
    }

    @Property(tries = 200)
    boolean cropEqualsSubString(@ForAll @StringLength(max = 20) @CharRange(from = 'a', to = 'z') String s,
            @ForAll @IntRange(min = -25, max = 25) int start, @ForAll @IntRange(min = -2, max = 25) int len) {
        Object r = eval("let c = s; c.crop(start, len); c == s.sub_string(start, len)",
                "s", s, "start", (long) start, "len", (long) len);
        return r.equals(true);
    }

    @Property(tries = 100)
    void upperLowerOfAsciiMatchJava(@ForAll @StringLength(max = 30) @CharRange(from = ' ', to = '~') String s) {
        Object r = eval("[s.to_upper(), s.to_lower()]", "s", s);
        assertEquals(new ArrayList<>(List.of(s.toUpperCase(), s.toLowerCase())), r);
    }

    // ------------------------------------------------------------------ arrays

    @Property(tries = 200)
    boolean sortOrdersAndKeepsElements(@ForAll @Size(max = 40) List<@LongRange(min = -100, max = 100) Long> xs) {
        ArrayList<Object> arr = new ArrayList<>(xs);
        Object r = eval("let a = xs; a.sort(); a", "xs", arr);
        List<Long> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        return r.equals(new ArrayList<>(sorted));
    }

    @Property(tries = 200)
    boolean comparatorSortIsStable(@ForAll @Size(max = 30) List<@IntRange(min = 0, max = 5) Integer> keys) {
        ArrayList<Object> arr = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            java.util.TreeMap<String, Object> m = new java.util.TreeMap<>();
            m.put("k", (long) keys.get(i));
            m.put("i", (long) i);
            arr.add(m);
        }
        Object r = eval("let a = xs; a.sort(|x, y| x.k - y.k); a.map(|m| m.i)", "xs", arr);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) idx.add(i);
        idx.sort((p, q) -> Integer.compare(keys.get(p), keys.get(q)));
        List<Object> expected = new ArrayList<>();
        for (int i : idx) expected.add((long) i);
        return r.equals(expected);
    }

    @Property(tries = 200)
    boolean reverseTwiceAndFilterPartition(@ForAll @Size(max = 40) List<@LongRange(min = -50, max = 50) Long> xs) {
        Object r = eval("""
                let a = xs;
                let b = a;
                b.reverse(); b.reverse();
                let even = a.filter(|x| x % 2 == 0);
                let odd = a.filter(|x| x % 2 != 0);
                b == a && even.len() + odd.len() == a.len() && a.reduce(|s, x| s + x, 0) == even.reduce(|s, x| s + x, 0) + odd.reduce(|s, x| s + x, 0)
                """, "xs", new ArrayList<Object>(xs));
        return r.equals(true);
    }

    @Property(tries = 200)
    boolean extractDrainRetainAgree(@ForAll @Size(max = 30) List<@LongRange(min = 0, max = 9) Long> xs,
            @ForAll @IntRange(min = -35, max = 35) int start, @ForAll @IntRange(min = -2, max = 35) int len) {
        Object r = eval("""
                let a = xs;
                let e = a.extract(start, len);
                let d = a;
                let drained = d.drain(start, len);
                let k = a;
                let removed = k.retain(start, len);
                e == drained && d.len() + drained.len() == a.len() && (len <= 0 || a.is_empty() || (k == e && removed.len() == d.len()))
                """, "xs", new ArrayList<Object>(xs), "start", (long) start, "len", (long) len);
        return r.equals(true);
    }
}
