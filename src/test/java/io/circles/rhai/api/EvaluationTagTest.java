package io.circles.rhai.api;

import io.circles.rhai.types.Scope;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Host state travels with the evaluation (its tag), not with the thread that runs it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EvaluationTagTest {

    private static Engine engineWithWhoami(List<String> printed) {
        Engine engine = Engine.builder()
                .onTaggedPrint((tag, line) -> printed.add(tag + ":" + line))
                .onTaggedDebug((tag, line) -> printed.add(tag + "?" + line))
                .runOnOwnThreads(false)
                .enableEval(true)
                .build();
        engine.registerRaw("whoami", (ctx, args) -> String.valueOf(ctx.tag()));
        return engine;
    }

    @Test
    void a_native_function_reads_the_tag_of_its_evaluation() {
        Engine engine = engineWithWhoami(new ArrayList<>());
        AST ast = engine.compile("whoami()");
        assertEquals("alice", engine.evalWithTag(ast, new Scope(), "alice"));
        assertEquals("bob", engine.evalWithTag(ast, new Scope(), "bob"));
        assertEquals("null", engine.eval(ast), "an untagged evaluation has no tag");
    }

    @Test
    void tagged_print_and_debug_receive_the_tag_of_the_evaluation_that_printed() {
        List<String> printed = new ArrayList<>();
        Engine engine = engineWithWhoami(printed);
        AST ast = engine.compile("print(\"hi\"); debug(\"x\");");
        engine.evalWithTag(ast, new Scope(), "t1");
        engine.evalWithTag(ast, new Scope(), "t2");
        assertEquals(List.of("t1:hi", "t1?\"x\"", "t2:hi", "t2?\"x\""), printed);
    }

    @Test
    void an_untagged_print_handler_still_gets_every_line() {
        List<String> printed = new ArrayList<>();
        Engine engine = Engine.builder().onPrint(printed::add).runOnOwnThreads(false).build();
        engine.evalWithTag(engine.compile("print(1); print(2)"), new Scope(), "ignored");
        assertEquals(List.of("1", "2"), printed);
    }

    @Test
    void eval_and_imported_modules_see_the_outer_tag() {
        Engine engine = Engine.builder().runOnOwnThreads(false).enableEval(true)
                .moduleResolver(path -> path.equals("m") ? "export const WHO = whoami(); fn who() { whoami() }" : null)
                .build();
        engine.registerRaw("whoami", (ctx, args) -> String.valueOf(ctx.tag()));
        AST ast = engine.compile("import \"m\" as m; eval(\"whoami()\") + \"/\" + m::WHO + \"/\" + m::who()");
        assertEquals("carol/carol/carol", engine.evalWithTag(ast, new Scope(), "carol"));
    }

    @Test
    void an_evaluation_started_inside_another_on_the_same_thread_keeps_its_own_tag() {
        Engine engine = engineWithWhoami(new ArrayList<>());
        AST inner = engine.compile("whoami()");
        engine.registerRaw("run_inner", (ctx, args) -> engine.evalWithTag(inner, new Scope(), "inner"));
        AST outer = engine.compile("let a = whoami(); let b = run_inner(); a + \"/\" + b + \"/\" + whoami()");
        assertEquals("outer/inner/outer", engine.evalWithTag(outer, new Scope(), "outer"));
    }

    @Test
    void concurrent_evaluations_on_a_shared_engine_each_see_their_own_tag() throws Exception {
        Engine engine = engineWithWhoami(new ArrayList<>());
        AST ast = engine.compile("let s = \"\"; for i in 0..50 { s = whoami(); } s");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String tag = "task-" + i;
                results.add(pool.submit(() -> engine.evalWithTag(ast, new Scope(), tag)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals("task-" + i, results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_native_called_outside_any_tagged_evaluation_sees_no_tag() {
        Engine engine = Engine.builder().runOnOwnThreads(false).build();
        Object[] seen = {"unset"};
        engine.registerRaw("peek", (ctx, args) -> {
            seen[0] = ctx.tag();
            return 0L;
        });
        engine.eval("peek()");
        assertNull(seen[0]);
    }
}
