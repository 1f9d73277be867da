package io.circles.rhai.bench;

import io.circles.rhai.eval.Limits;
import io.circles.rhai.api.AST;
import io.circles.rhai.api.Engine;
import io.circles.rhai.types.Scope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark runner (not a unit test): equivalents of the reference engine's scripts/speed_test.rhai,
 * scripts/primes.rhai, scripts/fibonacci.rhai plus an object-map/string workload. Prints the median seconds.
 *
 * <p>Run: {@code java -cp <classpath> io.circles.rhai.bench.RhaiBench [runs [warmups [name-prefix]]]}; a cold
 * measurement is {@code RhaiBench 1 0 primes} in a fresh JVM (one run per process, no warm-up).
 */
public final class RhaiBench {
    static final String SPEED_TEST = """
            let x = 1_000_000;
            while x > 0 {
                x -= 1;
            }
            x
            """;

    static final String PRIMES = """
            const MAX_NUMBER_TO_CHECK = 1_000_000;
            let prime_mask = [];
            prime_mask.pad(MAX_NUMBER_TO_CHECK + 1, true);
            prime_mask[0] = false;
            prime_mask[1] = false;
            let total_primes_found = 0;
            for p in 2..=MAX_NUMBER_TO_CHECK {
                if !prime_mask[p] { continue; }
                total_primes_found += 1;
                for i in range(2 * p, MAX_NUMBER_TO_CHECK + 1, p) {
                    prime_mask[i] = false;
                }
            }
            if total_primes_found != 78_498 { throw "wrong answer " + total_primes_found; }
            total_primes_found
            """;

    static final String FIBONACCI = """
            const TARGET = 28;
            const REPEAT = 5;
            fn fib(n) {
                if n < 2 {
                    n
                } else {
                    fib(n-1) + fib(n-2)
                }
            }
            let result;
            for n in 0..REPEAT {
                result = fib(TARGET);
            }
            if result != 317_811 { throw "wrong answer"; }
            result
            """;

    static final String MAPS_AND_STRINGS = """
            let users = [];
            for i in 0..20_000 {
                users.push(#{ id: i, name: "user" + i, score: i % 97, tags: ["a", "b"] });
            }
            let total = 0;
            let text = "";
            for u in users {
                u.score += 1;
                total += u.score;
                if u.id % 1000 == 0 {
                    text += `${u.name}:${u.score};`;
                }
            }
            let counts = #{};
            for u in users {
                let k = "k" + (u.id % 10);
                counts[k] = (counts[k] ?? 0) + 1;
            }
            total + counts.len() + text.len()
            """;

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String only = args.length > 2 ? args[2] : "";
        Engine engine = Engine.builder().limits(Limits.relaxed()).build();
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put("speed_test (1M loop)", SPEED_TEST);
        scripts.put("primes (sieve 1,000,000)", PRIMES);
        scripts.put("fibonacci (fib(28) x 5)", FIBONACCI);
        scripts.put("maps+strings (20k objects)", MAPS_AND_STRINGS);
        System.out.println("JDK " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        for (Map.Entry<String, String> e : scripts.entrySet()) {
            if (!e.getKey().startsWith(only)) continue;
            AST ast = engine.compile(e.getValue());
            for (int i = 0; i < warmups; i++) engine.eval(ast, new Scope());
            List<Double> times = new ArrayList<>();
            Object result = null;
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                result = engine.eval(ast, new Scope());
                times.add((System.nanoTime() - t0) / 1e9);
            }
            double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted[sorted.length / 2];
            System.out.printf("%-30s median %.3f s  (min %.3f, max %.3f)  result=%s%n", e.getKey(), median,
                    sorted[0], sorted[sorted.length - 1], result);
        }
    }
}
