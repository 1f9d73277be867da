package io.circles.rhai.bench;

import io.circles.rhai.api.AST;
import io.circles.rhai.api.Engine;
import io.circles.rhai.eval.Limits;
import io.circles.rhai.types.Scope;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark runner (not a unit test) for .rhai files run unchanged, such as the reference engine's
 * {@code scripts/speed_test.rhai}, {@code primes.rhai} and {@code fibonacci.rhai}, side by side with Lua 5.4.
 *
 * <p>Each file is compiled once, run {@code --warmups W} times, then {@code --runs N} times on the calling thread
 * ({@code runOnOwnThreads(false)}, so the evaluating thread's CPU time can be read); per run it records the wall
 * time of {@code eval}, the thread's CPU time and allocated bytes, and the seconds the script reports itself in
 * its {@code Run time = … seconds} line. {@code --cold K} instead starts K fresh JVMs (same class path, flags
 * {@code -Xmx1g -XX:G1HeapRegionSize=32m}) that each run the file once without warm-up, and also times the whole
 * process. When {@code src/test/resources/bench/lua/NAME.lua} exists (ours, hand-written equivalents; the path is
 * relative, so run from the project root), it is run N (or K) times with {@code lua5.4} and its own
 * {@code Run time} line ({@code os.clock()}: CPU time) and process wall time are reported.
 *
 * <pre>
 * java -Xmx1g -XX:G1HeapRegionSize=32m -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     io.circles.rhai.bench.ScriptFileBench [--warmups 5] [--runs 15] [--cold K] [--no-lua] [--quiet] FILE.rhai…
 * </pre>
 */
public final class ScriptFileBench {
    private static final Pattern RUN_TIME = Pattern.compile("Run time = ([0-9.eE+-]+) seconds");
    private static final Path LUA_DIR = Path.of("src/test/resources/bench/lua");

    private int warmups = 5;
    private int runs = 15;
    private int coldJvms;
    private boolean lua = true;
    private boolean quiet;
    private final List<Path> files = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        ScriptFileBench bench = new ScriptFileBench();
        bench.parse(args);
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, load average %.2f%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (Path file : bench.files) bench.measure(file);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmups" -> warmups = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--cold" -> coldJvms = Integer.parseInt(args[++i]);
                case "--no-lua" -> lua = false;
                case "--quiet" -> quiet = true;
                default -> files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) throw new IllegalArgumentException("no .rhai files given");
    }

    private void measure(Path file) throws Exception {
        String name = file.getFileName().toString().replaceFirst("\\.rhai$", "");
        if (coldJvms > 0) {
            measureCold(file, name);
        } else {
            measureWarm(file, name);
        }
        Path luaFile = LUA_DIR.resolve(name + ".lua");
        if (lua && Files.exists(luaFile)) measureLua(luaFile, name, coldJvms > 0 ? coldJvms : runs);
    }

    // ------------------------------------------------------------------ this engine, one JVM

    /** One run's measurements (seconds; bytes). */
    record Run(double wall, double cpu, double script, long allocated) {
    }

    private void measureWarm(Path file, String name) throws IOException {
        List<String> printed = new ArrayList<>();
        Engine engine = Engine.builder().limits(Limits.relaxed()).runOnOwnThreads(false)
                .onPrint(printed::add).onDebug(printed::add).build();
        AST ast = engine.compile(Files.readString(file));
        for (int i = 0; i < warmups; i++) engine.eval(ast, new Scope());
        List<Run> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            printed.clear();
            measured.add(runOnce(engine, ast, printed));
            if (!quiet) printRun(name, i, measured.get(i), printed);
        }
        summarise(name + " (warm: " + warmups + " warm-ups, " + runs + " runs)", measured);
    }

    private static Run runOnce(Engine engine, AST ast, List<String> printed) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long alloc0 = allocatedBytes(threads);
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        engine.eval(ast, new Scope());
        long wall = System.nanoTime() - t0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long alloc = allocatedBytes(threads) - alloc0;
        return new Run(wall / 1e9, cpu / 1e9, scriptSeconds(printed), alloc);
    }

    private static long allocatedBytes(ThreadMXBean threads) {
        if (threads instanceof com.sun.management.ThreadMXBean sun) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    private static void printRun(String name, int i, Run r, List<String> printed) {
        System.out.printf(Locale.ROOT, "  %s run %2d: script %7.2f ms  wall %7.2f ms  cpu %7.2f ms  alloc %6.1f MB%n",
                name, i, r.script * 1e3, r.wall * 1e3, r.cpu * 1e3, r.allocated / 1e6);
        if (i == 0) {
            for (String line : printed) System.out.println("    | " + line);
        }
    }

    // ------------------------------------------------------------------ this engine, fresh JVMs

    private void measureCold(Path file, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Run> measured = new ArrayList<>();
        List<Double> processWall = new ArrayList<>();
        for (int i = 0; i < coldJvms; i++) {
            List<String> cmd = List.of(java, "-Xmx1g", "-XX:G1HeapRegionSize=32m", "-cp",
                    System.getProperty("java.class.path"), ScriptFileBench.class.getName(), "--warmups", "0",
                    "--runs", "1", "--no-lua", file.toString());
            long t0 = System.nanoTime();
            List<String> out = runProcess(cmd);
            processWall.add((System.nanoTime() - t0) / 1e9);
            Run r = parseChildRun(out);
            measured.add(r);
            if (!quiet) {
                System.out.printf(Locale.ROOT, "  %s cold %2d: script %7.2f ms  eval wall %7.2f ms  cpu %7.2f ms  "
                        + "process %7.0f ms%n", name, i, r.script * 1e3, r.wall * 1e3, r.cpu * 1e3,
                        processWall.get(i) * 1e3);
            }
        }
        summarise(name + " (cold: " + coldJvms + " fresh JVMs, one run each)", measured);
        System.out.printf(Locale.ROOT, "  %-22s median %8.1f ms%n", "JVM process wall", median(processWall) * 1e3);
    }

    private static final Pattern CHILD_RUN = Pattern.compile(
            "run  0: script +([0-9.NaN-]+) ms +wall +([0-9.]+) ms +cpu +([0-9.]+) ms +alloc +([0-9.]+) MB");

    private static Run parseChildRun(List<String> out) {
        for (String line : out) {
            Matcher m = CHILD_RUN.matcher(line);
            if (m.find()) {
                return new Run(Double.parseDouble(m.group(2)) / 1e3, Double.parseDouble(m.group(3)) / 1e3,
                        Double.parseDouble(m.group(1)) / 1e3, (long) (Double.parseDouble(m.group(4)) * 1e6));
            }
        }
        throw new IllegalStateException("no run line in child output: " + out);
    }

    // ------------------------------------------------------------------ Lua

    private void measureLua(Path luaFile, String name, int count) throws Exception {
        List<Double> script = new ArrayList<>();
        List<Double> processWall = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            List<String> out = runProcess(List.of("lua5.4", luaFile.toString()));
            processWall.add((System.nanoTime() - t0) / 1e9);
            script.add(scriptSeconds(out));
        }
        System.out.println("Lua 5.4 " + luaFile + " (" + count + " processes)");
        System.out.printf(Locale.ROOT, "  %-22s median %8.2f ms  (min %.2f, max %.2f)%n", "Lua script timer",
                median(script) * 1e3, min(script) * 1e3, max(script) * 1e3);
        System.out.printf(Locale.ROOT, "  %-22s median %8.2f ms%n", "Lua process wall", median(processWall) * 1e3);
    }

    private static List<String> runProcess(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) lines.add(line);
        }
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException(cmd + " exited with " + rc + ": " + lines);
        return lines;
    }

    // ------------------------------------------------------------------ statistics

    private static double scriptSeconds(List<String> printed) {
        for (String line : printed) {
            Matcher m = RUN_TIME.matcher(line);
            if (m.find()) return Double.parseDouble(m.group(1));
        }
        return Double.NaN;
    }

    private static void summarise(String title, List<Run> measured) {
        System.out.println(title);
        line("script timer", measured.stream().map(Run::script).toList());
        line("eval wall", measured.stream().map(Run::wall).toList());
        line("thread CPU", measured.stream().map(Run::cpu).toList());
        System.out.printf(Locale.ROOT, "  %-22s median %8.1f MB%n", "allocated",
                median(measured.stream().map(r -> r.allocated / 1e6).toList()));
    }

    private static void line(String what, List<Double> seconds) {
        System.out.printf(Locale.ROOT, "  %-22s median %8.2f ms  (min %.2f, max %.2f)%n", what, median(seconds) * 1e3,
                min(seconds) * 1e3, max(seconds) * 1e3);
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) return Double.NaN;
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(List<Double> xs) {
        return Arrays.stream(xs.stream().mapToDouble(Double::doubleValue).toArray()).min().orElse(Double.NaN);
    }

    private static double max(List<Double> xs) {
        return Arrays.stream(xs.stream().mapToDouble(Double::doubleValue).toArray()).max().orElse(Double.NaN);
    }
}
