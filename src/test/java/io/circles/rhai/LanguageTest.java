package io.circles.rhai;

import io.circles.rhai.api.Engine;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.RRange;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Focused language tests: values, operators, statements, functions. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LanguageTest {
    static final Engine ENGINE = new Engine();

    static Object eval(String s) {
        return ENGINE.eval(s);
    }

    static String show(String s) {
        return Values.toDebug(eval(s));
    }

    static RhaiException fails(String s) {
        return assertThrows(RhaiException.class, () -> eval(s));
    }

    @ParameterizedTest(name = "{0} evaluates to {1}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '\u0001', commentCharacter = '\u0002', value = {
            "40 + 2 ==> 42",
            "0x2A ==> 42",
            "0o52 ==> 42",
            "0b101010 ==> 42",
            "4_2 ==> 42",
            "6 * 7 ==> 42",
            "84 / 2 ==> 42",
            "142 % 100 ==> 42",
            "-(-42) ==> 42",
            "2 ** 5 + 10 ==> 42",
            "1 << 5 ==> 32",
            "256 >> 4 ==> 16",
            "12 & 10 ==> 8",
            "12 | 3 ==> 15",
            "12 ^ 10 ==> 6",
            "1.5 + 1 ==> 2.5",
            "7.0 / 2 ==> 3.5",
            "10 / 4.0 ==> 2.5",
            "2.0 ** 2 ==> 4.0",
            "1e2 ==> 100.0",
            "1 < 2 ==> true",
            "2.5 >= 2 ==> true",
            "'a' < 'b' ==> true",
            "\"abc\" < \"abd\" ==> true",
            "true && !false ==> true",
            "() ?? 42 ==> 42",
            "[1, 2, 3].len() ==> 3",
            "\"hello\".len ==> 5",
            "\"hello\"[1] ==> e",
            "\"hello\"[-1] ==> o",
            "[1, 2, 3][-2] ==> 2",
            "#{a: #{b: 42}}.a.b ==> 42",
            "if 1 > 2 { 1 } else { 2 } ==> 2",
            "switch 3 { 1 => 10, 2 | 3 => 20, _ => 30 } ==> 20",
            "let x = 0; for i in 0..10 { x += i; } x ==> 45",
            "let x = 0; while x < 42 { x += 1; } x ==> 42",
            "let x = 0; loop { x += 2; if x >= 42 { break; } } x ==> 42",
            "let x = 50; do { x -= 1; } until x == 42; x ==> 42",
            "loop { break 42; } ==> 42",
            "fn f(a) { a * 2 } f(21) ==> 42",
            "fn f() { 1 } fn f(a) { a } f() + f(41) ==> 42",
            "let f = |x| x + 1; f.call(41) ==> 42",
            "let y = 40; let f = |x| x + y; f.call(2) ==> 42",
            "Fn(\"abs\").call(-42) ==> 42",
            "call(|a, b| a * b, 6, 7) ==> 42",
            "(|a, b| a - b).curry(50).call(8) ==> 42",
            "try { throw 42; } catch (e) { e } ==> 42",
            "type_of(42) ==> \"i64\"",
            "type_of(()) ==> \"()\"",
            "`${40 + 2}` ==> \"42\"",
            "0b1010[1] ==> true",
            "0b1010[1..3] ==> 1",
            "\"héllo\"[1..3] ==> \"él\"",
            "is_def_fn(\"nope\", 0) ==> false",
            "let a = [1]; a += 2; a ==> [1, 2]",
            "let s = \"ab\"; s[1] = 'x'; s ==> \"ax\"",
            "let m = #{}; m.k = 42; m ==> #{\"k\": 42}",
            "5 in 1..10 ==> true",
            "\"b\" in [\"a\", \"b\"] ==> true",
            "let x = 5; x ??= 1; x ==> 5",
            "-9223372036854775808 ==> -9223372036854775808",
    })
    void expressions_evaluate_like_rhai(String script, String expected) {
        assertEquals(expected, show(script));
    }

    @Test
    void values_use_the_contract_representation() {
        assertInstanceOf(Long.class, eval("1"));
        assertInstanceOf(Double.class, eval("1.0"));
        assertInstanceOf(Boolean.class, eval("true"));
        assertInstanceOf(RChar.class, eval("'x'"));
        assertInstanceOf(String.class, eval("\"x\""));
        assertInstanceOf(ArrayList.class, eval("[]"));
        assertInstanceOf(TreeMap.class, eval("#{}"));
        assertInstanceOf(RRange.class, eval("1..2"));
        assertEquals(Unit.INSTANCE, eval("()"));
    }

    @Test
    void the_last_statement_is_the_value_of_the_script() {
        assertEquals(3L, eval("let a = 1; let b = 2; a + b"));
        assertEquals(3L, eval("let a = 1; let b = 2; a + b;"));
        assertEquals(Unit.INSTANCE, eval("let a = 1;"));
    }

    @Test
    void integer_overflow_is_an_arithmetic_error() {
        RhaiException e = fails("9223372036854775807 + 1");
        assertEquals(ErrorKind.ARITHMETIC, e.kind());
        assertEquals("Addition overflow: 9223372036854775807 + 1 (line 1, position 21)", e.getMessage());
        assertEquals(ErrorKind.ARITHMETIC, fails("-9223372036854775808 - 1").kind());
        assertEquals(ErrorKind.ARITHMETIC, fails("3037000500 * 3037000500").kind());
        assertEquals(ErrorKind.ARITHMETIC, fails("2 ** 64").kind());
        assertEquals(ErrorKind.ARITHMETIC, fails("let x = -9223372036854775808; -x").kind());
    }

    @Test
    void division_by_zero_is_an_error_for_integers_but_not_for_floats() {
        assertEquals("Division by zero: 1 / 0", fails("1 / 0").baseMessage());
        assertEquals(ErrorKind.ARITHMETIC, fails("1 % 0").kind());
        assertEquals(Double.POSITIVE_INFINITY, eval("1.0 / 0.0"));
    }

    @Test
    void errors_carry_line_and_column() {
        RhaiException e = fails("let x = 1;\nlet y = x + z;");
        assertEquals(ErrorKind.VARIABLE_NOT_FOUND, e.kind());
        assertEquals(2, e.position().line());
        assertEquals(13, e.position().column());
        assertEquals("Variable not found: z (line 2, position 13)", e.getMessage());
    }

    @Test
    void calling_an_unknown_function_names_the_argument_types() {
        assertEquals("Function not found: foo (i64, string, bool)", fails("foo(1, \"a\", true)").baseMessage());
        assertEquals("Function not found: bar (array)", fails("[].bar()").baseMessage());
    }

    @Test
    void errors_inside_functions_are_wrapped_with_the_call_site() {
        RhaiException e = fails("fn f() { throw \"x\"; }\nf()");
        assertEquals(ErrorKind.IN_FUNCTION_CALL, e.kind());
        assertEquals(ErrorKind.RUNTIME, e.root().kind());
        assertTrue(e.getMessage().contains("in call to function 'f'"), e.getMessage());
        assertEquals("x", e.root().thrownValue());
    }

    @Test
    void thrown_values_are_caught_as_they_were_thrown() {
        assertEquals("#{\"a\": 1}", show("try { throw #{a: 1}; } catch (e) { e }"));
        assertEquals("\"msg\"", show("try { throw \"msg\"; } catch (e) { e }"));
    }

    @Test
    void runtime_errors_are_caught_as_error_maps() {
        assertEquals("\"ErrorArrayBounds\"", show("try { [1][3] } catch (e) { e.error }"));
        assertEquals("1", show("try { [1][3] } catch (e) { e.line }"));
        assertEquals("\"Variable not found: q\"", show("try { q } catch (e) { e.message }"));
    }

    @Test
    void limits_cannot_be_caught_by_try_catch() {
        assertEquals(ErrorKind.TOO_MANY_OPERATIONS, fails("try { loop {} } catch { 1 }").kind());
    }

    @Test
    void arrays_and_maps_are_values_copied_on_assignment() {
        assertEquals("[1]", show("let a = [1]; let b = a; b.push(2); a"));
        assertEquals("#{\"x\": 1}", show("let a = #{x: 1}; let b = a; b.x = 2; a"));
        assertEquals("[[1]]", show("let a = [[1]]; let b = a[0]; b.push(2); a"));
    }

    @Test
    void closures_capture_variables_by_shared_reference() {
        assertEquals(2L, eval("let n = 0; let f = || n += 1; f.call(); f.call(); n"));
        assertEquals(10L, eval("let n = 1; let f = || n; n = 10; f.call()"));
    }

    @Test
    void functions_cannot_see_variables_of_the_caller() {
        RhaiException e = fails("let x = 1; fn f() { x } f()");
        assertEquals(ErrorKind.VARIABLE_NOT_FOUND, e.root().kind());
    }

    @Test
    void methods_bind_this_and_write_it_back() {
        assertEquals(42L, eval("fn add(n) { this += n; } let x = 40; x.add(2); x"));
        assertEquals("[0, 0]", show("fn grow() { this.push(0); } let a = [0]; a.grow(); a"));
        assertEquals(ErrorKind.UNBOUND_THIS, fails("fn f() { this } f()").root().kind());
    }

    @Test
    void assignments_work_through_index_and_property_chains() {
        assertEquals("#{\"a\": [1, #{\"c\": 3}]}", show("let x = #{a: [1, #{c: 2}]}; x.a[1].c += 1; x"));
        assertEquals("\"xbc\"", show("let m = #{s: \"abc\"}; m.s[0] = 'x'; m.s"));
        assertEquals(6L, eval("let m = #{n: 2}; m.n *= 3; m.n"));
    }

    @Test
    void bit_fields_index_integers() {
        assertEquals(true, eval("let x = 4; x[2]"));
        assertEquals(12L, eval("let x = 0; x[2..4] = 3; x"));
        assertEquals(ErrorKind.BIT_FIELD_BOUNDS, fails("let x = 1; x[64]").kind());
    }

    @Test
    void strings_are_indexed_by_character_not_utf16_unit() {
        assertEquals(RChar.of(0x1F600), eval("\"a😀b\"[1]"));
        assertEquals(RChar.of('b'), eval("\"a😀b\"[2]"));
        assertEquals("\"a😀x\"", show("let s = \"a😀b\"; s[2] = 'x'; s"));
    }

    @Test
    void switch_supports_alternatives_ranges_guards_and_default() {
        String fn = "fn c(x) { switch x { 1 | 2 => \"low\", 4 => \"four\", 3..=5 if x != 4 => \"mid\", _ => \"other\" } }";
        assertEquals("[\"low\", \"low\", \"mid\", \"four\", \"mid\", \"other\"]",
                show(fn + "[c(1), c(2), c(3), c(4), c(5), c(6)]"));
    }

    @Test
    void for_loops_iterate_ranges_arrays_strings_and_step_ranges() {
        assertEquals("[0, 1, 2]", show("let a = []; for i in 0..3 { a.push(i) } a"));
        assertEquals("[1, 2, 3]", show("let a = []; for i in 1..=3 { a.push(i) } a"));
        assertEquals("[a, b]", show("let a = []; for c in \"ab\" { a.push(c) } a"));
        assertEquals("[\"x0\", \"y1\"]", show("let a = []; for (v, i) in [\"x\", \"y\"] { a.push(v + i) } a"));
        assertEquals("[10, 7, 4, 1]", show("let a = []; for i in range(10, 0, -3) { a.push(i) } a"));
    }

    @Test
    void parse_errors_report_the_first_error_precisely() {
        RhaiException e = fails("let x = 1;\nlet y = (2 + ;");
        assertEquals(ErrorKind.PARSING, e.kind());
        assertEquals(2, e.position().line());
        assertTrue(e.getMessage().startsWith("Syntax error: "), e.getMessage());
        assertEquals(ErrorKind.PARSING, fails("let = 5;").kind());
        assertEquals(ErrorKind.PARSING, fails("fn (a) { a }").kind());
        assertEquals(ErrorKind.PARSING, fails("1 +").kind());
        assertEquals(ErrorKind.PARSING, fails("\"unterminated").kind());
        assertEquals(ErrorKind.PARSING, fails("let x = 1 let y = 2;").kind());
        assertEquals(ErrorKind.PARSING, fails("{ fn inner() {} }").kind());
    }

    @Test
    void reserved_keywords_are_rejected() {
        assertTrue(fails("let var = 1;").getMessage().contains("reserved"));
    }

    @Test
    void printing_and_debugging_go_to_the_embedder_callbacks() {
        List<String> out = new ArrayList<>();
        Engine e = Engine.builder().onPrint(s -> out.add("p:" + s)).onDebug(s -> out.add("d:" + s)).build();
        e.eval("print(\"hi\"); print(42); debug(\"hi\"); debug([1]);");
        assertEquals(List.of("p:hi", "p:42", "d:\"hi\"", "d:[1]"), out);
    }

    @Test
    void floats_print_like_rhai() {
        assertEquals("1.0", Values.toDisplay(1.0));
        assertEquals("0.1", Values.toDisplay(0.1));
        assertEquals("1e20", Values.toDisplay(1e20));
        assertEquals("1.5e-14", Values.toDisplay(1.5e-14));
        assertEquals("123456.789", Values.toDisplay(123456.789));
        assertEquals("-2.0", Values.toDisplay(-2.0));
    }
}
