package io.circles.rhai.ast;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.eval.Cell;
import io.circles.rhai.eval.Closure;
import io.circles.rhai.eval.ControlFlow;
import io.circles.rhai.eval.Ctx;
import io.circles.rhai.eval.Frame;
import io.circles.rhai.eval.NotInt;
import io.circles.rhai.eval.Ops;
import io.circles.rhai.eval.ScriptFn;
import io.circles.rhai.func.FunctionTable;
import io.circles.rhai.func.IntRange;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.FnPtr;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.RRange;
import io.circles.rhai.types.StepRange;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Statement nodes. */
public final class Stmts {
    private Stmts() {
    }

    public static final class Block extends Node {
        final Node[] stmts;
        /** Operations each statement counts: 1 plus the expression nodes in it (see {@code Ctx.tick(int)}). */
        final int[] weights;

        public Node[] stmts() {
            return stmts;
        }

        public Block(Position pos, Node[] stmts) {
            this(pos, stmts, ones(stmts.length));
        }

        public Block(Position pos, Node[] stmts, int[] weights) {
            super(pos);
            this.stmts = stmts;
            this.weights = weights;
        }

        private static int[] ones(int n) {
            int[] weights = new int[n];
            java.util.Arrays.fill(weights, 1);
            return weights;
        }

        @Override
        public Object eval(Frame f) {
            Object last = Unit.INSTANCE;
            Ctx ctx = f.ctx;
            Node[] stmts = this.stmts;
            int[] weights = this.weights;
            for (int i = 0; i < stmts.length; i++) {
                Node n = stmts[i];
                ctx.tick(weights[i]);
                last = n.eval(f);
                if (last instanceof Signal) return last;
            }
            return last;
        }
    }

    /** Wraps a statement whose value is (): evaluates it and yields (). */
    public static final class Discard extends Node {
        final Node e;

        public Discard(Position pos, Node e) {
            super(pos);
            this.e = e;
        }

        @Override
        public Object eval(Frame f) {
            e.eval(f);
            return Unit.INSTANCE;
        }
    }

    public static final class Let extends Node {
        final int slot;
        final Node init;
        /** Whether the value is asked for an unboxed INT (and stored unboxed); BOXED once it was not one. */
        private byte mode;

        public Let(Position pos, int slot, Node init) {
            super(pos);
            this.slot = slot;
            this.init = init;
        }

        @Override
        public Object eval(Frame f) {
            byte m = mode;
            if (m == UNDECIDED) mode = m = init == null ? BOXED : unboxedMode(init);
            if (m == UNBOXED) {
                try {
                    f.defineInt(slot, init.evalLong(f));
                } catch (NotInt e) {
                    mode = BOXED;
                    f.s[slot] = e.value;
                }
                return Unit.INSTANCE;
            }
            f.s[slot] = init == null ? Unit.INSTANCE : init.eval(f);
            return Unit.INSTANCE;
        }
    }

    public static final class Assign extends Node {
        final PlaceNode place;
        final Node value;

        public Assign(Position pos, PlaceNode place, Node value) {
            super(pos);
            this.place = place;
            this.value = value;
        }

        @Override
        public Object eval(Frame f) {
            place.assign(f, value.eval(f));
            return Unit.INSTANCE;
        }
    }

    /** Assignment into a constant's element/property: fails at run time like Rhai. */
    public static final class ConstViolation extends Node {
        final String name;
        final Node value;

        public ConstViolation(Position pos, String name, Node value) {
            super(pos);
            this.name = name;
            this.value = value;
        }

        @Override
        public Object eval(Frame f) {
            value.eval(f);
            throw new RhaiException(ErrorKind.ASSIGNMENT_TO_CONSTANT, "Cannot modify constant " + name, pos, null,
                    null);
        }
    }

    public static final class LocalAssign extends Node {
        final int slot;
        final Node value;
        /** Whether the value is asked for an unboxed INT (and stored unboxed); BOXED once it was not one. */
        private byte mode;

        public LocalAssign(Position pos, int slot, Node value) {
            super(pos);
            this.slot = slot;
            this.value = value;
        }

        @Override
        public Object eval(Frame f) {
            byte m = mode;
            if (m == UNDECIDED) mode = m = unboxedMode(value);
            if (m == UNBOXED) {
                try {
                    f.setInt(slot, value.evalLong(f));
                } catch (NotInt e) {
                    mode = BOXED;
                    f.set(slot, e.value);
                }
                return Unit.INSTANCE;
            }
            f.set(slot, value.eval(f));
            return Unit.INSTANCE;
        }
    }

    @SuppressWarnings("unchecked")
    static Object compound(Ctx ctx, String op, Object old, Object v, Position pos) {
        if (op.equals("+") && old instanceof ArrayList<?> a0) {
            ArrayList<Object> a = (ArrayList<Object>) a0;
            if (v instanceof ArrayList<?> b) a.addAll(b);
            else a.add(v);
            ctx.checkArraySize(a.size());
            return a;
        }
        if (!(old instanceof Long) && !(old instanceof Double) && !(old instanceof String)) {
            Object[] args = {old, v};
            FunctionTable.Overload o = ctx.natives.resolve(op + "=", args);
            if (o != null) {
                ctx.callNative(o, args, true, pos);
                return args[0];
            }
        }
        return Ops.binary(ctx, op, old, v, pos);
    }

    public static class CompoundAssign extends Node {
        final PlaceNode place;
        final String op;
        final Node value;

        CompoundAssign(Position pos, PlaceNode place, String op, Node value) {
            super(pos);
            this.place = place;
            this.op = op;
            this.value = value;
        }

        /** The node for {@code place op= value}: {@code +=} and {@code -=} get an INT fast path. */
        public static Node of(Position pos, PlaceNode place, String op, Node value) {
            return op.equals("+") || op.equals("-") ? new AddOrSubtractAssign(pos, place, op, value)
                    : new CompoundAssign(pos, place, op, value);
        }

        @Override
        public Object eval(Frame f) {
            Object v = value.eval(f);
            Ctx ctx = f.ctx;
            if (op.equals("??")) {
                place.modify(f, old -> old == Unit.INSTANCE ? v : old);
            } else {
                place.modify(f, old -> compound(ctx, op, old, v, pos));
            }
            return Unit.INSTANCE;
        }
    }

    /** {@code place += n} / {@code place -= n} on a scope variable, property or element, with an INT fast path. */
    static final class AddOrSubtractAssign extends CompoundAssign {
        private final boolean add;

        AddOrSubtractAssign(Position pos, PlaceNode place, String op, Node value) {
            super(pos, place, op, value);
            this.add = op.equals("+");
        }

        @Override
        public Object eval(Frame f) {
            Object v = value.eval(f);
            Ctx ctx = f.ctx;
            if (v instanceof Long n) {
                place.modify(f, old -> addOrSubtract(ctx, old, n));
            } else {
                place.modify(f, old -> compound(ctx, op, old, v, pos));
            }
            return Unit.INSTANCE;
        }

        private Object addOrSubtract(Ctx ctx, Object old, Long n) {
            if (old instanceof Long x) {
                long p = x, q = n, s = add ? p + q : p - q;
                boolean overflow = add ? ((p ^ s) & (q ^ s)) < 0 : ((p ^ q) & (p ^ s)) < 0;
                if (!overflow) return s;
            }
            return compound(ctx, op, old, n, pos);
        }
    }

    /**
     * {@code x op= e} on a local variable. {@code +=} and {@code -=} on INTs run unboxed: the right side is asked
     * for a primitive and the slot keeps the result unboxed ({@code x -= 1} in a loop allocates nothing).
     */
    public static final class LocalCompound extends Node {
        final int slot;
        final String op;
        final Node value;
        final boolean add;
        /** INT path still worth trying (+= or -=, and the right side has been an INT so far). */
        private boolean intPath;
        /** The right side is an INT literal ({@code x -= 1}): its value, without evaluating the node. */
        private final boolean literal;
        private final long literalValue;

        public LocalCompound(Position pos, int slot, String op, Node value) {
            super(pos);
            this.slot = slot;
            this.op = op;
            this.value = value;
            this.add = op.equals("+");
            this.intPath = add || op.equals("-");
            this.literal = value instanceof Nodes.Const c && c.value instanceof Long;
            this.literalValue = literal ? (Long) ((Nodes.Const) value).value : 0;
        }

        @Override
        public Object eval(Frame f) {
            if (!intPath) return assign(f, value.eval(f));
            long q;
            if (literal) {
                q = literalValue;
            } else {
                try {
                    q = value.evalLong(f);
                } catch (NotInt e) {
                    intPath = false;
                    return assign(f, e.value);
                }
            }
            Object[] s = f.s;
            Object o = s[slot];
            long p;
            if (o == Frame.INT) {
                p = f.n[slot];
            } else if (o instanceof Long x) {
                p = x;
            } else {
                return assign(f, q);
            }
            long r = add ? p + q : p - q;
            boolean overflow = add ? ((p ^ r) & (q ^ r)) < 0 : ((p ^ q) & (p ^ r)) < 0;
            if (overflow) return assign(f, q);
            if (o != Frame.INT) s[slot] = Frame.INT;
            f.n[slot] = r;
            return Unit.INSTANCE;
        }

        /** The generic rules (any types, shared cells, overflow errors). */
        private Object assign(Frame f, Object v) {
            Object o = f.get(slot);
            Object r = op.equals("??") ? (o == Unit.INSTANCE ? v : o) : compound(f.ctx, op, o, v, pos);
            f.set(slot, r);
            return Unit.INSTANCE;
        }
    }

    public static final class If extends Node {
        final Node cond, then, otherwise;

        public If(Position pos, Node cond, Node then, Node otherwise) {
            super(pos);
            this.cond = cond;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        public Object eval(Frame f) {
            if (cond.evalCondition(f)) return then.eval(f);
            return otherwise == null ? Unit.INSTANCE : otherwise.eval(f);
        }

        /** The chosen branch's value as an INT (the branch's own NotInt is this node's: same value). */
        @Override
        public long evalLong(Frame f) {
            if (cond.evalCondition(f)) return then.evalLong(f);
            if (otherwise == null) throw new NotInt(Unit.INSTANCE);
            return otherwise.evalLong(f);
        }
    }

    public static final class While extends Node {
        /** Operations one iteration counts: 1 plus the expression nodes of the condition and of a one-statement body. */
        public int iterationWeight = 1;
        final Node cond, body;

        public While(Position pos, Node cond, Node body) {
            super(pos);
            this.cond = cond;
            this.body = body;
        }

        @Override
        public Object eval(Frame f) {
            Ctx ctx = f.ctx;
            while (true) {
                ctx.tick(iterationWeight);
                if (cond != null && !cond.evalCondition(f)) return Unit.INSTANCE;
                try {
                    Object r = body.eval(f);
                    if (r instanceof Signal sg && sg != Signal.CONTINUE) return sg.isBreak ? sg.value : sg;
                } catch (ControlFlow.Break b) {
                    return b.value;
                } catch (ControlFlow.Continue c) {
                    // next iteration
                }
            }
        }
    }

    public static final class DoWhile extends Node {
        /** Operations one iteration counts: 1 plus the expression nodes of the condition and of a one-statement body. */
        public int iterationWeight = 1;
        final Node cond, body;
        final boolean until;

        public DoWhile(Position pos, Node body, Node cond, boolean until) {
            super(pos);
            this.cond = cond;
            this.body = body;
            this.until = until;
        }

        @Override
        public Object eval(Frame f) {
            Ctx ctx = f.ctx;
            while (true) {
                ctx.tick(iterationWeight);
                try {
                    Object r = body.eval(f);
                    if (r instanceof Signal sg && sg != Signal.CONTINUE) return sg.isBreak ? sg.value : sg;
                } catch (ControlFlow.Break b) {
                    return b.value;
                } catch (ControlFlow.Continue c) {
                    // fall through to condition
                }
                if (cond.evalCondition(f) == until) return Unit.INSTANCE;
            }
        }
    }

    public static final class For extends Node {
        /** Operations one iteration counts: 1 plus the expression nodes of the condition and of a one-statement body. */
        public int iterationWeight = 1;
        final int slot;
        final int idxSlot;
        final Node iterable;
        final Node body;

        /** The arguments when the iterable is a call {@code range(a, b)} / {@code range(a, b, step)}, else null. */
        private final Node[] rangeArgs;
        /** Whether {@code range} resolves to the standard INT range in that function table (racy cache, immutable). */
        private RangeResolution rangeResolution;

        public For(Position pos, int slot, int idxSlot, Node iterable, Node body) {
            super(pos);
            this.slot = slot;
            this.idxSlot = idxSlot;
            this.iterable = iterable;
            this.body = body;
            this.rangeArgs = iterable instanceof Calls.FnCall c && c.name.equals("range")
                    && (c.args.length == 2 || c.args.length == 3) ? c.args : null;
        }

        private record RangeResolution(FunctionTable table, boolean standard) {
        }

        private static final Long[] SAMPLE_INTS = {0L, 0L, 1L};

        /**
         * {@code for x in range(a, b[, step])} as a counting loop, without the call (no argument boxes, no range
         * object), when that call would reach the standard INT range ({@link IntRange}) with INTs and a positive
         * step; null when not (nothing observable has happened then: the arguments checked here are side-effect
         * free, so the generic path evaluates them again).
         */
        private Object countOverRange(Frame f) {
            Node[] a = rangeArgs;
            for (Node n : a) {
                if (!plainInt(n, f)) return null;
            }
            if (((Calls.FnCall) iterable).script != null || !isStandardRange(f.ctx, a.length)) return null;
            long from = a[0].evalLong(f);
            long to = a[1].evalLong(f);
            long step = a.length == 3 ? a[2].evalLong(f) : 1;
            if (step <= 0) return null; // counting down, or the error for a zero step: the function's own rules
            f.s[slot] = null;
            if (idxSlot >= 0) f.s[idxSlot] = null;
            try {
                Object stop = countUp(f, from, to, step);
                return stop != null ? stop : Unit.INSTANCE;
            } catch (ControlFlow.Break b) {
                return b.value;
            }
        }

        /**
         * An INT literal, a local variable holding an INT, or integer arithmetic on those: evaluating it has no
         * effect but its value (or an arithmetic error, which the generic path would raise the same way).
         */
        private static boolean plainInt(Node n, Frame f) {
            if (n instanceof Nodes.Const c) return c.value instanceof Long;
            if (n instanceof Nodes.LocalVar v) {
                Object o = f.s[v.slot];
                return o == Frame.INT || o instanceof Long;
            }
            if (n instanceof Nodes.LocalOffset o) return plainInt(o.var, f);
            if (n instanceof Nodes.Arith x) return plainInt(x.l, f) && plainInt(x.r, f);
            return false;
        }

        private boolean isStandardRange(Ctx ctx, int arity) {
            RangeResolution r = rangeResolution;
            if (r == null || r.table() != ctx.natives) {
                Object[] sample = java.util.Arrays.copyOf(SAMPLE_INTS, arity, Object[].class);
                FunctionTable.Overload o = ctx.natives.resolve("range", sample);
                rangeResolution = r = new RangeResolution(ctx.natives, o != null && o.fn instanceof IntRange);
            }
            return r.standard();
        }

        /**
         * Runs the body once with the loop variable set to {@code v}; null to go on, else what the loop evaluates
         * to ({@code break}'s value, or the return signal of a {@code return} in the body).
         */
        private Object step(Frame f, Object v, long i) {
            f.ctx.tick(iterationWeight);
            f.set(slot, v);
            return run(f, i);
        }

        /** {@link #step} with the loop variable set to the INT {@code v} (kept unboxed). */
        private Object stepInt(Frame f, long v, long i) {
            f.ctx.tick(iterationWeight);
            f.setInt(slot, v);
            return run(f, i);
        }

        private Object run(Frame f, long i) {
            if (idxSlot >= 0) f.setInt(idxSlot, i);
            try {
                Object r = body.eval(f);
                if (r instanceof Signal sg && sg != Signal.CONTINUE) return sg.isBreak ? sg.value : sg;
            } catch (ControlFlow.Continue c) {
                // next
            }
            return null;
        }

        /**
         * The counting loop ({@code for i in 0..n}, {@code range(a, b, step)} with step > 0) in a method of its own,
         * so the JIT compiles it tightly; same steps as {@link #stepInt}. Null when it ran to the end.
         */
        private Object countUp(Frame f, long from, long to, long step) {
            Ctx ctx = f.ctx;
            int slot = this.slot;
            int idxSlot = this.idxSlot;
            Node body = this.body;
            long n = 0;
            for (long i = from; i < to; ) {
                ctx.tick(iterationWeight);
                f.setInt(slot, i);
                if (idxSlot >= 0) f.setInt(idxSlot, n);
                n++;
                try {
                    Object r = body.eval(f);
                    if (r instanceof Signal sg && sg != Signal.CONTINUE) return sg.isBreak ? sg.value : sg;
                } catch (ControlFlow.Continue c) {
                    // next
                }
                long ni = i + step;
                if (ni < i) break;
                i = ni;
            }
            return null;
        }

        @Override
        public Object eval(Frame f) {
            if (rangeArgs != null) {
                Object r = countOverRange(f);
                if (r != null) return r;
            }
            Object it = iterable.eval(f);
            f.s[slot] = null;
            if (idxSlot >= 0) f.s[idxSlot] = null;
            try {
                if (it instanceof RRange r) {
                    long end = r.endExclusive();
                    long n = 0;
                    if (r.inclusive() && r.end() == Long.MAX_VALUE) {
                        for (long i = r.start(); ; i++) {
                            Object stop = stepInt(f, i, n++);
                            if (stop != null) return stop;
                            if (i == Long.MAX_VALUE) break;
                        }
                    } else {
                        Object stop = countUp(f, r.start(), end, 1);
                        if (stop != null) return stop;
                    }
                } else if (it instanceof ArrayList<?> a) {
                    for (int i = 0; i < a.size(); i++) {
                        Object stop = step(f, a.get(i), i);
                        if (stop != null) return stop;
                    }
                } else if (it instanceof String s) {
                    long n = 0;
                    for (int i = 0; i < s.length(); ) {
                        int cp = s.codePointAt(i);
                        i += Character.charCount(cp);
                        Object stop = step(f, RChar.of(cp), n++);
                        if (stop != null) return stop;
                    }
                } else if (it instanceof StepRange sr) {
                    long n = 0;
                    long step = sr.step();
                    if (step > 0) {
                        Object stop = countUp(f, sr.from(), sr.to(), step);
                        if (stop != null) return stop;
                    } else {
                        for (long i = sr.from(); i > sr.to(); ) {
                            Object stop = stepInt(f, i, n++);
                            if (stop != null) return stop;
                            long ni = i + step;
                            if (ni > i) break;
                            i = ni;
                        }
                    }
                } else if (it instanceof Blob b) {
                    for (int i = 0; i < b.length(); i++) {
                        Object stop = stepInt(f, b.get(i), i);
                        if (stop != null) return stop;
                    }
                } else if (it instanceof Iterable<?> iter) {
                    long n = 0;
                    for (Object o : iter) {
                        Object stop = step(f, o, n++);
                        if (stop != null) return stop;
                    }
                } else {
                    throw new RhaiException(ErrorKind.FOR, "For loop expects iterable type", iterable.pos, null,
                            null);
                }
            } catch (ControlFlow.Break b) {
                return b.value;
            }
            return Unit.INSTANCE;
        }
    }

    /**
     * Result of a {@code break}/{@code continue}/{@code return} in statement position (avoids exceptions): blocks
     * and if-branches pass it up, loops consume break/continue and pass return on, the function body
     * ({@link FunctionBody}) turns return into the function's value (kept in {@link Frame#returned}).
     */
    public static final class Signal {
        static final Signal CONTINUE = new Signal(false, null);
        static final Signal RETURN = new Signal(false, null);
        final boolean isBreak;
        final Object value;

        Signal(boolean isBreak, Object value) {
            this.isBreak = isBreak;
            this.value = value;
        }
    }

    static final class ContinueSig extends Node {
        ContinueSig(Position pos) {
            super(pos);
        }

        @Override
        public Object eval(Frame f) {
            return Signal.CONTINUE;
        }
    }

    static final class BreakSig extends Node {
        final Node value;

        BreakSig(Position pos, Node value) {
            super(pos);
            this.value = value;
        }

        @Override
        public Object eval(Frame f) {
            return new Signal(true, value == null ? Unit.INSTANCE : value.eval(f));
        }
    }

    /** {@code return} in statement position of a function body: a signal instead of an exception. */
    static final class ReturnSig extends Node {
        final Node value;

        ReturnSig(Position pos, Node value) {
            super(pos);
            this.value = value;
        }

        @Override
        public Object eval(Frame f) {
            f.returned = value == null ? Unit.INSTANCE : value.eval(f);
            return Signal.RETURN;
        }
    }

    /** A function body containing {@link ReturnSig}s: turns their signal into the function's value. */
    static final class FunctionBody extends Node {
        final Node body;

        FunctionBody(Node body) {
            super(body.pos);
            this.body = body;
        }

        @Override
        public Object eval(Frame f) {
            Object r = body.eval(f);
            if (r == Signal.RETURN) {
                r = f.returned;
                f.returned = null;
            }
            return r;
        }
    }

    /**
     * The body of a script function with each {@code return} that sits in statement position (through blocks,
     * if-branches and loop bodies) turned into a return signal, wrapped to deliver it; the body itself when it
     * has none. Other returns (inside expressions, switch arms, try blocks) keep the exception.
     */
    public static Node functionBody(Node body) {
        boolean[] found = {false};
        Node n = signalizeReturns(body, found);
        return found[0] ? new FunctionBody(n) : n;
    }

    private static Node signalizeReturns(Node n, boolean[] found) {
        if (n instanceof Return r) {
            found[0] = true;
            return new ReturnSig(r.pos, r.value);
        }
        if (n instanceof Block b) {
            for (int i = 0; i < b.stmts.length; i++) b.stmts[i] = signalizeReturns(b.stmts[i], found);
            return b;
        }
        if (n instanceof If i) {
            return new If(i.pos, i.cond, signalizeReturns(i.then, found),
                    i.otherwise == null ? null : signalizeReturns(i.otherwise, found));
        }
        if (n instanceof While w) return new While(w.pos, w.cond, signalizeReturns(w.body, found));
        if (n instanceof DoWhile d) return new DoWhile(d.pos, signalizeReturns(d.body, found), d.cond, d.until);
        if (n instanceof For l) {
            return new For(l.pos, l.slot, l.idxSlot, l.iterable, signalizeReturns(l.body, found));
        }
        return n;
    }

    /**
     * Rewrites {@code break}/{@code continue} that sit in statement position of a loop body (through blocks and
     * if-branches) into signal-returning nodes, so the common {@code if c { continue; }} costs no exception.
     */
    public static Node signalize(Node n) {
        if (n instanceof Continue c) return new ContinueSig(c.pos);
        if (n instanceof Break b) return new BreakSig(b.pos, b.value);
        if (n instanceof Block b) {
            for (int i = 0; i < b.stmts.length; i++) b.stmts[i] = signalize(b.stmts[i]);
            return b;
        }
        if (n instanceof If i) {
            return new If(i.pos, i.cond, signalize(i.then), i.otherwise == null ? null : signalize(i.otherwise));
        }
        return n;
    }

    public static final class Break extends Node {
        final Node value;

        public Break(Position pos, Node value) {
            super(pos);
            this.value = value;
        }

        @Override
        public Object eval(Frame f) {
            throw new ControlFlow.Break(value == null ? Unit.INSTANCE : value.eval(f));
        }
    }

    public static final class Continue extends Node {
        public Continue(Position pos) {
            super(pos);
        }

        @Override
        public Object eval(Frame f) {
            throw ControlFlow.Continue.INSTANCE;
        }
    }

    public static final class Return extends Node {
        final Node value;

        public Node value() {
            return value;
        }

        public Return(Position pos, Node value) {
            super(pos);
            this.value = value;
        }

        @Override
        public Object eval(Frame f) {
            throw new ControlFlow.Return(value == null ? Unit.INSTANCE : value.eval(f));
        }
    }

    public static final class Throw extends Node {
        final Node value;

        public Throw(Position pos, Node value) {
            super(pos);
            this.value = value;
        }

        @Override
        public Object eval(Frame f) {
            if (value == null && f.ctx.lastCaught != null) throw f.ctx.lastCaught;
            Object v = value == null ? Unit.INSTANCE : value.eval(f);
            throw RhaiException.thrown(v, pos);
        }
    }

    public static final class TryCatch extends Node {
        final Node body;
        final int slot;
        final Node handler;

        public TryCatch(Position pos, Node body, int slot, Node handler) {
            super(pos);
            this.body = body;
            this.slot = slot;
            this.handler = handler;
        }

        @Override
        public Object eval(Frame f) {
            int depth = f.ctx.callDepth;
            try {
                return body.eval(f);
            } catch (RhaiException e) {
                if (!Ctx.isCatchable(e)) throw e;
                f.ctx.callDepth = depth;
                if (slot >= 0) f.s[slot] = e.toCatchValue();
                RhaiException saved = f.ctx.lastCaught;
                f.ctx.lastCaught = e;
                try {
                    return handler.eval(f);
                } finally {
                    f.ctx.lastCaught = saved;
                }
            } catch (StackOverflowError e) {
                throw new RhaiException(ErrorKind.STACK_OVERFLOW, "Stack overflow", pos, null);
            }
        }
    }

    public static final class SwitchCase {
        final Node guard;
        final Node body;

        public SwitchCase(Node guard, Node body) {
            this.guard = guard;
            this.body = body;
        }
    }

    public static final class RangeCase {
        final RRange range;
        final Node guard;
        final Node body;

        public RangeCase(RRange range, Node guard, Node body) {
            this.range = range;
            this.guard = guard;
            this.body = body;
        }
    }

    /** Normalises a switch key so that equal Rhai values hash alike. */
    public static Object switchKey(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return v;
        return v;
    }

    public static final class Switch extends Node {
        final Node value;
        final Map<Object, List<SwitchCase>> table = new HashMap<>();
        final List<RangeCase> ranges = new ArrayList<>();
        Node defaultCase;

        public Switch(Position pos, Node value) {
            super(pos);
            this.value = value;
        }

        public void addCase(Object key, SwitchCase c) {
            table.computeIfAbsent(switchKey(key), k -> new ArrayList<>()).add(c);
        }

        public void addRange(RangeCase c) {
            ranges.add(c);
        }

        public void setDefault(Node n) {
            defaultCase = n;
        }

        public boolean hasUnguarded(Object key) {
            List<SwitchCase> cs = table.get(switchKey(key));
            if (cs == null) return false;
            for (SwitchCase c : cs) if (c.guard == null) return true;
            return false;
        }

        public boolean hasKey(Object key) {
            return table.containsKey(switchKey(key));
        }

        @Override
        public Object eval(Frame f) {
            Object v = value.eval(f);
            List<SwitchCase> cs = table.get(switchKey(v));
            if (cs != null) {
                for (SwitchCase c : cs) {
                    if (c.guard == null || Nodes.bool(c.guard.eval(f), c.guard.pos)) return c.body.eval(f);
                }
            }
            if (!ranges.isEmpty() && v instanceof RRange rv) {
                for (RangeCase c : ranges) {
                    if (c.range.equals(rv) && (c.guard == null || Nodes.bool(c.guard.eval(f), c.guard.pos))) {
                        return c.body.eval(f);
                    }
                }
            }
            if (!ranges.isEmpty() && v instanceof Long l) {
                for (RangeCase c : ranges) {
                    if (c.range.contains(l) && (c.guard == null || Nodes.bool(c.guard.eval(f), c.guard.pos))) {
                        return c.body.eval(f);
                    }
                }
            }
            return defaultCase == null ? Unit.INSTANCE : defaultCase.eval(f);
        }
    }

    /** Creates a closure value: captures the enclosing variables as shared cells. */
    public static final class MakeClosure extends Node {
        final ScriptFn fn;
        final SlotRef[] outer;

        public MakeClosure(Position pos, ScriptFn fn, SlotRef[] outer) {
            super(pos);
            this.fn = fn;
            this.outer = outer;
        }

        @Override
        public Object eval(Frame f) {
            SlotRef[] outer = this.outer;
            Cell[] cells = new Cell[outer.length];
            for (int i = 0; i < outer.length; i++) {
                int slot = outer[i].slot;
                Object o = f.raw(slot);
                if (o instanceof Cell c) {
                    cells[i] = c;
                } else {
                    Cell c = new Cell(o == null ? Unit.INSTANCE : o);
                    f.s[slot] = c;
                    cells[i] = c;
                }
            }
            return new FnPtr(fn.name, List.of(), new Closure(fn, cells));
        }
    }
}
