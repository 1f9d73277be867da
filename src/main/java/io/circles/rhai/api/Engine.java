package io.circles.rhai.api;

import io.circles.rhai.eval.Builtins;
import io.circles.rhai.eval.ControlFlow;
import io.circles.rhai.eval.Ctx;
import io.circles.rhai.eval.Frame;
import io.circles.rhai.eval.Module;
import io.circles.rhai.eval.Program;
import io.circles.rhai.func.FunctionTable;
import io.circles.rhai.func.NativeFunction;
import io.circles.rhai.func.Package;
import io.circles.rhai.packages.StandardPackages;
import io.circles.rhai.parser.Parser;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Rhai script engine.
 *
 * <p><b>Thread-safety:</b> configure an engine first (register functions, handlers, resolver) on one thread; after
 * that it is immutable in use and safe to share: {@link #compile}, {@link #eval} and friends may be called from any
 * number of threads at once. Each evaluation has its own state (operation counter, call depth, deadline).
 * Compiled {@link AST}s are immutable and can be evaluated concurrently.
 *
 * <p><b>Stack safety:</b> by default every evaluation runs on an engine-owned thread with a
 * {@value #EVAL_STACK_MB} MB stack (the calling thread blocks), so the call-depth and expression-depth limits are
 * far below what the stack can hold; a {@link StackOverflowError} is additionally converted into a "Stack overflow"
 * error. Disable with {@link Builder#runOnOwnThreads(boolean)} to evaluate on the caller's thread.
 */
public final class Engine {
    /** Stack size of the engine's evaluation threads, in MB. */
    public static final int EVAL_STACK_MB = 64;

    /**
     * Sandbox limits; 0 means unlimited (for sizes and counts), a null timeout means none.
     *
     * @param maxOperations        operations (statements, loop iterations, calls) per evaluation
     * @param timeout              wall-clock deadline per evaluation
     * @param maxCallDepth         nesting of script function calls
     * @param maxExprDepth         expression nesting at parse time (main script)
     * @param maxFunctionExprDepth expression nesting at parse time inside functions
     * @param maxStringSize        characters in a string
     * @param maxArraySize         elements in an array (and bytes in a BLOB)
     * @param maxMapSize           entries in an object map
     * @param maxVariables         variables alive at once in one function
     * @param maxFunctions         script functions defined in one script
     * @param maxModules           modules imported per evaluation
     */
    public record Limits(long maxOperations, Duration timeout, int maxCallDepth, int maxExprDepth,
                         int maxFunctionExprDepth, long maxStringSize, long maxArraySize, long maxMapSize,
                         int maxVariables, int maxFunctions, int maxModules) {
        /** Safe defaults for untrusted scripts. */
        public static Limits defaults() {
            return new Limits(50_000_000L, Duration.ofSeconds(10), 64, 64, 32, 10_000_000L, 1_000_000L, 100_000L,
                    10_000, 1_000, 64);
        }

        /** No size or count limits (call depth and expression depth remain bounded). */
        public static Limits relaxed() {
            return new Limits(0, null, 256, 256, 128, 0, 0, 0, 0, 0, 0);
        }
    }

    private final FunctionTable functions = new FunctionTable();
    private Limits limits;
    private BiConsumer<Object, String> onPrint;
    private BiConsumer<Object, String> onDebug;
    private ProgressListener progress;
    private ModuleResolver resolver;
    private final Map<String, Module> staticModules = new HashMap<>();
    private final Map<String, FunctionTable> staticModuleFns = new HashMap<>();
    private boolean evalEnabled;
    private boolean ownThreads;

    /** An engine with the standard library and default limits; print/debug output is discarded. */
    public Engine() {
        this(new Builder());
    }

    private Engine(Builder b) {
        this.limits = b.limits;
        this.onPrint = b.onPrint;
        this.onDebug = b.onDebug;
        this.progress = b.progress;
        this.resolver = b.resolver;
        this.evalEnabled = b.evalEnabled;
        this.ownThreads = b.ownThreads;
        new Builtins().register(functions);
        if (b.standardLibrary) StandardPackages.registerAll(functions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Engine options. */
    public static final class Builder {
        private Limits limits = Limits.defaults();
        private BiConsumer<Object, String> onPrint = (tag, s) -> { };
        private BiConsumer<Object, String> onDebug = (tag, s) -> { };
        private ProgressListener progress;
        private ModuleResolver resolver;
        private boolean evalEnabled;
        private boolean ownThreads = true;
        private boolean standardLibrary = true;

        public Builder limits(Limits l) {
            this.limits = l;
            return this;
        }

        public Builder maxOperations(long n) {
            limits = new Limits(n, limits.timeout(), limits.maxCallDepth(), limits.maxExprDepth(),
                    limits.maxFunctionExprDepth(), limits.maxStringSize(), limits.maxArraySize(), limits.maxMapSize(),
                    limits.maxVariables(), limits.maxFunctions(), limits.maxModules());
            return this;
        }

        public Builder timeout(Duration d) {
            limits = new Limits(limits.maxOperations(), d, limits.maxCallDepth(), limits.maxExprDepth(),
                    limits.maxFunctionExprDepth(), limits.maxStringSize(), limits.maxArraySize(), limits.maxMapSize(),
                    limits.maxVariables(), limits.maxFunctions(), limits.maxModules());
            return this;
        }

        public Builder maxCallDepth(int n) {
            limits = new Limits(limits.maxOperations(), limits.timeout(), n, limits.maxExprDepth(),
                    limits.maxFunctionExprDepth(), limits.maxStringSize(), limits.maxArraySize(), limits.maxMapSize(),
                    limits.maxVariables(), limits.maxFunctions(), limits.maxModules());
            return this;
        }

        public Builder maxExprDepth(int main, int inFunctions) {
            limits = new Limits(limits.maxOperations(), limits.timeout(), limits.maxCallDepth(), main, inFunctions,
                    limits.maxStringSize(), limits.maxArraySize(), limits.maxMapSize(), limits.maxVariables(),
                    limits.maxFunctions(), limits.maxModules());
            return this;
        }

        public Builder maxStringSize(long n) {
            limits = new Limits(limits.maxOperations(), limits.timeout(), limits.maxCallDepth(), limits.maxExprDepth(),
                    limits.maxFunctionExprDepth(), n, limits.maxArraySize(), limits.maxMapSize(),
                    limits.maxVariables(), limits.maxFunctions(), limits.maxModules());
            return this;
        }

        public Builder maxArraySize(long n) {
            limits = new Limits(limits.maxOperations(), limits.timeout(), limits.maxCallDepth(), limits.maxExprDepth(),
                    limits.maxFunctionExprDepth(), limits.maxStringSize(), n, limits.maxMapSize(),
                    limits.maxVariables(), limits.maxFunctions(), limits.maxModules());
            return this;
        }

        public Builder maxMapSize(long n) {
            limits = new Limits(limits.maxOperations(), limits.timeout(), limits.maxCallDepth(), limits.maxExprDepth(),
                    limits.maxFunctionExprDepth(), limits.maxStringSize(), limits.maxArraySize(), n,
                    limits.maxVariables(), limits.maxFunctions(), limits.maxModules());
            return this;
        }

        public Builder maxVariables(int n) {
            limits = new Limits(limits.maxOperations(), limits.timeout(), limits.maxCallDepth(), limits.maxExprDepth(),
                    limits.maxFunctionExprDepth(), limits.maxStringSize(), limits.maxArraySize(), limits.maxMapSize(),
                    n, limits.maxFunctions(), limits.maxModules());
            return this;
        }

        public Builder maxFunctions(int n) {
            limits = new Limits(limits.maxOperations(), limits.timeout(), limits.maxCallDepth(), limits.maxExprDepth(),
                    limits.maxFunctionExprDepth(), limits.maxStringSize(), limits.maxArraySize(), limits.maxMapSize(),
                    limits.maxVariables(), n, limits.maxModules());
            return this;
        }

        public Builder maxModules(int n) {
            limits = new Limits(limits.maxOperations(), limits.timeout(), limits.maxCallDepth(), limits.maxExprDepth(),
                    limits.maxFunctionExprDepth(), limits.maxStringSize(), limits.maxArraySize(), limits.maxMapSize(),
                    limits.maxVariables(), limits.maxFunctions(), n);
            return this;
        }

        public Builder onPrint(Consumer<String> c) {
            this.onPrint = (tag, s) -> c.accept(s);
            return this;
        }

        public Builder onDebug(Consumer<String> c) {
            this.onDebug = (tag, s) -> c.accept(s);
            return this;
        }

        /**
         * Receives each {@code print} line with the tag of the evaluation that printed it (see
         * {@link Engine#evalWithTag}), so one shared engine can route output per evaluation without thread-locals.
         */
        public Builder onTaggedPrint(BiConsumer<Object, String> c) {
            this.onPrint = c;
            return this;
        }

        /** Like {@link #onTaggedPrint} for {@code debug}. */
        public Builder onTaggedDebug(BiConsumer<Object, String> c) {
            this.onDebug = c;
            return this;
        }

        public Builder onProgress(ProgressListener p) {
            this.progress = p;
            return this;
        }

        public Builder moduleResolver(ModuleResolver r) {
            this.resolver = r;
            return this;
        }

        /** Enables the script function {@code eval(string)} (off by default). */
        public Builder enableEval(boolean on) {
            this.evalEnabled = on;
            return this;
        }

        /** Whether to evaluate on engine-owned large-stack threads (default true). */
        public Builder runOnOwnThreads(boolean on) {
            this.ownThreads = on;
            return this;
        }

        /** Whether to register the standard packages (default true). */
        public Builder standardLibrary(boolean on) {
            this.standardLibrary = on;
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }

    // ================================================================ configuration (before sharing)

    public FunctionTable functions() {
        return functions;
    }

    public Limits limits() {
        return limits;
    }

    public Engine setLimits(Limits l) {
        this.limits = l;
        return this;
    }

    /** The print sink: (evaluation tag, line). */
    public BiConsumer<Object, String> printHandler() {
        return onPrint;
    }

    /** The debug sink: (evaluation tag, line). */
    public BiConsumer<Object, String> debugHandler() {
        return onDebug;
    }

    public ProgressListener progress() {
        return progress;
    }

    public Engine onPrint(Consumer<String> c) {
        this.onPrint = (tag, s) -> c.accept(s);
        return this;
    }

    public Engine onDebug(Consumer<String> c) {
        this.onDebug = (tag, s) -> c.accept(s);
        return this;
    }

    public Engine onProgress(ProgressListener p) {
        this.progress = p;
        return this;
    }

    public Engine setModuleResolver(ModuleResolver r) {
        this.resolver = r;
        return this;
    }

    public Engine registerPackage(Package p) {
        p.register(functions);
        return this;
    }

    /** Registers a raw native function (see {@link FunctionTable#register}). */
    public Engine registerRaw(String name, NativeFunction fn, Class<?>... paramTypes) {
        functions.register(name, fn, paramTypes);
        return this;
    }

    @FunctionalInterface
    public interface Fn0<R> {
        R apply();
    }

    @FunctionalInterface
    public interface Fn1<A, R> {
        R apply(A a);
    }

    @FunctionalInterface
    public interface Fn2<A, B, R> {
        R apply(A a, B b);
    }

    @FunctionalInterface
    public interface Fn3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    @FunctionalInterface
    public interface Fn4<A, B, C, D, R> {
        R apply(A a, B b, C c, D d);
    }

    public <R> Engine registerFn(String name, Fn0<R> f) {
        functions.register(name, (ctx, a) -> Scope.toRhai(f.apply()));
        return this;
    }

    @SuppressWarnings("unchecked")
    public <A, R> Engine registerFn(String name, Class<A> ta, Fn1<A, R> f) {
        functions.register(name, (ctx, a) -> Scope.toRhai(f.apply((A) a[0])), ta);
        return this;
    }

    @SuppressWarnings("unchecked")
    public <A, B, R> Engine registerFn(String name, Class<A> ta, Class<B> tb, Fn2<A, B, R> f) {
        functions.register(name, (ctx, a) -> Scope.toRhai(f.apply((A) a[0], (B) a[1])), ta, tb);
        return this;
    }

    @SuppressWarnings("unchecked")
    public <A, B, C, R> Engine registerFn(String name, Class<A> ta, Class<B> tb, Class<C> tc, Fn3<A, B, C, R> f) {
        functions.register(name, (ctx, a) -> Scope.toRhai(f.apply((A) a[0], (B) a[1], (C) a[2])), ta, tb, tc);
        return this;
    }

    @SuppressWarnings("unchecked")
    public <A, B, C, D, R> Engine registerFn(String name, Class<A> ta, Class<B> tb, Class<C> tc, Class<D> td,
                                             Fn4<A, B, C, D, R> f) {
        functions.register(name, (ctx, a) -> Scope.toRhai(f.apply((A) a[0], (B) a[1], (C) a[2], (D) a[3])), ta, tb,
                tc, td);
        return this;
    }

    /** Gives a custom Java type its Rhai name (shown by {@code type_of}). */
    public <T> Engine registerType(Class<T> type, String name) {
        Values.registerTypeName(type, name);
        return this;
    }

    /** {@code obj.prop} for a custom type. */
    @SuppressWarnings("unchecked")
    public <T, V> Engine registerGetter(Class<T> type, String prop, Function<T, V> getter) {
        functions.register("get$" + prop, (ctx, a) -> Scope.toRhai(getter.apply((T) a[0])), type);
        return this;
    }

    /** {@code obj.prop = v} for a custom (mutable) type. */
    @SuppressWarnings("unchecked")
    public <T, V> Engine registerSetter(Class<T> type, String prop, Class<V> valueType, BiConsumer<T, V> setter) {
        functions.register("set$" + prop, (ctx, a) -> {
            setter.accept((T) a[0], (V) a[1]);
            return Unit.INSTANCE;
        }, type, valueType);
        return this;
    }

    /** {@code obj[idx]} for a custom type. */
    @SuppressWarnings("unchecked")
    public <T, I, V> Engine registerIndexer(Class<T> type, Class<I> idxType, Fn2<T, I, V> getter) {
        functions.register("index$get", (ctx, a) -> Scope.toRhai(getter.apply((T) a[0], (I) a[1])), type, idxType);
        return this;
    }

    /** Registers a native function inside a static module usable as {@code name::fn(...)}. */
    public Engine registerModuleFn(String module, String name, NativeFunction fn, Class<?>... paramTypes) {
        FunctionTable t = staticModuleFns.computeIfAbsent(module, k -> new FunctionTable());
        t.register(name, fn, paramTypes);
        staticModules.put(module, new Module(staticVars(module), null, t));
        return this;
    }

    private final Map<String, Map<String, Object>> staticModuleVars = new HashMap<>();

    private Map<String, Object> staticVars(String module) {
        return staticModuleVars.computeIfAbsent(module, k -> new HashMap<>());
    }

    /** Registers a constant inside a static module usable as {@code name::VAR}. */
    public Engine registerModuleVar(String module, String name, Object value) {
        staticVars(module).put(name, Scope.toRhai(value));
        staticModules.put(module, new Module(staticVars(module), null,
                staticModuleFns.computeIfAbsent(module, k -> new FunctionTable())));
        return this;
    }

    public Module staticModule(String name) {
        return staticModules.get(name);
    }

    // ================================================================ compile

    private Parser.Options parserOptions() {
        return new Parser.Options(limits.maxExprDepth() <= 0 ? 100_000 : limits.maxExprDepth(),
                limits.maxFunctionExprDepth() <= 0 ? 100_000 : limits.maxFunctionExprDepth(), limits.maxFunctions(),
                limits.maxVariables());
    }

    /**
     * Compiles a script. Throws {@link RhaiException} with kind PARSING on syntax errors. Nothing is cached here:
     * a host that reuses scripts keeps its own cache, bounded as it needs (the worker's is by bytes).
     */
    public AST compile(String script) {
        return onStack(() -> new AST(new Parser(script, parserOptions()).parseScript(), script));
    }

    /** Compiles a single expression (no statements). */
    public AST compileExpression(String expr) {
        return onStack(() -> new AST(new Parser(expr, parserOptions()).parseExpression(), expr));
    }

    // ================================================================ evaluate

    public Object eval(String script) {
        return eval(compile(script), new Scope());
    }

    public Object eval(String script, Scope scope) {
        return eval(compile(script), scope);
    }

    /** Evaluates a script with an external cancellation flag. */
    public Object eval(String script, Scope scope, AtomicBoolean cancel) {
        return eval(compile(script), scope, cancel);
    }

    public Object eval(AST ast) {
        return eval(ast, new Scope());
    }

    public Object eval(AST ast, Scope scope) {
        return eval(ast, scope, null);
    }

    /** Evaluates with an external cancellation flag (checked together with the operation counter). */
    public Object eval(AST ast, Scope scope, AtomicBoolean cancel) {
        return evalWithTag(ast, scope, cancel, null);
    }

    /**
     * Evaluates with a host tag (like the reference's {@code NativeCallContext::tag()}): native functions read it
     * through {@link io.circles.rhai.func.NativeCallContext#tag()} and the tagged print/debug sinks receive it, so
     * per-evaluation host state (whose task, where output goes) travels with the evaluation, not with a thread.
     * Nested evaluations ({@code eval}, imported modules) see the same tag.
     */
    public Object evalWithTag(AST ast, Scope scope, Object tag) {
        return evalWithTag(ast, scope, null, tag);
    }

    /** {@link #evalWithTag(AST, Scope, Object)} with an external cancellation flag (may be null). */
    public Object evalWithTag(AST ast, Scope scope, AtomicBoolean cancel, Object tag) {
        AtomicBoolean flag = cancel != null ? cancel : new AtomicBoolean();
        return onStack(() -> run(ast.program(), scope, flag, tag), flag);
    }

    public Object evalExpression(String expr) {
        AST ast = compileExpression(expr);
        return eval(ast, new Scope());
    }

    /** Engine-level JSON parsing into an object map (see {@link JsonValues#parseObject}). */
    public TreeMap<String, Object> parseJson(String json, boolean hasNull) {
        return JsonValues.parseObject(json, hasNull);
    }

    /** Evaluates and converts the result: throws an output-type error if it is not of {@code type}. */
    public <T> T eval(String script, Class<T> type) {
        Object r = eval(script);
        if (!type.isInstance(r)) {
            throw new RhaiException(ErrorKind.MISMATCH_OUTPUT_TYPE, "Output type incorrect: " + Values.typeName(r)
                    + " (expecting " + Values.typeNameOfClass(type) + ")", Position.NONE, null);
        }
        return type.cast(r);
    }

    /** Calls a script-defined function of a compiled script. */
    public Object callFn(AST ast, Scope scope, String name, Object... args) {
        return onStack(() -> {
            Program prog = ast.program();
            Ctx ctx = new Ctx(this, prog.fns, scope, null, null);
            ctx.program = prog;
            Object[] a = new Object[args.length];
            for (int i = 0; i < a.length; i++) a[i] = Scope.toRhai(args[i]);
            var fn = prog.fns.get(name + "/" + a.length);
            if (fn == null) throw RhaiException.functionNotFound(Ctx.signature(name, a));
            return ctx.callScript(fn, null, a, null, Position.NONE);
        });
    }

    private Object run(Program prog, Scope scope, AtomicBoolean cancel, Object tag) {
        Ctx ctx = new Ctx(this, prog.fns, scope, cancel, tag);
        Frame f = new Frame(ctx, prog.frameSize);
        ctx.mainFrame = f;
        ctx.program = prog;
        try {
            return prog.body.eval(f);
        } catch (ControlFlow.Return r) {
            return r.value;
        } catch (ControlFlow.Exit x) {
            return x.value;
        } catch (ControlFlow.Break b) {
            throw new RhaiException(ErrorKind.LOOP_BREAK, "'break' must be within a loop", Position.NONE, null);
        } catch (ControlFlow.Continue c) {
            throw new RhaiException(ErrorKind.LOOP_BREAK, "'continue' must be within a loop", Position.NONE, null);
        } catch (StackOverflowError e) {
            throw new RhaiException(ErrorKind.STACK_OVERFLOW, "Stack overflow", Position.NONE, null);
        } finally {
            if (scope != null) {
                for (Program.TopVar tv : prog.topVars) {
                    Object v = f.s[tv.slot()];
                    if (v == null) continue;
                    scope.define(tv.name(), f.get(tv.slot()), tv.isConst());
                }
            }
        }
    }

    /** Used by the script function {@code eval}. */
    public Object evalNested(Ctx ctx, String script, Position pos) {
        return runNested(ctx, compileForEval(script, pos), ctx.scope, pos);
    }

    /** Compiles the argument of {@code eval} (fails like a missing function when eval is disabled). */
    public Program compileForEval(String script, Position pos) {
        if (!evalEnabled) {
            throw RhaiException.functionNotFound("eval (string)").at(pos);
        }
        return compile(script).program();
    }

    /** Runs an eval'd program inside a running evaluation (shares its operation budget and call depth). */
    public Object runNested(Ctx ctx, Program prog, Scope scope, Position pos) {
        Ctx inner = new Ctx(this, prog.fns, scope, null, ctx.tag());
        inner.ops = ctx.ops;
        inner.callDepth = ctx.callDepth + 1;
        if (inner.callDepth > limits.maxCallDepth()) {
            throw new RhaiException(ErrorKind.STACK_OVERFLOW, "Stack overflow", pos, null);
        }
        Frame f = new Frame(inner, prog.frameSize);
        inner.mainFrame = f;
        inner.program = prog;
        try {
            return prog.body.eval(f);
        } catch (ControlFlow.Return r) {
            return r.value;
        } finally {
            ctx.ops = inner.ops;
            for (Program.TopVar tv : prog.topVars) {
                if (f.s[tv.slot()] != null) scope.define(tv.name(), f.get(tv.slot()), tv.isConst());
            }
        }
    }

    /** Loads a module through the resolver (used by {@code import}). */
    public Module loadModule(Ctx ctx, String path, Position pos) {
        String src = resolver == null ? null : resolver.resolve(path);
        if (src == null) {
            Module m = staticModules.get(path);
            if (m != null) return m;
            throw new RhaiException(ErrorKind.MODULE_NOT_FOUND, "Module not found: " + path, pos, null);
        }
        Program prog = compile(src).program();
        Ctx mctx = new Ctx(this, prog.fns, null, null, ctx.tag());
        mctx.program = prog;
        Frame f = new Frame(mctx, prog.frameSize);
        mctx.mainFrame = f;
        try {
            prog.body.eval(f);
        } catch (ControlFlow.Return r) {
            // ignore
        } catch (RhaiException e) {
            throw new RhaiException(ErrorKind.IN_MODULE, e.getMessage() + "\nin module '" + path + "'", pos, null);
        }
        Map<String, Object> vars = new TreeMap<>();
        for (Program.TopVar tv : prog.topVars) {
            if (f.s[tv.slot()] == null) continue;
            for (String alias : prog.exported.getOrDefault(tv.name(), java.util.List.of())) vars.put(alias, f.get(tv.slot()));
        }
        return new Module(vars, prog.fns, null);
    }

    // ================================================================ threads

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadLocal<Boolean> ON_EVAL_THREAD = ThreadLocal.withInitial(() -> false);
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(null, () -> {
                    ON_EVAL_THREAD.set(true);
                    r.run();
                }, "rhai-eval-" + THREADS.incrementAndGet(), EVAL_STACK_MB * 1024L * 1024L);
                t.setDaemon(true);
                return t;
            });

    private <T> T onStack(Callable<T> task) {
        return onStack(task, null);
    }

    /** Runs the task on a large-stack engine thread; interrupting the caller cancels the script. */
    private <T> T onStack(Callable<T> task, AtomicBoolean cancel) {
        if (!ownThreads || ON_EVAL_THREAD.get()) {
            try {
                return task.call();
            } catch (RhaiException | ControlFlow e) {
                throw e;
            } catch (StackOverflowError e) {
                throw new RhaiException(ErrorKind.STACK_OVERFLOW, "Stack overflow", Position.NONE, null);
            } catch (Exception e) {
                throw new RhaiException(ErrorKind.SYSTEM, String.valueOf(e), Position.NONE, null);
            }
        }
        Future<T> fut = POOL.submit(task);
        try {
            return fut.get();
        } catch (InterruptedException e) {
            if (cancel != null) {
                cancel.set(true);
                try {
                    fut.get(5, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // the script ends with "Script terminated"
                }
            }
            fut.cancel(true);
            Thread.currentThread().interrupt();
            throw new RhaiException(ErrorKind.TERMINATED, "Script terminated", Position.NONE, null);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RhaiException re) throw re;
            if (c instanceof StackOverflowError) {
                throw new RhaiException(ErrorKind.STACK_OVERFLOW, "Stack overflow", Position.NONE, null);
            }
            if (c instanceof OutOfMemoryError) {
                throw new RhaiException(ErrorKind.DATA_TOO_LARGE, "Out of memory", Position.NONE, null);
            }
            if (c instanceof Error er) throw er;
            throw new RhaiException(ErrorKind.SYSTEM, String.valueOf(c), Position.NONE, null);
        }
    }
}
