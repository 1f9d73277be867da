package io.circles.worker;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.inject.Singleton;

import io.circles.circle.CircleFunctions;
import io.circles.circle.TaskContext;
import io.circles.rhai.api.AST;
import io.circles.rhai.api.Engine;
import io.circles.rhai.eval.Limits;
import io.circles.rhai.serde.JsonValues;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.Scope;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

/**
 * Runs tasks with the project's Rhai engine. One engine is shared by all script threads (it is thread-safe
 * once configured; compiled scripts are kept in a byte-bounded {@link CompileCache}); it evaluates on the calling thread, a
 * worker thread with a known stack size. Each evaluation is tagged with its {@link Run} (task context and log lines), so
 * circle functions and print/debug capture follow the evaluation, not the thread.
 */
@Singleton
public class RhaiScriptRunner implements ScriptRunner {
    /** Most print/debug lines kept per task; the rest are dropped with a marker. */
    static final int MAX_LOG_LINES = 1000;

    /** The evaluation's tag: whose task it is and where its print/debug lines go. */
    record Run(TaskContext task, List<String> logs) implements TaskContext.Carrier {
        void log(String line) {
            if (logs.size() < MAX_LOG_LINES) {
                logs.add(line);
            } else if (logs.size() == MAX_LOG_LINES) {
                logs.add("… (further output dropped)");
            }
        }
    }

    /** Operations the engine reported (every 1024) during the last run on this thread, for the metrics. */
    private static final ThreadLocal<long[]> OPERATIONS = ThreadLocal.withInitial(() -> new long[1]);

    private final Engine engine;
    private final CompileCache<AST> compiled;

    public RhaiScriptRunner(WorkerConfig config, CircleFunctions circleFunctions) {
        this.engine = Engine.builder()
                .limits(Limits.defaults().withMaxOperations(config.maxOperations()).withTimeout(config.maxRunTime())
                        .withMaxCallDepth(config.maxCallDepth()).withMaxStringSize(config.maxStringLength())
                        .withMaxArraySize(config.maxArraySize()).withMaxMapSize(config.maxMapSize()))
                .onTaggedPrint(RhaiScriptRunner::log)
                .onTaggedDebug(RhaiScriptRunner::log)
                .onProgress(operations -> {
                    OPERATIONS.get()[0] = operations;
                    return true;
                })
                .runOnOwnThreads(false)
                .build();
        circleFunctions.register(engine);
        this.compiled = new CompileCache<>(config.compileCacheSize().asLongValue(), config.compileCacheMaxScriptLength());
    }

    @Override
    public Outcome run(TaskContext task, String script, ObjectNode scopeValues) {
        List<String> logs = new ArrayList<>();
        OPERATIONS.get()[0] = 0;
        try {
            Scope scope = new Scope();
            scope.pushConstant("CALLER_ID", task.caller());
            scope.pushConstant("CONTEXT_ID", task.circle());
            scopeValues.fields().forEachRemaining(field -> scope.push(field.getKey(), JsonValues.fromJson(field.getValue())));
            AST ast = compiled.get(task.circle(), script, () -> engine.compile(script));
            Object result = engine.evalWithTag(ast, scope, new Run(task, logs));
            return Outcome.success(result == Unit.INSTANCE ? "" : Values.toDisplay(result), logs);
        } catch (RhaiException e) {
            return Outcome.failure(e.getMessage(), logs);
        } catch (StackOverflowError e) {
            return Outcome.failure("Stack overflow", logs);
        } catch (OutOfMemoryError e) {
            return Outcome.failure("Script failed: the worker ran out of memory", logs);
        } catch (RuntimeException e) {
            return Outcome.failure("Script failed: " + e, logs);
        }
    }

    @Override
    public long lastOperations() {
        return OPERATIONS.get()[0];
    }

    private static void log(Object tag, String line) {
        if (tag instanceof Run run) {
            run.log(line);
        }
    }
}
