package io.circles.rhai.api;

import io.circles.rhai.types.RhaiException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Custom operators registered by the host ({@link Engine.Builder#customOperator}), as the reference has them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CustomOperatorTest {

    private static Engine withOperator(String symbol, int precedence) {
        return Engine.builder().customOperator(symbol, precedence).build();
    }

    @Test
    void a_named_operator_calls_a_registered_function_at_its_precedence() {
        Engine engine = withOperator("foo", 160);
        engine.registerFn("foo", Long.class, Long.class, (x, y) -> x * y - (x + y));
        // 160 lies between + (150) and * (180): 1 + ((2 * 3) foo 4) - (5 / 6) = 1 + 14 - 0
        assertEquals(15L, engine.eval("1 + 2 * 3 foo 4 - 5 / 6"));
    }

    @Test
    void a_named_operator_calls_a_script_defined_function() {
        Engine engine = withOperator("foo", 160);
        assertEquals(-1L, engine.eval("fn foo(x, y) { y - x }\n1 + 2 * 3 foo 4 - 5 / 6"));
        assertEquals(2L, engine.eval("fn foo(x, y) { y - x }\nfoo(1, 3)"), "the name still calls as a function");
    }

    @Test
    void an_unused_symbol_can_be_an_operator() {
        Engine engine = withOperator("#", 160);
        engine.registerFn("#", Long.class, Long.class, (x, y) -> x * y - (x + y));
        assertEquals(15L, engine.eval("1 + 2 * 3 # 4 - 5 / 6"));
    }

    @Test
    void custom_operators_are_left_associative_and_bind_below_higher_precedences() {
        Engine engine = withOperator("minus", 150);
        assertEquals(5L, engine.eval("fn minus(a, b) { a - b }\n10 minus 3 minus 2"));
        assertEquals(-2L, engine.eval("fn minus(a, b) { a - b }\n1 minus 1 * 3"));
    }

    @Test
    void without_registration_a_name_between_operands_stays_a_syntax_error() {
        Engine engine = Engine.builder().build();
        assertThrows(RhaiException.class, () -> engine.eval("fn foo(x, y) { y - x }\n1 foo 2"));
    }

    @Test
    void keywords_operators_and_a_zero_precedence_are_refused_with_the_reason() {
        assertTrue(refusal("+", 160).contains("'+' is a reserved operator"));
        assertTrue(refusal("if", 160).contains("'if' is a reserved keyword"));
        assertTrue(refusal("foo", 0).contains("precedence cannot be zero"));
        assertTrue(refusal("a b", 10).contains("not a single symbol"));
    }

    private static String refusal(String symbol, int precedence) {
        return assertThrows(IllegalArgumentException.class, () -> Engine.builder().customOperator(symbol, precedence)).getMessage();
    }
}
