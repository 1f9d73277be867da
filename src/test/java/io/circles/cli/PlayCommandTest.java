package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code play} and {@code repl} in-process against the running server. */
@QuarkusTest
class PlayCommandTest {
    @TestHTTPResource("/")
    URI base;

    @TempDir
    Path dir;

    private String url() {
        return base.toString().replaceFirst("^http", "ws") + TestCircles.CIRCLE_A;
    }

    private static CliRun play(String stdin, String... args) {
        return run(true, stdin, args);
    }

    private static CliRun run(boolean play, String stdin, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = play ? "play" : "repl";
        System.arraycopy(args, 0, full, 1, args.length);
        return CliRun.withInput(stdin, full);
    }

    @Test
    void plays_a_script_file_and_prints_logs_then_output() throws Exception {
        Path script = dir.resolve("double.rhai");
        Files.writeString(script, "print(\"doubling\");\nlet x = 10; x * 2\n");
        CliRun run = play("", "--url", url(), "--key", KeyPair.generate().privateKeyHex(), "--timeout", "20s", script.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals("doubling\n20\n", run.out().replace("\r", ""));
    }

    @Test
    void reads_the_script_from_stdin_and_the_key_from_a_file() throws Exception {
        Path keyFile = dir.resolve("me.key");
        Files.writeString(keyFile, KeyPair.generate().privateKeyHex() + "\n");
        CliRun run = play("let x = 10; x * 2", "--url", url(), "--key", "@" + keyFile, "-");
        assertEquals(0, run.code(), run.err());
        assertEquals("20", run.out().strip());
    }

    @Test
    void a_script_error_exits_1_with_code_and_position() {
        CliRun run = play("let x = ;", "--url", url(), "--key", KeyPair.generate().privateKeyHex());
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("error -32000"), run.err());
        assertTrue(run.err().contains("line 1"), run.err());
    }

    @Test
    void without_a_key_play_needs_authentication() {
        CliRun run = play("1", "--url", url());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("-32001"), run.err());
    }

    @Test
    void usage_errors_exit_2() {
        assertEquals(2, play("1").code());
        assertEquals(2, play("1", "--url", url(), "--key", "nothex").code());
        assertEquals(2, play("1", "--url", url(), "--frobnicate").code());
        assertEquals(2, play("1", "--url", url(), dir.resolve("missing.rhai").toString()).code());
        assertEquals(2, play("1", "--url", "ws://localhost:1/not-a-circle").code());
    }

    @Test
    void repl_plays_entries_across_lines_and_reports_errors() {
        String input = String.join("\n",
                "let x = 10; x * 2",
                "print(\"hi\"); [1, 2,",
                "3].len() * 14",
                "fn twice(a) {",
                "  a * 2",
                "}",
                "twice(4)",
                "let y = ;",
                ":history",
                ":quit",
                "40 + 2") + "\n";
        CliRun run = run(false, input, "--url", url(), "--key", KeyPair.generate().privateKeyHex());
        assertEquals(0, run.code(), run.err());
        String out = run.out();
        assertTrue(out.contains("circle> 20\n"), out);
        assertTrue(out.contains(ReplCommand.CONTINUE), out);
        assertTrue(out.contains("hi\n42\n"), out);
        assertTrue(out.contains("   5  let y = ;"), out);
        assertTrue(out.contains("circle> 8\n"), out);
        assertTrue(run.err().contains("(line 1,"), run.err());
        assertEquals(1, out.split("42\n", -1).length - 1, out);
        assertTrue(run.err().contains("error -32000"), run.err());
    }

    @Test
    void repl_error_positions_skip_the_remembered_functions() {
        assertEquals("x (line 2, position 5) y (in an earlier fn definition, line 1, position 3)",
                ReplCommand.Prelude.shiftLines("x (line 5, position 5) y (line 1, position 3)", 3));
    }

    @Test
    void repl_knows_when_an_entry_is_complete() {
        assertTrue(ReplCommand.isComplete("let x = 1;"));
        assertTrue(!ReplCommand.isComplete("fn f() {"));
        assertTrue(ReplCommand.isComplete("let s = \"{\";"));
        assertTrue(!ReplCommand.isComplete("let a = [1,\n2"));
        assertTrue(ReplCommand.isComplete("// {\n1"));
        assertTrue(!ReplCommand.isComplete("/* { */ `multi"));
        assertTrue(ReplCommand.isComplete("}"));
    }
}
