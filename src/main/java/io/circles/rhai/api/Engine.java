package io.circles.rhai.api;

import io.circles.rhai.serde.JsonValues;
import io.circles.rhai.types.Scope;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.Position;
import io.circles.rhai.eval.Builtins;
import io.circles.rhai.eval.ControlFlow;
import io.circles.rhai.eval.Ctx;
import io.circles.rhai.eval.EngineServices;
import io.circles.rhai.eval.Frame;
import io.circles.rhai.eval.Limits;
import io.circles.rhai.eval.Module;
import io.circles.rhai.eval.Program;
import io.circles.rhai.eval.ProgressListener;
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

    private final FunctionTable functions = new FunctionTable();
    private final Services services = new Services();
    private final Limits limits;
    private final BiConsumer<Object, String> onPrint;
    private final BiConsumer<Object, String> onDebug;
    private final ProgressListener progress;
    private final ModuleResolver resolver;
    private final Map<String, Module> staticModules = new HashMap<>();
    private final Map<String, FunctionTable> staticModuleFns = new HashMap<>();
    private final boolean evalEnabled;
    private final boolean ownThreads;
    private final Map<String, Integer> customOperators;

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
        this.customOperators = Map.copyOf(b.customOperators);
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
        private final Map<String, Integer> customOperators = new HashMap<>();

        public Builder limits(Limits l) {
            this.limits = l;
            return this;
        }

        public Builder maxOperations(long n) {
            limits = limits.withMaxOperations(n);
            return this;
        }

        public Builder timeout(Duration d) {
            limits = limits.withTimeout(d);
            return this;
        }

        public Builder maxCallDepth(int n) {
            limits = limits.withMaxCallDepth(n);
            return this;
        }

        public Builder maxExprDepth(int main, int inFunctions) {
            limits = limits.withMaxExprDepth(main, inFunctions);
            return this;
        }

        public Builder maxStringSize(long n) {
            limits = limits.withMaxStringSize(n);
            return this;
        }

        public Builder maxArraySize(long n) {
            limits = limits.withMaxArraySize(n);
            return this;
        }

        public Builder maxMapSize(long n) {
            limits = limits.withMaxMapSize(n);
            return this;
        }

        public Builder maxVariables(int n) {
            limits = limits.withMaxVariables(n);
            return this;
        }

        public Builder maxFunctions(int n) {
            limits = limits.withMaxFunctions(n);
            return this;
        }

        public Builder maxModules(int n) {
            limits = limits.withMaxModules(n);
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

        /**
         * Makes {@code symbol} a binary operator of the language with {@code precedence} (1 to 255, on the scale of
         * the built-in ones: {@code ||} 30, {@code ==} 90, {@code +} 150, {@code *} 180), left-associative:
         * {@code a symbol b} calls the function named {@code symbol} with {@code a} and {@code b}, script-defined or
         * registered. As in the reference, the symbol may be a name that is not a keyword, a reserved word, or one of
         * the unused symbols {@code #}, {@code @} and {@code $}; a keyword or an operator of the language is refused.
         *
         * @throws IllegalArgumentException for a precedence outside 1..255 or a symbol that cannot be an operator
         */
        public Builder customOperator(String symbol, int precedence) {
            customOperators.put(Parser.customOperatorSymbol(symbol, precedence), precedence);
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

    /** The limits every evaluation of this engine runs under. */
    public Limits limits() {
        return limits;
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

    // ================================================================ compile

    private Parser.Options parserOptions() {
        return new Parser.Options(limits.maxExprDepth() <= 0 ? 100_000 : limits.maxExprDepth(),
                limits.maxFunctionExprDepth() <= 0 ? 100_000 : limits.maxFunctionExprDepth(), limits.maxFunctions(),
                limits.maxVariables(), customOperators);
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
            Ctx ctx = new Ctx(services, prog.fns, scope, null, null);
            ctx.program = prog;
            Object[] a = new Object[args.length];
            for (int i = 0; i < a.length; i++) a[i] = Scope.toRhai(args[i]);
            var fn = prog.fns.get(name + "/" + a.length);
            if (fn == null) throw RhaiException.functionNotFound(Ctx.signature(name, a));
            return ctx.callScript(fn, null, a, null, Position.NONE);
        });
    }

    private Object run(Program prog, Scope scope, AtomicBoolean cancel, Object tag) {
        Ctx ctx = new Ctx(services, prog.fns, scope, cancel, tag);
        Frame f = enter(ctx, prog);
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
            keepTopVariables(prog, f, scope);
        }
    }

    /** The program's top-level frame in {@code ctx}. */
    private static Frame enter(Ctx ctx, Program prog) {
        Frame f = new Frame(ctx, prog.frameSize);
        ctx.mainFrame = f;
        ctx.program = prog;
        return f;
    }

    /** Copies the variables the program defined at top level back into {@code scope} (when there is one). */
    private static void keepTopVariables(Program prog, Frame f, Scope scope) {
        if (scope == null) {
            return;
        }
        for (Program.TopVar tv : prog.topVars) {
            if (f.s[tv.slot()] != null) {
                scope.define(tv.name(), f.get(tv.slot()), tv.isConst());
            }
        }
    }

    /** The evaluator's view of this engine (kept off the public surface). */
    private final class Services implements EngineServices {
        @Override
        public FunctionTable functions() {
            return functions;
        }

        @Override
        public Limits limits() {
            return limits;
        }

        @Override
        public ProgressListener progress() {
            return progress;
        }

        @Override
        public void print(Object tag, String line) {
            onPrint.accept(tag, line);
        }

        @Override
        public void debug(Object tag, String line) {
            onDebug.accept(tag, line);
        }

        @Override
        public Module staticModule(String name) {
            return staticModules.get(name);
        }

        /** Compiles the argument of {@code eval} (fails like a missing function when eval is disabled). */
        @Override
        public Program compileForEval(String script, Position pos) {
            if (!evalEnabled) {
                throw RhaiException.functionNotFound("eval (string)").at(pos);
            }
            return compile(script).program();
        }

        /** Runs an eval'd program inside a running evaluation (shares its operation budget and call depth). */
        @Override
        public Object runNested(Ctx ctx, Program prog, Scope scope, Position pos) {
            Ctx inner = new Ctx(this, prog.fns, scope, null, ctx.tag());
            inner.ops = ctx.ops;
            inner.callDepth = ctx.callDepth + 1;
            if (inner.callDepth > limits.maxCallDepth()) {
                throw new RhaiException(ErrorKind.STACK_OVERFLOW, "Stack overflow", pos, null);
            }
            Frame f = enter(inner, prog);
            try {
                return prog.body.eval(f);
            } catch (ControlFlow.Return r) {
                return r.value;
            } finally {
                ctx.ops = inner.ops;
                keepTopVariables(prog, f, scope);
            }
        }

        /** The modules a module script imported at its top level: they become its sub-modules, as in the reference. */
        private static Map<String, Module> importsOf(Program prog, Frame f) {
            Map<String, Module> imports = new HashMap<>();
            prog.mainConsts.forEach((name, slot) -> {
                if (name.startsWith("::") && f.get(slot) instanceof Module m) imports.put(name.substring(2), m);
            });
            return imports;
        }

        /** Loads a module through the resolver (used by {@code import}). */
        @Override
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
            return new Module(vars, prog.fns, null, importsOf(prog, f));
        }
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
