package io.circles.rhai.cli;

import io.circles.rhai.eval.Limits;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.circles.rhai.api.Engine;
import io.circles.rhai.api.ModuleResolver;
import io.circles.rhai.serde.JsonValues;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.Scope;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The {@code rhai} command-line runner. Plain Java: it never boots Quarkus. Its arguments are parsed by
 * {@code io.circles.cli.RhaiSubcommand}; this class takes them as {@link Options}, so the engine packages depend
 * on nothing but the JDK and Jackson.
 *
 * <pre>
 * rhai FILE.rhai        run a script file
 * rhai -                run the script read from stdin
 * rhai --jsonl          read JSON Lines {"id": …, "script": "…"} from stdin, write one result line per case
 * </pre>
 *
 * <p>File/stdin mode prints {@code print}/{@code debug} output to stdout as it happens, then the final value (display
 * form) unless it is {@code ()}; on failure it prints the error with its position to stderr and exits with 1.
 *
 * <p>JSONL mode writes {@code {"id":…,"ok":true,"type":"i64","value":…,"print":[…]}} or
 * {@code {"id":…,"ok":false,"error":"…","print":[…]}} per input line, with a fresh engine and scope per case; a failing,
 * crashing or runaway case never stops the others, and malformed input lines produce an error line.
 */
public final class RhaiCommand {
    private RhaiCommand() {
    }

    /** Stack size of the thread each script runs on. */
    static final long STACK_BYTES = 256L * 1024 * 1024;
    /** Wall-clock guard per JSONL case (the engine's own limits normally end a runaway much earlier). */
    public static final long DEFAULT_CASE_TIMEOUT_MS = 60_000;

    /** Caps on the print/debug output kept per JSONL case. */
    static final int MAX_PRINT_LINES = 100_000;
    static final long MAX_PRINT_CHARS = 16L * 1024 * 1024;
    static final String TRUNCATED = "... (output truncated)";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** {@code timeoutMs} meaning "no wall-clock limit". */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;

    /**
     * How to run: {@code sandbox} applies the engine's default limits (otherwise none: a local file is trusted);
     * {@code timeoutMs} is the wall-clock limit per script or per JSONL case ({@link #NO_TIMEOUT} for none).
     */
    public record Options(boolean sandbox, long timeoutMs) {
    }

    /** Runs a file ({@code -}: standard input); returns the process exit code. Never calls {@code System.exit}. */
    public static int runFile(String file, InputStream in, PrintStream out, PrintStream err, Options opts) {
        String script;
        try {
            if (file.equals("-")) {
                script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } else {
                script = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            }
        } catch (NoSuchFileException e) {
            err.println("rhai: file not found: " + file);
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("rhai: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        Path dir = file.equals("-") ? Path.of("") : Path.of(file).toAbsolutePath().getParent();
        return runScript(script, opts.sandbox() ? null : filesIn(dir), out, err, opts);
    }

    /**
     * Modules of a local script, as the reference's {@code rhai-run} finds them: {@code import "lib" as m;} reads
     * {@code lib.rhai} in the importing file's directory (the current one for standard input), an absolute path as
     * given, the extension always {@code .rhai}. Not under {@code --sandbox}: a sandboxed script reads no files.
     */
    static ModuleResolver filesIn(Path dir) {
        return path -> {
            Path file = dir.resolve(path);
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            file = file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".rhai");
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        };
    }

    // ------------------------------------------------------------------ file / stdin mode

    private static int runScript(String script, ModuleResolver modules, PrintStream out, PrintStream err, Options opts) {
        Outcome o = evaluate(script, modules, line -> {
            out.println(line);
            out.flush();
        }, opts.timeoutMs(), opts);
        if (o.error != null) {
            out.flush();
            err.println(o.error);
            err.flush();
            return 1;
        }
        if (o.value != Unit.INSTANCE && o.value != null) {
            out.println(Values.toDisplay(o.value));
        }
        out.flush();
        return 0;
    }

    // ------------------------------------------------------------------ JSONL mode

    /** Reads JSONL cases from {@code in}, writes one result line per case; returns the process exit code. */
    public static int runJsonl(InputStream in, PrintStream out, PrintStream err, Options opts) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        try {
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String result;
                try {
                    result = runCase(line, opts);
                } catch (Throwable t) { // never let one case stop the others
                    ObjectNode o = NODES.objectNode();
                    o.putNull("id");
                    o.put("ok", false);
                    o.put("error", describe(t));
                    o.putArray("print");
                    result = o.toString();
                }
                out.println(result);
                out.flush();
            }
        } catch (IOException e) {
            err.println("rhai: cannot read input: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** Runs one JSONL case and returns its result line. */
    static String runCase(String line, Options opts) {
        ObjectNode result = NODES.objectNode();
        JsonNode input;
        try {
            input = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            result.putNull("id");
            result.put("ok", false);
            result.put("error", "Malformed input line: " + e.getOriginalMessage());
            result.putArray("print");
            return result.toString();
        }
        JsonNode id = input != null && input.isObject() && input.has("id") ? input.get("id") : NODES.nullNode();
        result.set("id", id);
        JsonNode scriptNode = input != null && input.isObject() ? input.get("script") : null;
        if (scriptNode == null || !scriptNode.isTextual()) {
            result.put("ok", false);
            result.put("error", "Malformed input line: expected an object with a string field \"script\"");
            result.putArray("print");
            return result.toString();
        }
        List<String> printed = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] printedChars = {0};
        Outcome o = evaluate(scriptNode.textValue(), null, s -> {
            synchronized (printed) {
                if (printed.size() < MAX_PRINT_LINES && printedChars[0] < MAX_PRINT_CHARS) {
                    printed.add(s);
                    printedChars[0] += s.length();
                } else if (printed.size() == MAX_PRINT_LINES || printedChars[0] >= MAX_PRINT_CHARS) {
                    if (!TRUNCATED.equals(printed.get(printed.size() - 1))) {
                        printed.add(TRUNCATED);
                    }
                }
            }
        }, opts.timeoutMs(), opts);
        if (o.error == null) {
            result.put("ok", true);
            result.put("type", Values.typeName(o.value));
            JsonNode value;
            try {
                value = JsonValues.toJson(o.value);
            } catch (RuntimeException | StackOverflowError e) {
                value = NODES.textNode(Values.toDisplay(o.value));
            }
            result.set("value", value);
        } else {
            result.put("ok", false);
            result.put("error", o.error);
        }
        ArrayNode p = result.putArray("print");
        synchronized (printed) {
            for (String s : printed) {
                p.add(s);
            }
        }
        return result.toString();
    }

    // ------------------------------------------------------------------ evaluation

    /** Result of one script: a value, or an error message (with position). */
    record Outcome(Object value, String error) {
    }

    /**
     * Evaluates {@code script} with a fresh engine and scope on a thread with a large stack, sending print/debug
     * output to {@code output}. Catches everything, including {@link StackOverflowError} and {@link OutOfMemoryError}.
     */
    static Outcome evaluate(String script, ModuleResolver modules, Consumer<String> output, long timeoutMs, Options opts) {
        AtomicReference<Outcome> box = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable task = () -> {
            try {
                Object v = EngineGlue.eval(script, modules, output, cancel, opts);
                box.set(new Outcome(v == null ? Unit.INSTANCE : v, null));
            } catch (Throwable t) {
                box.set(new Outcome(null, describe(t)));
            }
        };
        Thread t = new Thread(null, task, "rhai-script", STACK_BYTES);
        t.setDaemon(true);
        t.start();
        try {
            if (timeoutMs == NO_TIMEOUT) {
                t.join();
            } else {
                t.join(Math.max(1, timeoutMs));
                if (t.isAlive()) {
                    cancel.set(true);
                    t.interrupt();
                    t.join(2_000);
                    if (t.isAlive()) {
                        return new Outcome(null, "Script terminated (wall-clock limit of " + timeoutMs + " ms)");
                    }
                }
            }
        } catch (InterruptedException e) {
            cancel.set(true);
            Thread.currentThread().interrupt();
            return new Outcome(null, "Script terminated (interrupted)");
        }
        Outcome o = box.get();
        return o != null ? o : new Outcome(null, "Script terminated");
    }

    static String describe(Throwable t) {
        if (t instanceof RhaiException re) {
            return re.getMessage();
        }
        if (t instanceof StackOverflowError) {
            return "Stack overflow";
        }
        if (t instanceof OutOfMemoryError) {
            return "Out of memory";
        }
        String m = t.getMessage();
        return "Internal error: " + t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** The one place that touches the engine API. */
    static final class EngineGlue {
        private EngineGlue() {
        }

        static Object eval(String script, ModuleResolver modules, Consumer<String> output,
                java.util.concurrent.atomic.AtomicBoolean cancel, Options opts) {
            Engine.Builder b = Engine.builder();
            if (!opts.sandbox()) {
                b.limits(Limits.relaxed());
            }
            if (modules != null) {
                b.moduleResolver(modules);
            }
            Engine engine = b
                    .onPrint(output::accept)
                    .onDebug(output::accept)
                    .runOnOwnThreads(false) // already on a large-stack thread of our own
                    .enableEval(true) // a developer tool, like the reference engine's defaults
                    .build();
            return engine.eval(script, new Scope(), cancel);
        }
    }
}
