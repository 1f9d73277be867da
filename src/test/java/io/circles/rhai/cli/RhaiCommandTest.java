package io.circles.rhai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.circles.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** In-process tests of the {@code rhai} runner. */
class RhaiCommandTest {
    private static final ObjectMapper M = new ObjectMapper();

    /** Output of one run. */
    record Run(int code, String out, String err) {
    }

    static Run run(String stdin, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "rhai";
        System.arraycopy(args, 0, full, 1, args.length);
        CliRun r = CliRun.withInput(stdin, full);
        return new Run(r.code(), r.out(), r.err());
    }

    static List<JsonNode> jsonl(String stdin, String... extraArgs) throws Exception {
        String[] args = new String[extraArgs.length + 1];
        args[0] = "--jsonl";
        System.arraycopy(extraArgs, 0, args, 1, extraArgs.length);
        Run r = run(stdin, args);
        assertEquals(0, r.code(), r.err());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (!line.isBlank()) lines.add(M.readTree(line));
        }
        return lines;
    }

    static String caseLine(Object id, String script) throws Exception {
        return M.writeValueAsString(java.util.Map.of("id", id, "script", script)) + "\n";
    }

    // ------------------------------------------------------------------ file / stdin mode

    @Test
    void runsAFileAndPrintsOutputThenFinalValue(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("hello.rhai");
        Files.writeString(f, "print(\"hi\");\nlet x = 40;\nx + 2\n");
        Run r = run("", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("hi\n42\n", r.out().replace("\r\n", "\n"));
        assertEquals("", r.err());
    }

    @Test
    void aFileImportsModulesFromItsOwnDirectoryLikeTheReferenceRunner(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/greet.rhai"), "export const WHO = \"module\";\nfn hello(x) { `hello ${x}` }\n");
        Files.writeString(dir.resolve("main.rhai"), "import \"lib/greet\" as g;\nprint(g::hello(g::WHO));\nimport \"lib/greet.txt\" as h;\nh::WHO\n");
        Run r = run("", dir.resolve("main.rhai").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("hello module\nmodule\n", r.out().replace("\r\n", "\n"));
    }

    @Test
    void aSandboxedFileReadsNoModulesAndAMissingModuleIsAnError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("lib.rhai"), "export const X = 1;\n");
        Files.writeString(dir.resolve("main.rhai"), "import \"lib\" as m;\nm::X\n");
        Run sandboxed = run("", "--sandbox", dir.resolve("main.rhai").toString());
        assertEquals(1, sandboxed.code());
        assertTrue(sandboxed.err().contains("Module not found: lib"), sandboxed.err());
        Files.writeString(dir.resolve("other.rhai"), "import \"nowhere\" as m;\nm::X\n");
        Run missing = run("", dir.resolve("other.rhai").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("Module not found: nowhere"), missing.err());
    }

    @Test
    void unitResultIsNotPrinted() {
        Run r = run("print(1); let x = 2;", "-");
        assertEquals(0, r.code());
        assertEquals("1\n", r.out());
    }

    @Test
    void finalValueUsesDisplayForm() {
        assertEquals("hello\n", run("\"hello\"", "-").out());
        assertEquals("1.5\n", run("1.5", "-").out());
        assertEquals("[1, \"a\"]\n", run("[1, \"a\"]", "-").out());
    }

    @Test
    void debugOutputGoesToStdout() {
        Run r = run("debug(\"x\"); 1", "-");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("\"x\""), r.out());
        assertTrue(r.out().endsWith("1\n"), r.out());
    }

    @Test
    void errorExitsWithOneAndReportsPosition() {
        Run r = run("print(\"before\");\nlet x = 1;\nx / 0", "-");
        assertEquals(1, r.code());
        assertEquals("before\n", r.out());
        assertTrue(r.err().contains("Division by zero"), r.err());
        assertTrue(r.err().contains("line 3"), r.err());
    }

    @Test
    void syntaxErrorExitsWithOne() {
        Run r = run("let = ;", "-");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("line 1"), r.err());
    }

    @Test
    void missingFileAndBadUsage() {
        Run r = run("", "/definitely/not/here.rhai");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not found"), r.err());
        assertEquals(2, run("").code());
        assertEquals(2, run("", "a.rhai", "b.rhai").code());
        assertEquals(0, run("", "--help").code());
    }

    @Test
    void runawayScriptIsStoppedByLimits() {
        Run r = run("let x = 0; loop { x += 1; }", "--sandbox", "-");
        assertEquals(1, r.code());
        assertFalse(r.err().isBlank());
    }

    @Test
    void timeoutMsStopsARunawayFileWithoutTheSandbox() {
        Run r = run("print(\"started\"); let x = 0; loop { x += 1; }", "--timeout-ms", "300", "-");
        assertEquals(1, r.code());
        assertEquals("started\n", r.out());
        assertTrue(r.err().contains("terminated"), r.err());
    }

    // ------------------------------------------------------------------ JSONL mode

    @Test
    void jsonlValuesAndTypes() throws Exception {
        String in = caseLine(1, "40 + 2")
                + caseLine(2, "1.0")
                + caseLine("s", "\"str\"")
                + caseLine(4, "'c'")
                + caseLine(5, "true")
                + caseLine(6, "()")
                + caseLine(7, "[1, 2.5, \"x\", ()]")
                + caseLine(8, "#{b: 1, a: #{c: [true]}}")
                + caseLine(9, "0.0 / 0.0")
                + caseLine(10, "1.0 / 0.0")
                + caseLine(11, "-1.0 / 0.0")
                + caseLine(12, "1..3")
                + caseLine(13, "let x = 5;");
        List<JsonNode> out = jsonl(in);
        assertEquals(13, out.size());
        assertEquals("{\"id\":1,\"ok\":true,\"type\":\"i64\",\"value\":42,\"print\":[]}", out.get(0).toString());
        assertEquals("f64", out.get(1).get("type").asText());
        assertTrue(out.get(1).get("value").isFloatingPointNumber());
        assertEquals(1.0, out.get(1).get("value").asDouble());
        assertEquals("s", out.get(2).get("id").asText());
        assertEquals("str", out.get(2).get("value").asText());
        assertEquals("char", out.get(3).get("type").asText());
        assertEquals("c", out.get(3).get("value").asText());
        assertTrue(out.get(4).get("value").asBoolean());
        assertEquals("()", out.get(5).get("type").asText());
        assertTrue(out.get(5).get("value").isNull());
        assertEquals("[1,2.5,\"x\",null]", out.get(6).get("value").toString());
        assertEquals("{\"a\":{\"c\":[true]},\"b\":1}", out.get(7).get("value").toString());
        assertEquals("map", out.get(7).get("type").asText());
        assertEquals("NaN", out.get(8).get("value").asText());
        assertEquals("inf", out.get(9).get("value").asText());
        assertEquals("-inf", out.get(10).get("value").asText());
        assertEquals("range", out.get(11).get("type").asText());
        assertEquals("1..3", out.get(11).get("value").asText());
        assertTrue(out.get(12).get("value").isNull());
    }

    @Test
    void jsonlCapturesPrintAndDebug() throws Exception {
        Run r = run(caseLine(1, "print(\"a\"); debug(2); print(3); 4"), "--jsonl");
        String[] lines = r.out().split("\n");
        assertEquals(1, lines.length, "print output must not leak as loose lines: " + r.out());
        JsonNode n = M.readTree(lines[0]);
        assertTrue(n.get("ok").asBoolean());
        assertEquals(4, n.get("value").asLong());
        JsonNode p = n.get("print");
        assertEquals(3, p.size());
        assertEquals("a", p.get(0).asText());
        assertEquals("3", p.get(2).asText());
    }

    @Test
    void jsonlErrorsDoNotStopOtherCases() throws Exception {
        String in = caseLine(1, "print(\"x\"); 1 / 0")
                + caseLine(2, "let = ;")
                + caseLine(3, "throw \"boom\"")
                + caseLine(4, "fn f(n) { f(n + 1) } f(0)")
                + caseLine(5, "let s = \"x\"; loop { s += s; }")
                + caseLine(6, "7");
        List<JsonNode> out = jsonl(in);
        assertEquals(6, out.size());
        for (int i = 0; i < 5; i++) {
            assertFalse(out.get(i).get("ok").asBoolean(), out.get(i).toString());
            assertFalse(out.get(i).get("error").asText().isBlank());
            assertEquals(i + 1, out.get(i).get("id").asInt());
        }
        assertTrue(out.get(0).get("error").asText().contains("Division by zero"));
        assertTrue(out.get(0).get("error").asText().contains("line 1"));
        assertEquals("x", out.get(0).get("print").get(0).asText());
        assertTrue(out.get(2).get("error").asText().contains("boom"));
        assertTrue(out.get(5).get("ok").asBoolean());
        assertEquals(7, out.get(5).get("value").asInt());
    }

    @Test
    void jsonlRunawayIsCutByWallClockGuard() throws Exception {
        String in = caseLine(1, "sleep(30); 1") + caseLine(2, "2");
        long t0 = System.nanoTime();
        List<JsonNode> out = jsonl(in, "--timeout-ms", "300");
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L);
        assertFalse(out.get(0).get("ok").asBoolean());
        assertTrue(out.get(1).get("ok").asBoolean());
    }

    @Test
    void jsonlMalformedLinesProduceErrorLines() throws Exception {
        String in = "not json\n"
                + "\n"
                + "{\"id\": 5}\n"
                + "[1,2]\n"
                + "{\"id\": {\"nested\": true}, \"script\": \"1\"}\n"
                + "{\"id\": 6, \"script\": 42}\n";
        List<JsonNode> out = jsonl(in);
        assertEquals(5, out.size());
        assertFalse(out.get(0).get("ok").asBoolean());
        assertTrue(out.get(0).get("id").isNull());
        assertFalse(out.get(1).get("ok").asBoolean());
        assertEquals(5, out.get(1).get("id").asInt());
        assertFalse(out.get(2).get("ok").asBoolean());
        assertTrue(out.get(3).get("ok").asBoolean());
        assertEquals("{\"nested\":true}", out.get(3).get("id").toString());
        assertFalse(out.get(4).get("ok").asBoolean());
    }

    @Test
    void jsonlEachCaseHasAFreshScope() throws Exception {
        List<JsonNode> out = jsonl(caseLine(1, "let x = 1; x") + caseLine(2, "x"));
        assertTrue(out.get(0).get("ok").asBoolean());
        assertFalse(out.get(1).get("ok").asBoolean());
        assertTrue(out.get(1).get("error").asText().contains("x"));
    }

    @Test
    void jsonlOutputIsUtf8() throws Exception {
        List<JsonNode> out = jsonl(caseLine(1, "\"héllo ✓\""));
        assertEquals("héllo ✓", out.get(0).get("value").asText());
    }

    @Test
    void aTrustedFileHasNoSizeLimitsAndSandboxRestoresThem() {
        String script = "let a = []; a.pad(1_000_001, true); a.len()";
        Run sandboxed = run(script, "--sandbox", "-");
        assertEquals(1, sandboxed.code());
        assertTrue(sandboxed.err().contains("too large"), sandboxed.err());
        Run trusted = run(script, "-");
        assertEquals(0, trusted.code(), trusted.err());
        assertEquals("1000001\n", trusted.out());
        assertEquals(trusted, run(script, "--relaxed", "-"));
    }

    @Test
    void optionErrors() {
        assertEquals(2, run("", "--bogus", "x.rhai").code());
        assertEquals(2, run("", "--jsonl", "x.rhai").code());
        assertEquals(2, run("", "--jsonl", "--timeout-ms").code());
        assertEquals(2, run("", "--jsonl", "--timeout-ms", "soon").code());
        assertEquals(2, run("", "--relaxed").code());
        assertEquals(2, run("", "--timeout-ms", "0", "-").code());
    }
}
