package io.circles.rhai.packages;

import io.circles.rhai.api.AST;
import io.circles.rhai.api.Engine;
import io.circles.rhai.types.Scope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One engine (and one compiled AST) shared by many threads evaluating at once. */
class SharedEngineConcurrencyTest {
    private static final String SCRIPT = """
            let n = seed;
            let a = [];
            for i in 0..50 { a.push((n * 31 + i) % 97); }
            a.sort();
            let m = #{};
            for x in a { m[x.to_string()] = x * 2; }
            let s = "";
            for k in m.keys() { s += k; }
            let total = a.reduce(|acc, x| acc + x, 0);
            let words = ("w" + seed + " v " + total).split(" ");
            `${total}:${m.len()}:${s.len()}:${words.len()}:${a.filter(|x| x.is_even).len()}`
            """;

    private static String expectedFor(long seed) {
        List<Long> a = new ArrayList<>();
        for (long i = 0; i < 50; i++) a.add((seed * 31 + i) % 97);
        a.sort(null);
        java.util.TreeMap<String, Long> m = new java.util.TreeMap<>();
        for (long x : a) m.put(Long.toString(x), x * 2);
        StringBuilder s = new StringBuilder();
        for (String k : m.keySet()) s.append(k);
        long total = 0;
        for (long x : a) total += x;
        long evens = a.stream().filter(x -> x % 2 == 0).count();
        return total + ":" + m.size() + ":" + s.length() + ":3:" + evens;
    }

    @Test
    void manyThreadsShareOneEngineAndAst() throws Exception {
        Engine engine = new Engine();
        AST ast = engine.compile(SCRIPT);
        int threads = 16;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        long seed = id * 1000L + i;
                        Scope scope = new Scope().push("seed", seed);
                        Object r = (i % 2 == 0) ? engine.eval(ast, scope) : engine.eval(SCRIPT, scope);
                        assertEquals(expectedFor(seed), r, "seed " + seed);
                        ok++;
                    }
                    return ok;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : futures) total += f.get(120, TimeUnit.SECONDS);
            assertEquals(threads * perThread, total);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void printCallbacksOfConcurrentEvaluationsDoNotMix() throws Exception {
        List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
        Engine engine = Engine.builder().onPrint(out::add).build();
        AST ast = engine.compile("for i in 0..10 { print(`${tag}:${i}`); }");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final String tag = "t" + t;
                fs.add(pool.submit(() -> engine.eval(ast, new Scope().push("tag", tag))));
            }
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(80, out.size());
        for (int t = 0; t < 8; t++) {
            int last = -1;
            for (String s : out) {
                if (s.startsWith("t" + t + ":")) {
                    int i = Integer.parseInt(s.substring(s.indexOf(':') + 1));
                    assertEquals(last + 1, i, "order within one evaluation");
                    last = i;
                }
            }
            assertEquals(9, last);
        }
    }
}
