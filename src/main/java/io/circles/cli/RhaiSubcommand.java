package io.circles.cli;

import java.util.concurrent.Callable;

import io.circles.rhai.cli.RhaiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rhai}: the argument handling of the engine's local runner; the runner itself
 * ({@link RhaiCommand}) depends on nothing but the JDK and Jackson.
 */
@Command(name = "rhai", mixinStandardHelpOptions = true,
        description = {"Run a Rhai script locally (no server, no Redis, no Quarkus boot).",
                "Prints print/debug lines as they happen, then the final value unless it is ().",
                "A local file is trusted: no size or operation limits unless --sandbox.",
                "Exit code 0 ok, 1 script error, 2 usage error."})
public class RhaiSubcommand implements Callable<Integer> {
    @ParentCommand
    CirclesCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--sandbox", description = "apply the worker's sandbox limits (sizes, operations, call depth)")
    boolean sandbox;

    // Kept so that old scripts keep working: without --sandbox there are no limits to relax.
    @Option(names = "--relaxed", hidden = true)
    boolean relaxed;

    @Option(names = "--timeout-ms", paramLabel = "N",
            description = "wall-clock limit in milliseconds: for the script, or per case with --jsonl (default: none for a file, 60000 per case with --jsonl)")
    Long timeoutMs;

    @Option(names = "--jsonl", description = "read JSON Lines {\"id\":…,\"script\":\"…\"} from standard input, write one result line per case")
    boolean jsonl;

    @Parameters(arity = "0..1", paramLabel = "FILE.rhai|-", description = "the script, or - for standard input")
    String file;

    @Override
    public Integer call() {
        if (jsonl == (file != null)) {
            throw new ParameterException(spec.commandLine(),
                    jsonl ? "--jsonl reads its cases from standard input; no FILE expected" : "a FILE.rhai (or - for standard input) is required");
        }
        if (timeoutMs != null && timeoutMs <= 0) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be positive");
        }
        long timeout = timeoutMs != null ? timeoutMs : jsonl ? RhaiCommand.DEFAULT_CASE_TIMEOUT_MS : RhaiCommand.NO_TIMEOUT;
        RhaiCommand.Options options = new RhaiCommand.Options(sandbox, timeout);
        return jsonl ? RhaiCommand.runJsonl(parent.in(), parent.out(), parent.err(), options)
                : RhaiCommand.runFile(file, parent.in(), parent.out(), parent.err(), options);
    }
}
