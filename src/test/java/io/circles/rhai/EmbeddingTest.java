package io.circles.rhai;

import io.circles.rhai.api.AST;
import io.circles.rhai.api.Engine;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.Scope;
import io.circles.rhai.types.Values;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedding API: scopes, registered functions, custom types, modules, reuse and thread-safety. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddingTest {

    /** A custom type for the tests. */
    static final class Point {
        long x;
        long y;

        Point(long x, long y) {
            this.x = x;
            this.y = y;
        }
    }

    @Test
    void scope_variables_are_visible_to_the_script_and_read_back_afterwards() {
        Engine e = new Engine();
        Scope scope = new Scope().push("x", 40).push("name", "bob");
        assertEquals(42L, e.eval("x + 2", scope));
        e.eval("x += 1; let y = x * 2; const Z = 7;", scope);
        assertEquals(41L, scope.get("x"));
        assertEquals(82L, scope.get("y"));
        assertEquals(7L, scope.get("Z"));
        assertTrue(scope.isConstant("Z"));
        assertEquals("bob!", e.eval("name + \"!\"", scope));
    }

    @Test
    void plain_java_values_are_converted_when_pushed() {
        Engine e = new Engine();
        Scope scope = new Scope().push("list", List.of(1, 2, 3)).push("map", Map.of("k", 'c')).push("nothing", null);
        assertEquals(6L, e.eval("list[0] + list[1] + list[2]", scope));
        assertEquals("char", e.eval("type_of(map.k)", scope));
        assertEquals("()", e.eval("type_of(nothing)", scope));
    }

    @Test
    void scope_constants_cannot_be_assigned() {
        Engine e = new Engine();
        Scope scope = new Scope().pushConstant("LIMIT", 10);
        RhaiException ex = assertThrows(RhaiException.class, () -> e.eval("LIMIT = 1;", scope));
        assertEquals(ErrorKind.ASSIGNMENT_TO_CONSTANT, ex.kind());
    }

    @Test
    void a_loop_counting_on_a_scope_variable_updates_the_latest_variable_of_that_name() {
        Engine e = new Engine();
        Scope scope = new Scope().push("n", 1).push("n", 10).pushConstant("C", 5);
        e.eval("while n > 0 { n -= 3; } n += 100;", scope);
        assertEquals(98L, scope.get("n"));
        assertEquals(List.of("n", "n", "C"), scope.names());
        RhaiException overflow = assertThrows(RhaiException.class,
                () -> e.eval("n += 9223372036854775807;", new Scope().push("n", 1)));
        assertEquals(ErrorKind.ARITHMETIC, overflow.kind());
        assertTrue(overflow.getMessage().contains("Addition overflow"), overflow.getMessage());
        RhaiException constant = assertThrows(RhaiException.class, () -> e.eval("C -= 1;", scope));
        assertEquals(ErrorKind.ASSIGNMENT_TO_CONSTANT, constant.kind());
        assertEquals(5L, scope.get("C"));
        assertEquals(2.5, e.eval("let f = 1.0; f += 1.5; f"));
    }

    @Test
    void registered_functions_are_callable_in_both_call_styles() {
        Engine e = new Engine();
        e.registerFn("twice", Long.class, x -> x * 2);
        e.registerFn("greet", String.class, String.class, (a, b) -> a + ", " + b);
        e.registerFn("answer", () -> 42);
        assertEquals(42L, e.eval("twice(21)"));
        assertEquals(42L, e.eval("21.twice()"));
        assertEquals("hi, you", e.eval("greet(\"hi\", \"you\")"));
        assertEquals("hi, you", e.eval("\"hi\".greet(\"you\")"));
        assertEquals(42L, e.eval("answer()"));
        RhaiException ex = assertThrows(RhaiException.class, () -> e.eval("twice(\"x\")"));
        assertEquals("Function not found: twice (string)", ex.baseMessage());
    }

    @Test
    void overloads_are_chosen_by_argument_types() {
        Engine e = new Engine();
        e.registerFn("kind", Long.class, x -> "int");
        e.registerFn("kind", String.class, x -> "string");
        e.registerFn("kind", Object.class, x -> "other");
        assertEquals("int", e.eval("kind(1)"));
        assertEquals("string", e.eval("kind(\"a\")"));
        assertEquals("other", e.eval("kind(1.5)"));
    }

    @Test
    void custom_types_have_a_name_getters_setters_and_methods() {
        Engine e = new Engine();
        e.registerType(Point.class, "Point");
        e.registerFn("point", Long.class, Long.class, Point::new);
        e.registerGetter(Point.class, "x", p -> p.x);
        e.registerSetter(Point.class, "x", Long.class, (p, v) -> p.x = v);
        e.registerGetter(Point.class, "y", p -> p.y);
        e.registerFn("norm1", Point.class, p -> Math.abs(p.x) + Math.abs(p.y));
        assertEquals("Point", e.eval("type_of(point(1, 2))"));
        assertEquals(3L, e.eval("let p = point(1, 2); p.x + p.y"));
        assertEquals(12L, e.eval("let p = point(1, 2); p.x = 10; p.x + p.y"));
        assertEquals(15L, e.eval("let p = point(-5, 10); p.norm1()"));
        Object p = e.eval("let p = point(7, 8); p.x += 1; p");
        assertEquals(8L, ((Point) p).x);
    }

    @Test
    void registered_operators_extend_the_built_in_ones() {
        Engine e = new Engine();
        e.registerFn("point", Long.class, Long.class, Point::new);
        e.registerFn("+", Point.class, Point.class, (a, b) -> new Point(a.x + b.x, a.y + b.y));
        e.registerGetter(Point.class, "x", p -> p.x);
        assertEquals(4L, e.eval("(point(1, 2) + point(3, 4)).x"));
    }

    @Test
    void a_compiled_script_is_reusable_with_fresh_scopes() {
        // The engine keeps no cache of its own (the worker's CompileCache bounds one by bytes); reuse is the caller's.
        Engine e = new Engine();
        AST a1 = e.compile("fn sq(x) { x * x } sq(n)");
        for (long n = 0; n < 10; n++) assertEquals(n * n, e.eval(a1, new Scope().push("n", n)));
        assertEquals(List.of("sq(x)"), a1.functions());
        assertEquals(81L, e.callFn(a1, new Scope(), "sq", 9));
    }

    @Test
    void an_engine_and_an_ast_can_be_shared_by_many_threads() throws Exception {
        Engine e = new Engine();
        AST ast = e.compile("let s = 0; for i in 0..n { s += i; } s");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> fs = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                long n = t * 10L;
                fs.add(pool.submit(() -> e.eval(ast, new Scope().push("n", n))));
            }
            for (int t = 0; t < 64; t++) {
                long n = t * 10L;
                assertEquals(n * (n - 1) / 2, fs.get(t).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void expressions_can_be_evaluated_alone_and_reject_statements() {
        Engine e = new Engine();
        assertEquals(7L, e.evalExpression("1 + 2 * 3"));
        assertThrows(RhaiException.class, () -> e.evalExpression("let x = 1;"));
    }

    @Test
    void expressions_alone_have_no_statement_blocks_but_keep_if_and_switch() {
        // as the reference's compile_expression (tests/expressions.rs): a `{ }` block is a statement form
        Engine e = new Engine();
        RhaiException ex = assertThrows(RhaiException.class, () -> e.compileExpression("40 + { 2 }"));
        assertEquals(ErrorKind.PARSING, ex.kind());
        assertEquals(42L, e.evalExpression("if 1 > 0 { 42 } else { 0 }"));
        assertEquals(42L, e.evalExpression("switch 2 { 1 => 0, 2 => 42, _ => 1 }"));
    }

    @Test
    void typed_eval_checks_the_result_type() {
        Engine e = new Engine();
        assertEquals(42L, e.eval("40 + 2", Long.class));
        RhaiException ex = assertThrows(RhaiException.class, () -> e.eval("\"x\"", Long.class));
        assertEquals(ErrorKind.MISMATCH_OUTPUT_TYPE, ex.kind());
        assertEquals("Output type incorrect: string (expecting i64)", ex.getMessage());
    }

    @Test
    void a_module_s_own_imports_are_its_sub_modules_reached_by_deeper_paths() {
        Map<String, String> sources = Map.of(
                "outer", "import \"inner\" as inner;\nexport const A = 1;",
                "inner", "import \"leaf\" as leaf;\nexport const B = 2;\nfn hi(x) { `hi ${x}` }",
                "leaf", "export const C = 3;");
        Engine e = Engine.builder().moduleResolver(sources::get).build();
        assertEquals(1L, e.eval("import \"outer\" as o; o::A"));
        assertEquals(2L, e.eval("import \"outer\" as o; o::inner::B"));
        assertEquals("hi 5", e.eval("import \"outer\" as o; o::inner::hi(5)"));
        assertEquals(3L, e.eval("import \"outer\" as o; o::inner::leaf::C"));
        RhaiException missing = assertThrows(RhaiException.class, () -> e.eval("import \"outer\" as o; o::nothing::B"));
        assertEquals(ErrorKind.MODULE_NOT_FOUND, missing.kind());
        assertTrue(missing.getMessage().contains("o::nothing"), missing.getMessage());
        RhaiException unknown = assertThrows(RhaiException.class, () -> e.eval("import \"outer\" as o; o::inner::Z"));
        assertTrue(unknown.getMessage().contains("o::inner::Z"), unknown.getMessage());
    }

    @Test
    void modules_come_from_the_resolver_and_none_are_available_by_default() {
        RhaiException ex = assertThrows(RhaiException.class, () -> new Engine().eval("import \"x\" as x;"));
        assertEquals(ErrorKind.MODULE_NOT_FOUND, ex.kind());
        Map<String, String> sources = Map.of("math2", "export const TWO = 2; fn double(x) { x * TWO_LOCAL() } fn TWO_LOCAL() { 2 } private fn hidden() { 0 }");
        Engine e = Engine.builder().moduleResolver(sources::get).build();
        assertEquals(2L, e.eval("import \"math2\" as m; m::TWO"));
        assertEquals(42L, e.eval("import \"math2\" as m; m::double(21)"));
        assertThrows(RhaiException.class, () -> e.eval("import \"math2\" as m; m::hidden()"));
        assertEquals(8L, e.eval("import \"math2\" as m; fn quad(x) { m::double(m::double(x)) } quad(2)"));
        Scope scope = new Scope();
        e.eval("import \"math2\" as m; let r = m::TWO;", scope);
        assertEquals(List.of("r"), scope.names());
    }

    @Test
    void static_modules_can_be_registered_natively() {
        Engine e = new Engine();
        e.registerModuleFn("util", "inc", (ctx, a) -> (Long) a[0] + 1, Long.class);
        e.registerModuleVar("util", "ANSWER", 41);
        assertEquals(42L, e.eval("util::inc(util::ANSWER)"));
    }

    @Test
    void natives_can_call_back_into_script_closures() {
        Engine e = new Engine();
        e.registerRaw("apply_twice", (ctx, a) -> {
            var f = (io.circles.rhai.types.FnPtr) a[0];
            return ctx.callFn(f, ctx.callFn(f, a[1]));
        }, io.circles.rhai.types.FnPtr.class, Object.class);
        assertEquals(40L, e.eval("apply_twice(|x| x * 2, 10)"));
        assertEquals(12L, e.eval("let k = 1; apply_twice(|x| x + k * 5, 2)"));
        assertEquals(20L, e.eval("fn dbl(x) { x * 2 } apply_twice(Fn(\"dbl\"), 5)"));
    }

    @Test
    void eval_is_off_by_default_and_runs_in_the_callers_scope_when_enabled() {
        RhaiException off = assertThrows(RhaiException.class, () -> new Engine().eval("eval(\"1\")"));
        assertEquals(ErrorKind.FUNCTION_NOT_FOUND, off.kind());
        Engine e = Engine.builder().enableEval(true).build();
        assertEquals(42L, e.eval("eval(\"40 + 2\")"));
        assertEquals(133L, e.eval("let foo = 42; eval(\"let foo = 123\"); eval(\"let xyz = 10\"); foo + xyz"));
        assertEquals(42L, e.eval("let foo = 42; { eval(\"let foo = 123\"); } foo"));
        assertEquals(5L, e.eval("let x = 1; eval(\"x = 5\"); x"));
    }

    @Test
    void print_output_can_be_collected_per_engine() {
        List<String> out = new ArrayList<>();
        Engine e = Engine.builder().onPrint(out::add).build();
        e.eval("for i in 0..3 { print(i); }");
        assertEquals(List.of("0", "1", "2"), out);
    }

    @Test
    void values_round_trip_through_display_and_debug() {
        Engine e = new Engine();
        assertEquals("#{\"a\": [1, 2.5, \"x\", c, true, ()]}", Values.toDebug(e.eval("#{a: [1, 2.5, \"x\", 'c', true, ()]}")));
        assertEquals("[1, \"x\"]", Values.toDisplay(e.eval("[1, \"x\"]")));
    }
}
