package io.circles.rhai;

import io.circles.rhai.api.AST;
import io.circles.rhai.api.Engine;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.Scope;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every sandbox limit ends a runaway script with its own error, promptly, and never with a JVM error. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(60)
class SandboxLimitsTest {

    static RhaiException fails(Engine e, String script) {
        return assertThrows(RhaiException.class, () -> e.eval(script));
    }

    static ErrorKind rootKind(Engine e, String script) {
        return fails(e, script).root().kind();
    }

    @Test
    void an_endless_loop_hits_the_operation_limit() {
        Engine e = Engine.builder().maxOperations(10_000).build();
        assertEquals(ErrorKind.TOO_MANY_OPERATIONS, rootKind(e, "loop {}"));
        assertEquals(ErrorKind.TOO_MANY_OPERATIONS, rootKind(e, "let i = 0; while true { i += 1; }"));
        assertEquals(ErrorKind.TOO_MANY_OPERATIONS, rootKind(e, "for i in 0..1000000 { }"));
        assertEquals("Too many operations", fails(e, "loop {}").baseMessage());
    }

    @Test
    void operations_are_counted_per_expression_as_the_reference_counts_them() {
        // per iteration: the iteration, x > 0 (three nodes) and x -= 1 (two): 6, so 1,000 iterations need ~6,000
        String loop = "let x = 1000; while x > 0 { x -= 1; } x";
        assertEquals(ErrorKind.TOO_MANY_OPERATIONS, rootKind(Engine.builder().maxOperations(5_900).build(), loop));
        assertEquals(0L, Engine.builder().maxOperations(6_100).build().eval(loop));
        // per iteration: the iteration and s = f(s) (three nodes), then the call and n + 1 (three nodes): 8
        String calls = "fn f(n) { n + 1 }\nlet s = 0;\nfor i in 0..100 { s = f(s); }\ns";
        assertEquals(ErrorKind.TOO_MANY_OPERATIONS, rootKind(Engine.builder().maxOperations(780).build(), calls));
        assertEquals(100L, Engine.builder().maxOperations(830).build().eval(calls));
    }

    @Test
    void the_default_engine_stops_an_endless_loop() {
        assertEquals(ErrorKind.TOO_MANY_OPERATIONS, rootKind(new Engine(), "loop { }"));
    }

    @Test
    void the_wall_clock_deadline_stops_a_script() {
        Engine e = Engine.builder().maxOperations(0).timeout(Duration.ofMillis(200)).build();
        long t0 = System.nanoTime();
        assertEquals(ErrorKind.TIMEOUT, rootKind(e, "loop {}"));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }

    @Test
    void external_cancellation_terminates_a_script() throws Exception {
        Engine e = Engine.builder().maxOperations(0).timeout(null).build();
        AtomicBoolean cancel = new AtomicBoolean();
        AST ast = e.compile("loop {}");
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                // ignore
            }
            cancel.set(true);
        });
        t.start();
        RhaiException ex = assertThrows(RhaiException.class, () -> e.eval(ast, new Scope(), cancel));
        assertEquals(ErrorKind.TERMINATED, ex.kind());
        assertEquals("Script terminated", ex.baseMessage());
    }

    @Test
    void interrupting_the_calling_thread_terminates_the_script() throws Exception {
        Engine e = Engine.builder().maxOperations(0).timeout(null).build();
        AST ast = e.compile("loop {}");
        Object[] result = new Object[1];
        Thread caller = new Thread(() -> {
            try {
                e.eval(ast, new Scope());
            } catch (RhaiException ex) {
                result[0] = ex.kind();
            }
        });
        caller.start();
        Thread.sleep(150);
        caller.interrupt();
        caller.join(10_000);
        assertEquals(ErrorKind.TERMINATED, result[0]);
    }

    @Test
    void a_script_on_the_callers_thread_can_be_cancelled_too() {
        Engine e = Engine.builder().maxOperations(0).timeout(null).runOnOwnThreads(false).build();
        AtomicBoolean cancel = new AtomicBoolean(true);
        RhaiException ex = assertThrows(RhaiException.class, () -> e.eval(e.compile("loop {}"), new Scope(), cancel));
        assertEquals(ErrorKind.TERMINATED, ex.kind());
    }

    @Test
    void a_progress_listener_can_stop_a_script() {
        Engine e = Engine.builder().maxOperations(0).onProgress(ops -> ops < 5_000).build();
        assertEquals(ErrorKind.TERMINATED, rootKind(e, "loop {}"));
    }

    @Test
    void deep_recursion_hits_the_call_depth_limit() {
        Engine e = new Engine();
        assertEquals(ErrorKind.STACK_OVERFLOW, rootKind(e, "fn f(n) { f(n + 1) } f(0)"));
        assertEquals(ErrorKind.STACK_OVERFLOW, rootKind(e, "fn f(n) { 1 + f(n + 1) } f(0)"));
    }

    @Test
    void exponential_recursion_ends_with_a_limit_error() {
        Engine e = Engine.builder().maxOperations(200_000).build();
        ErrorKind k = rootKind(e, "fn f(n) { f(n + 1) + f(n + 1) } f(0)");
        assertTrue(k == ErrorKind.STACK_OVERFLOW || k == ErrorKind.TOO_MANY_OPERATIONS, k.toString());
    }

    @Test
    void a_huge_call_depth_limit_still_never_overflows_the_jvm_stack() {
        Engine e = Engine.builder().maxCallDepth(1_000_000).maxOperations(0).build();
        RhaiException ex = fails(e, "fn f(n) { 1 + f(n + 1) } f(0)");
        assertEquals(ErrorKind.STACK_OVERFLOW, ex.root().kind());
    }

    @Test
    void string_doubling_hits_the_string_size_limit() {
        Engine e = Engine.builder().maxStringSize(1000).build();
        RhaiException ex = fails(e, "let s = \"ab\"; loop { s += s; }");
        assertEquals(ErrorKind.DATA_TOO_LARGE, ex.kind());
        assertEquals("Length of string too large", ex.baseMessage());
        assertEquals(ErrorKind.DATA_TOO_LARGE, rootKind(new Engine(), "let s = \"ab\"; loop { s = s + s; }"));
    }

    @Test
    void array_growth_hits_the_array_size_limit() {
        Engine e = Engine.builder().maxArraySize(100).build();
        assertEquals(ErrorKind.DATA_TOO_LARGE, rootKind(e, "let a = [1]; loop { a += a; }"));
        assertEquals(ErrorKind.DATA_TOO_LARGE, rootKind(e, "let a = []; loop { a.push(1); }"));
        assertEquals(ErrorKind.DATA_TOO_LARGE, rootKind(e, "let x = [1, 2, 3]; [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]"));
        assertEquals(ErrorKind.DATA_TOO_LARGE, rootKind(new Engine(), "let a = [1]; loop { a += a; }"));
    }

    @Test
    void self_nesting_arrays_end_with_a_limit_error() {
        Engine e = Engine.builder().maxArraySize(1000).build();
        ErrorKind k = rootKind(e, "let x = [42]; loop { x[0] = x; }");
        assertTrue(k == ErrorKind.DATA_TOO_LARGE || k == ErrorKind.TOO_MANY_OPERATIONS, k.toString());
    }

    @Test
    void nested_growth_is_measured_deeply() {
        Engine e = Engine.builder().maxArraySize(10_000).build();
        assertEquals(ErrorKind.DATA_TOO_LARGE,
                rootKind(e, "let big = []; big.pad(5000, 1); let a = []; loop { a.push([big]); }"));
        assertEquals(ErrorKind.DATA_TOO_LARGE,
                rootKind(e, "let big = []; big.pad(5000, 1); let m = #{}; let i = 0; loop { m[\"k\" + i] = big; i += 1; }"));
        assertEquals(ErrorKind.DATA_TOO_LARGE,
                rootKind(e, "let big = []; big.pad(5000, 1); [big, big, big]"));
        assertEquals(3000L, e.eval("let a = []; for i in 0..1000 { a.push([i, i]); } let n = 0; for x in a { n += x.len() + 1; } n"));
    }

    @Test
    void map_growth_hits_the_map_size_limit() {
        Engine e = Engine.builder().maxMapSize(50).build();
        assertEquals(ErrorKind.DATA_TOO_LARGE, rootKind(e, "let m = #{}; let i = 0; loop { m[\"k\" + i] = i; i += 1; }"));
        assertEquals("Size of object map too large",
                fails(e, "let m = #{}; let i = 0; loop { m[\"k\" + i] = i; i += 1; }").baseMessage());
    }

    @Test
    void expression_nesting_is_limited_at_parse_time() {
        Engine e = Engine.builder().maxExprDepth(20, 10).build();
        RhaiException ex = fails(e, "(".repeat(50) + "1" + ")".repeat(50));
        assertEquals(ErrorKind.PARSING, ex.kind());
        assertTrue(ex.getMessage().contains("Expression exceeds maximum complexity"));
        RhaiException inFn = fails(e, "fn f() { " + "(".repeat(15) + "1" + ")".repeat(15) + " }");
        assertEquals(ErrorKind.PARSING, inFn.kind());
    }

    @Test
    void very_deep_nesting_in_untrusted_input_is_a_parse_error_not_a_crash() {
        RhaiException ex = fails(new Engine(), "[".repeat(100_000));
        assertEquals(ErrorKind.PARSING, ex.kind());
    }

    @Test
    void the_number_of_variables_is_limited() {
        Engine e = Engine.builder().maxVariables(5).build();
        assertEquals(ErrorKind.TOO_MANY_VARIABLES, rootKind(e, "let a = 1; let b = 2; let c = 3; let d = 4; let e = 5; let f = 6;"));
    }

    @Test
    void the_number_of_functions_is_limited() {
        Engine e = Engine.builder().maxFunctions(2).build();
        RhaiException ex = fails(e, "fn a() {} fn b() {} fn c() {}");
        assertTrue(ex.getMessage().contains("Number of functions defined exceeds maximum limit"));
    }

    @Test
    void the_number_of_imported_modules_is_limited() {
        Engine e = Engine.builder().maxModules(1).moduleResolver(path -> "export const X = 1;").build();
        assertEquals(1L, e.eval("import \"a\" as a; a::X"));
        assertEquals(ErrorKind.TOO_MANY_MODULES, rootKind(e, "import \"a\" as a; import \"b\" as b;"));
    }

    @Test
    void limits_are_per_evaluation_not_per_engine() {
        Engine e = Engine.builder().maxOperations(5_000).build();
        AST ast = e.compile("let s = 0; for i in 0..1000 { s += i; } s");
        for (int i = 0; i < 5; i++) assertEquals(499500L, e.eval(ast, new Scope()));
    }
}
