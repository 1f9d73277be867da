package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.circles.crypto.KeyPair;

/**
 * What the command line says when it does not understand: exit code 2, one clear line, the usage, and never a
 * server started by mistake.
 */
class ErrorCatalogueTest {
    private static final List<String> COMMANDS = List.of("serve", "worker", "keygen", "pubkey", "sign", "play", "repl", "rhai");

    @TempDir
    Path dir;

    private static void assertUsageError(CliRun run, String expected) {
        assertEquals(2, run.code(), run.err());
        assertFalse(run.startsServer());
        assertTrue(run.err().contains(expected), run.err());
        assertTrue(run.err().contains("Usage: circles"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void every_command_has_its_own_help() {
        for (String command : COMMANDS) {
            CliRun run = CliRun.run(command, "--help");
            assertEquals(0, run.code(), command + ": " + run.err());
            assertFalse(run.startsServer(), command);
            assertTrue(run.out().startsWith("Usage: circles " + command), run.out());
        }
        CliRun top = CliRun.run("--help");
        assertEquals(0, top.code());
        COMMANDS.forEach(command -> assertTrue(top.out().contains(command), top.out()));
    }

    @Test
    void an_unknown_command_is_a_usage_error() {
        assertUsageError(CliRun.run("bogus"), "Unmatched argument at index 0: 'bogus'");
    }

    @Test
    void a_misspelt_command_suggests_the_right_one() {
        CliRun run = CliRun.run("plya", "x.rhai");
        assertUsageError(run, "Unmatched arguments from index 0: 'plya', 'x.rhai'");
        assertTrue(run.err().contains("Did you mean: circles play?"), run.err());
        assertFalse(CliRun.run("bogus").err().contains("Did you mean"), "nothing is near 'bogus'");
    }

    @Test
    void an_unknown_flag_is_a_usage_error_with_a_suggestion() {
        assertUsageError(CliRun.run("--bogus-flag"), "Unknown option: '--bogus-flag'");
        CliRun misspelt = CliRun.run("--prot", "9000");
        assertUsageError(misspelt, "Unknown options: '--prot', '9000'");
        assertTrue(misspelt.err().contains("Did you mean: --port?"), misspelt.err());
        assertUsageError(CliRun.run("play", "--url", "ws://localhost:1/x", "--frobnicate"), "Unknown option: '--frobnicate'");
    }

    @Test
    void missing_tls_files_give_one_clear_line() {
        String missing = dir.resolve("missing.pem").toString();
        assertUsageError(CliRun.run("--tls-cert", missing, "--tls-key", missing), "--tls-cert: cannot read " + missing + " (no such file)");
        assertUsageError(CliRun.run("serve", "--tls-cert", missing), "--tls-cert and --tls-key go together");
    }

    @Test
    void flag_values_are_checked_before_anything_runs() {
        assertUsageError(CliRun.run("--port", "eighty"), "Invalid value for option '--port': 'eighty' is not an int");
        assertUsageError(CliRun.run("keygen", "--out"), "Missing required parameter for option '--out' (FILE)");
        assertUsageError(CliRun.run("play"), "Missing required option: '--url=URL'");
        assertUsageError(CliRun.run("play", "--url", "ws://localhost:1/x", "--timeout", "soon"),
                "Invalid value for option '--timeout': not a duration (e.g. 30s, 500ms, 2m): soon");
        assertUsageError(CliRun.run("play", "--url", "ws://localhost:1/not-a-circle"), "no circle: give circle(pk)");
        assertUsageError(CliRun.run("play", "--url", "ws://localhost:1/x", "--cacert", "ca.pem", "--insecure"),
                "--cacert and --insecure exclude each other");
        assertUsageError(CliRun.run("rhai", "--jsonl", "x.rhai"), "--jsonl reads its cases from standard input");
    }

    @Test
    void a_bad_key_is_refused_without_echoing_it() {
        String almost = KeyPair.generate().privateKeyHex() + "z";
        CliRun run = CliRun.run("pubkey", "--key", almost);
        assertUsageError(run, "not a private key (64 hex digits, or @FILE holding them)");
        assertFalse(run.err().contains(almost.substring(4, 40)), run.err());
        assertUsageError(CliRun.run("sign", "--key", "@" + dir.resolve("none.key"), "msg"), "cannot read key file");
    }
}
