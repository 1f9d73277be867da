package io.circles.rhai.packages;

import io.circles.rhai.api.Engine;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How stdlib functions call closures / function pointers (Rhai's call_raw_with_extra_args rules) and report errors. */
class CallbackSemanticsTest {
    private final Engine engine = new Engine();

    private static ArrayList<Object> longs(long... xs) {
        ArrayList<Object> a = new ArrayList<>();
        for (long x : xs) a.add(x);
        return a;
    }

    @Test
    void itemIsThisOrFirstParameterAndIndexIsOptional() {
        assertEquals(longs(2, 3), engine.eval("[1, 2].map(|| this + 1)"));
        assertEquals(longs(2, 3), engine.eval("[1, 2].map(|x| x + 1)"));
        assertEquals(longs(0, 2), engine.eval("[1, 2].map(|x, i| x * i)"));
        // map moves the item into the first parameter, so `this` is unbound there (as in the reference engine)
        assertEquals(ErrorKind.UNBOUND_THIS,
                assertThrows(RhaiException.class, () -> engine.eval("[10, 20].map(|i| this + i)")).root().kind());
        assertEquals(11L, engine.eval("[1, 2, 3].reduce(|acc, x| acc + x, 5)"));
        assertEquals(13L, engine.eval("[1, 2, 3].reduce(|acc, x, i| acc + x + i, 4)"));
    }

    @Test
    void forEachCanMutateElementsThroughThis() {
        assertEquals(longs(1, 4, 9), engine.eval("let a = [1, 2, 3]; a.for_each(|| { this *= this }); a"));
        assertEquals(longs(1, 3, 5), engine.eval("let a = [1, 2, 3]; a.for_each(|i| { this += i }); a"));
    }

    @Test
    void namedFunctionsAndCurriedPointersWork() {
        assertEquals(longs(3, 4),
                engine.eval("fn add(a, b) { a + b } let f = Fn(\"add\").curry(2); [1, 2].map(f)"));
        assertEquals(longs(1, 3), engine.eval("fn odd(x) { x % 2 == 1 } [1, 2, 3].filter(\"odd\")"));
        assertEquals(1L, engine.eval("fn two(x) { x == 2 } [1, 2, 3, 2].index_of(\"two\")"));
        assertEquals(1L, engine.eval("[\"a\", \"b\"].index_of(\"b\")"), "a string that is not a function is a value");
    }

    @Test
    void errorsInCallbacksAreWrappedWithTheCallingFunction() {
        RhaiException e = assertThrows(RhaiException.class, () -> engine.eval("[1].map(|x| x.nope())"));
        assertEquals(ErrorKind.IN_FUNCTION_CALL, e.kind());
        assertTrue(e.getMessage().contains("Function not found: nope (i64)"), e.getMessage());
        assertTrue(e.getMessage().contains("in call to function 'map'"), e.getMessage());
        assertEquals(ErrorKind.FUNCTION_NOT_FOUND, e.root().kind());
        // catch sees the thrown value, not the wrapper
        assertEquals(42L, engine.eval("try { [1].map(|x| { throw 42 }) } catch (err) { err }"));
    }

    @Test
    void comparatorErrorsAreIgnoredButLimitsAreNot() {
        assertEquals(longs(3, 1, 2), engine.eval("let a = [3, 1, 2]; a.sort(|x, y| x.nope()); a"));
        Engine limited = Engine.builder().maxOperations(5_000).build();
        RhaiException e = assertThrows(RhaiException.class,
                () -> limited.eval("let a = [3, 1, 2, 5, 4]; a.sort(|x, y| { loop { } }); a"));
        assertEquals(ErrorKind.TOO_MANY_OPERATIONS, e.root().kind());
    }

    @Test
    void sortIsStableAndAcceptsBoolComparators() {
        Object r = engine.eval("""
                let a = [#{k: 1, i: 0}, #{k: 0, i: 1}, #{k: 1, i: 2}, #{k: 0, i: 3}];
                a.sort(|x, y| x.k - y.k);
                a.map(|m| m.i)
                """);
        assertEquals(longs(1, 3, 0, 2), r);
        assertEquals(longs(1, 2, 3), engine.eval("let a = [3, 1, 2]; a.sort(|x, y| x < y); a"));
        assertEquals(List.of("a", "b", "é"), engine.eval("let a = [\"é\", \"b\", \"a\"]; a.sort(); a"));
    }
}
