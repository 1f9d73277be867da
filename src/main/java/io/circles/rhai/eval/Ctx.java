package io.circles.rhai.eval;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.FunctionCallError;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.Scope;
import io.circles.rhai.func.FunctionTable;
import io.circles.rhai.func.NativeCallContext;
import io.circles.rhai.types.FnPtr;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** State of one evaluation: limits, counters, the function tables and the embedder's scope. */
public final class Ctx implements NativeCallContext {
    public final EngineServices services;
    public final FunctionTable natives;
    public final Map<String, ScriptFn> scriptFns;
    public final Scope scope;
    public final Limits limits;
    private final long maxOps;
    private final int maxDepth;
    private final long deadline;
    private final AtomicBoolean cancel;
    private final Object tag;
    public long ops;
    public Frame mainFrame;
    public Program program;
    public int modules;
    public RhaiException lastCaught;
    /** Caller variables visible to a function called as {@code f!(...)}, or null. */
    public SharedScope sharedScope;
    /** Set by {@code f!(...)} just before the call; consumed by the next script call. */
    public SharedScope pendingShared;

    static {
        // The stack-overflow handlers run with the stack nearly full. Loading a class there can overflow half-way
        // through the class loader (and leave its lock held: a test class loader then hangs on close), so what they
        // use is loaded now, including the switch map behind isCatchable.
        isCatchable(RhaiException.of(ErrorKind.STACK_OVERFLOW, "Stack overflow").at(Position.NONE));
    }

    public int callDepth;

    /**
     * Frames of the script calls in progress, reused call after call: a call claims the next one (growing it if
     * its function needs more slots) before evaluating its arguments into it, and releases it when it returns, so
     * recursion allocates no frames after the first descent. Strictly nested (claim/release in try/finally);
     * nothing keeps a frame after its call (closures capture cells, not frames).
     */
    private Frame[] frames = new Frame[16];
    private int frameTop;

    /** A cleared frame with at least {@code size} slots for a script call; release it with {@link #release}. */
    public Frame claim(int size) {
        int i = frameTop++;
        Frame[] fs = frames;
        if (i == fs.length) frames = fs = java.util.Arrays.copyOf(fs, i * 2);
        Frame f = fs[i];
        if (f == null || f.s.length < size) fs[i] = f = new Frame(this, Math.max(size, 4));
        return f;
    }

    /** Gives back the frame claimed last, clearing the {@code size} slots its call may have used. */
    public void release(Frame f, int size) {
        f.clear(size);
        frameTop--;
    }

    // info about the native call in progress (for NativeCallContext)
    String curFn = "";
    Position curPos = Position.NONE;
    boolean curMethod;

    public Ctx(EngineServices services, Map<String, ScriptFn> scriptFns, Scope scope, AtomicBoolean cancel, Object tag) {
        this.tag = tag;
        this.services = services;
        this.natives = services.functions();
        this.scriptFns = scriptFns;
        this.scope = scope;
        this.limits = services.limits();
        this.maxOps = limits.maxOperations() <= 0 ? Long.MAX_VALUE : limits.maxOperations();
        this.maxDepth = limits.maxCallDepth() <= 0 ? Integer.MAX_VALUE : limits.maxCallDepth();
        this.deadline = limits.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + limits.timeout().toNanos();
        this.cancel = cancel;
    }

    // ------------------------------------------------------------ limits

    /**
     * Counts one operation. Hot path: one compare against the next checkpoint, which is the earlier of the
     * operation limit and the next multiple of 1024 (time-out, cancellation and progress are checked there).
     */
    public void tick() {
        if (++ops >= nextCheck) checkpoint();
    }

    /**
     * Counts {@code weight} operations at once: a statement, loop iteration or call with the number of expression
     * nodes the parser counted in it ({@code Stmts.Block}), so the budget matches the reference's per-expression
     * count without a check per node.
     */
    public void tick(int weight) {
        if ((ops += weight) >= nextCheck) checkpoint();
    }

    /** Operation count at which {@link #tick} next looks at the limits (ops may jump past it: see charge). */
    private long nextCheck;
    /** Next multiple of 1024 operations: the time-out/cancellation/progress check. */
    private long nextSlowCheck = 1024;

    private void checkpoint() {
        if (ops > maxOps) {
            throw RhaiException.of(ErrorKind.TOO_MANY_OPERATIONS, "Too many operations");
        }
        if (ops >= nextSlowCheck) {
            nextSlowCheck = (ops | 1023) + 1;
            slowCheck();
        }
        nextCheck = Math.min(maxOps == Long.MAX_VALUE ? Long.MAX_VALUE : maxOps + 1, nextSlowCheck);
    }

    /** Charges bulk work (e.g. copying n elements) to the operation budget. */
    public void charge(long n) {
        if (n > 64) {
            ops += n >> 2;
            tick();
        }
    }

    @Override
    public void checkInterrupts() {
        slowCheck();
    }

    private void slowCheck() {
        if (deadline != Long.MAX_VALUE && System.nanoTime() > deadline) {
            throw RhaiException.of(ErrorKind.TIMEOUT, "Script timed out");
        }
        if ((cancel != null && cancel.get()) || Thread.currentThread().isInterrupted()) {
            throw RhaiException.of(ErrorKind.TERMINATED, "Script terminated");
        }
        ProgressListener progress = services.progress();
        if (progress != null && !progress.onProgress(ops)) {
            throw RhaiException.of(ErrorKind.TERMINATED, "Script terminated");
        }
    }

    @Override
    public long deadlineNanos() {
        return deadline;
    }

    @Override
    public void checkStringSize(long chars) {
        checkSize(chars, limits.maxStringSize(), "Length of string");
    }

    @Override
    public void checkArraySize(long len) {
        checkSize(len, limits.maxArraySize(), "Size of array");
    }

    @Override
    public void checkMapSize(long len) {
        checkSize(len, limits.maxMapSize(), "Size of object map");
    }

    @Override
    public void checkBlobSize(long len) {
        checkSize(len, limits.maxArraySize(), "Size of BLOB");
    }

    /** A limit of 0 means unlimited. */
    private static void checkSize(long value, long max, String what) {
        if (max > 0 && value > max) throw RhaiException.dataTooLarge(what);
    }

    /**
     * Checks the total size of a (possibly nested) container value: elements of all arrays, entries of all maps,
     * characters of all strings, like Rhai's data-size check.
     */
    public long checkDeep(Object v) {
        if (!(v instanceof ArrayList || v instanceof java.util.TreeMap)) return 0;
        long[] acc = new long[3];
        deepCount(v, acc);
        // copying/checking nested data is work: charge it to the operation budget
        long work = acc[0] + acc[1];
        if (work > 16) {
            ops += work;
            tick();
        }
        return work;
    }

    private long pendingGrowth;
    private long lastDeepSize;

    /**
     * Called after a native call added container arguments to a container receiver (push, insert, +=, ...):
     * re-checks the receiver's nested size with amortized doubling, so building large nested data stays
     * linear while unbounded nesting growth still hits the size limits.
     */
    public void noteGrowth(Object receiver, Object[] args) {
        long add = 0;
        for (int i = 1; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof ArrayList || a instanceof java.util.TreeMap) {
                long[] acc = new long[3];
                deepCount(a, acc);
                add += 1 + acc[0] + acc[1];
            }
        }
        grow(receiver, add);
    }

    /** Same as {@link #noteGrowth(Object, Object[])} for one stored value (index/property assignment). */
    public void noteStore(Object receiver, Object value) {
        long[] acc = new long[3];
        deepCount(value, acc);
        grow(receiver, 1 + acc[0] + acc[1]);
    }

    private void grow(Object receiver, long add) {
        pendingGrowth += add;
        if (pendingGrowth > Math.max(1024, lastDeepSize)) {
            lastDeepSize = checkDeep(receiver);
            pendingGrowth = 0;
        }
    }

    private void deepCount(Object v, long[] acc) {
        if (v instanceof ArrayList<?> a) {
            acc[0] += a.size();
            checkArraySize(acc[0]);
            for (Object o : a) {
                if (o instanceof ArrayList || o instanceof java.util.TreeMap || o instanceof String) deepCount(o, acc);
            }
        } else if (v instanceof java.util.TreeMap<?, ?> m) {
            acc[1] += m.size();
            checkMapSize(acc[1]);
            for (Object o : m.values()) {
                if (o instanceof ArrayList || o instanceof java.util.TreeMap || o instanceof String) deepCount(o, acc);
            }
        } else if (v instanceof String s) {
            acc[2] += s.length();
            if (limits.maxStringSize() > 0 && acc[2] > limits.maxStringSize()) checkStringSize(acc[2]);
        }
    }

    /** Checks size limits of a value produced by an operation. */
    public Object checkSize(Object v) {
        if (v instanceof String s) {
            if (limits.maxStringSize() > 0 && s.length() > limits.maxStringSize()) checkStringSize(s.codePointCount(0, s.length()));
        } else if (v instanceof ArrayList<?> a) {
            checkArraySize(a.size());
        } else if (v instanceof java.util.TreeMap<?, ?> m) {
            checkMapSize(m.size());
        }
        return v;
    }

    // ------------------------------------------------------------ NativeCallContext

    @Override
    public void print(String s) {
        services.print(tag, s);
    }

    @Override
    public void debug(String s) {
        services.debug(tag, s);
    }

    @Override
    public Object tag() {
        return tag;
    }

    @Override
    public boolean isMethodCall() {
        return curMethod;
    }

    @Override
    public Position position() {
        return curPos;
    }

    @Override
    public String fnName() {
        return curFn;
    }

    @Override
    public Object callFn(FnPtr fn, Object... args) {
        return callFnPtr(fn, null, args, curPos);
    }

    @Override
    public int fnParamCount(FnPtr fn) {
        if (fn.closure() instanceof Closure c) return c.fn().params.length;
        int found = -1;
        for (int k = 0; k <= 16; k++) {
            if (scriptFns.containsKey(fn.name() + '/' + k)) {
                if (found >= 0) return -1;
                found = k;
            }
        }
        return found;
    }

    @Override
    public Object callFnWithThis(FnPtr fn, Object[] thisRef, Object... args) {
        return callFnPtr(fn, thisRef, args, curPos);
    }

    // ------------------------------------------------------------ calls

    /** Calls a function pointer; {@code thisRef} (nullable) is bound to {@code this}. */
    public Object callFnPtr(FnPtr fn, Object[] thisRef, Object[] args, Position pos) {
        Object[] all = args;
        List<Object> cur = fn.curried();
        if (!cur.isEmpty()) {
            all = new Object[cur.size() + args.length];
            for (int i = 0; i < cur.size(); i++) all[i] = Values.deepCopy(cur.get(i));
            System.arraycopy(args, 0, all, cur.size(), args.length);
        }
        if (fn.closure() instanceof Closure c) {
            if (c.fn().params.length != all.length) {
                throw RhaiException.functionNotFound(signature(fn.name(), all)).at(pos);
            }
            return callScript(c.fn(), thisRef, all, c.captured(), pos);
        }
        return callByName(fn.name(), thisRef, all, false, pos);
    }

    /** Calls a function by name: script functions first, then natives. */
    public Object callByName(String name, Object[] thisRef, Object[] args, boolean method, Position pos) {
        ScriptFn sf = scriptFns.get(name + '/' + args.length);
        if (sf != null) {
            return callScript(sf, thisRef, args, null, pos);
        }
        FunctionTable.Overload o = natives.resolve(name, args);
        if (o != null) {
            return callNative(o, args, method, pos);
        }
        Object r = Builtins.tryCall(this, name, args, method, pos, null);
        if (r != null) return r;
        throw RhaiException.functionNotFound(signature(name, args)).at(pos);
    }

    public Object callNative(FunctionTable.Overload o, Object[] args, boolean method, Position pos) {
        String pf = curFn;
        Position pp = curPos;
        boolean pm = curMethod;
        curFn = o.name;
        curPos = pos;
        curMethod = method;
        try {
            Object r = o.fn.call(this, args);
            return r == null ? Unit.INSTANCE : r;
        } catch (RhaiException e) {
            throw e.at(pos);
        } catch (ControlFlow e) {
            throw e;
        } catch (StackOverflowError e) {
            throw RhaiException.of(ErrorKind.STACK_OVERFLOW, "Stack overflow").at(pos);
        } catch (RuntimeException e) {
            // any other failure of a native function becomes a (catchable) runtime error
            throw RhaiException.runtime(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()).at(pos);
        } catch (OutOfMemoryError e) {
            throw new RhaiException(ErrorKind.DATA_TOO_LARGE, "Out of memory", pos, null);
        } finally {
            curFn = pf;
            curPos = pp;
            curMethod = pm;
        }
    }

    /** Fast path for a plain call: the arguments are already in the new frame's first slots. */
    public Object invoke(ScriptFn fn, Frame f, Position pos) {
        enter(fn, pos);
        SharedScope savedShared = sharedScope;
        if (savedShared != null) sharedScope = null;
        try {
            return fn.body.eval(f);
        } catch (ControlFlow.Return r) {
            return r.value;
        } catch (RhaiException e) {
            throw wrapInFunction(fn, e, pos);
        } catch (StackOverflowError e) {
            throw RhaiException.of(ErrorKind.STACK_OVERFLOW, "Stack overflow").at(pos);
        } finally {
            callDepth--;
            if (savedShared != null) sharedScope = savedShared;
        }
    }

    /**
     * {@link #invoke} for a caller that wants an INT ({@code fib(n - 1) + fib(n - 2)}): the result stays unboxed
     * from the function's last expression to the caller. A result of another type leaves as {@link NotInt}.
     */
    public long invokeLong(ScriptFn fn, Frame f, Position pos) {
        enter(fn, pos);
        SharedScope savedShared = sharedScope;
        if (savedShared != null) sharedScope = null;
        try {
            return fn.body.evalLong(f);
        } catch (ControlFlow.Return r) {
            return NotInt.unbox(r.value);
        } catch (RhaiException e) {
            throw wrapInFunction(fn, e, pos);
        } catch (StackOverflowError e) {
            throw RhaiException.of(ErrorKind.STACK_OVERFLOW, "Stack overflow").at(pos);
        } finally {
            callDepth--;
            if (savedShared != null) sharedScope = savedShared;
        }
    }

    /** Counts a call against the depth limit and the operation budget. */
    private void enter(ScriptFn fn, Position pos) {
        if (++callDepth > maxDepth) {
            callDepth--;
            throw RhaiException.of(ErrorKind.STACK_OVERFLOW, "Stack overflow").at(pos);
        }
        tick(fn.callWeight);
    }

    /**
     * Calls a script function. {@code thisRef} is a one-element holder for {@code this} (null when unbound); the
     * function's final {@code this} is written back into it.
     */
    public Object callScript(ScriptFn fn, Object[] thisRef, Object[] args, Cell[] captured, Position pos) {
        SharedScope pending = pendingShared;
        pendingShared = null;
        enter(fn, pos);
        Frame f = claim(fn.frameSize);
        int k = 0;
        for (Object a : args) f.s[k++] = a;
        if (captured != null) {
            int[] slots = fn.captureInnerSlots;
            for (int i = 0; i < slots.length; i++) f.s[slots[i]] = captured[i];
        }
        if (thisRef != null) f.thisVal = thisRef[0];
        SharedScope savedShared = sharedScope;
        sharedScope = pending;
        try {
            return fn.body.eval(f);
        } catch (ControlFlow.Return r) {
            return r.value;
        } catch (RhaiException e) {
            throw wrapInFunction(fn, e, pos);
        } catch (StackOverflowError e) {
            throw RhaiException.of(ErrorKind.STACK_OVERFLOW, "Stack overflow").at(pos);
        } finally {
            callDepth--;
            sharedScope = savedShared;
            if (thisRef != null) thisRef[0] = f.thisVal;
            release(f, fn.frameSize);
        }
    }

    private RhaiException wrapInFunction(ScriptFn fn, RhaiException e, Position pos) {
        if (!isCatchable(e)) {
            return e.at(pos);
        }
        String what = fn.name.startsWith("anon$") ? "in closure call" : "in call to function '" + fn.name + "'";
        return new FunctionCallError(e, e.getMessage() + "\n" + what, pos);
    }

    /** Errors that {@code try/catch} cannot catch (limits, termination). */
    public static boolean isCatchable(RhaiException e) {
        return switch (e.kind()) {
            case TOO_MANY_OPERATIONS, STACK_OVERFLOW, DATA_TOO_LARGE, TERMINATED, TIMEOUT, TOO_MANY_MODULES,
                 TOO_MANY_VARIABLES, TOO_MANY_FUNCTIONS, SYSTEM, PARSING, LOOP_BREAK -> false;
            default -> true;
        };
    }

    /** "name (i64, string)" */
    public static String signature(String name, Object[] args) {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int i = 0; i < args.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(Values.typeName(args[i]));
        }
        return sb.append(')').toString();
    }
}
