package io.circles.rhai.ast;

import io.circles.rhai.eval.SharedScope;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.eval.Cell;
import io.circles.rhai.eval.Ctx;
import io.circles.rhai.eval.Frame;
import io.circles.rhai.eval.NotInt;
import io.circles.rhai.eval.Indexing;
import io.circles.rhai.eval.Ops;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.util.ArrayList;
import java.util.TreeMap;

/** Expression nodes: literals, variables, access chains and operators. */
public final class Nodes {
    private Nodes() {
    }

    public static boolean bool(Object v, Position pos) {
        if (v instanceof Boolean b) return b;
        throw RhaiException.mismatchDataType("bool", Values.typeName(v)).at(pos);
    }

    /** The value of a constant expression (literals, and arrays/maps of literals), or null. */
    public static Object constValue(Node n) {
        if (n.isConstant()) return n.constantValue();
        if (n instanceof ArrayLit a) {
            ArrayList<Object> r = new ArrayList<>();
            for (Node x : a.items) {
                Object v = constValue(x);
                if (v == null) return null;
                r.add(v);
            }
            return r;
        }
        if (n instanceof MapLit m) {
            TreeMap<String, Object> r = new TreeMap<>();
            for (int i = 0; i < m.keys.length; i++) {
                Object v = constValue(m.values[i]);
                if (v == null) return null;
                r.put(m.keys[i], v);
            }
            return r;
        }
        return null;
    }

    /** A bare script-function name used as a value is a function pointer. */
    static Object fnPtrFor(Ctx ctx, String name) {
        for (String k : ctx.scriptFns.keySet()) {
            if (k.startsWith(name) && k.length() > name.length() && k.charAt(name.length()) == '/') {
                return new io.circles.rhai.types.FnPtr(name);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ literals

    public static final class Const extends Node {
        public final Object value;
        private final boolean isInt;
        private final long intValue;

        public Const(Position pos, Object value) {
            super(pos);
            this.value = value;
            this.isInt = value instanceof Long;
            this.intValue = value instanceof Long l ? l : 0;
        }

        @Override
        public Object eval(Frame f) {
            return value;
        }

        @Override
        public long evalLong(Frame f) {
            if (isInt) return intValue;
            throw new NotInt(value);
        }

        @Override
        boolean yieldsUnboxed() {
            return isInt;
        }

        @Override
        public boolean isConstant() {
            return true;
        }

        @Override
        public Object constantValue() {
            return value;
        }
    }

    public static final class ArrayLit extends Node {
        final Node[] items;

        public ArrayLit(Position pos, Node[] items) {
            super(pos);
            this.items = items;
        }

        @Override
        public Object eval(Frame f) {
            ArrayList<Object> a = new ArrayList<>(items.length);
            boolean nested = false;
            for (Node n : items) {
                Object v = n.eval(f);
                if (v instanceof ArrayList || v instanceof TreeMap) {
                    nested = true;
                    a.add(v);
                    f.ctx.checkDeep(a);
                } else {
                    a.add(v);
                }
            }
            if (!nested) f.ctx.checkArraySize(a.size());
            return a;
        }
    }

    public static final class MapLit extends Node {
        final String[] keys;
        final Node[] values;

        public MapLit(Position pos, String[] keys, Node[] values) {
            super(pos);
            this.keys = keys;
            this.values = values;
        }

        @Override
        public Object eval(Frame f) {
            TreeMap<String, Object> m = new TreeMap<>();
            boolean nested = false;
            for (int i = 0; i < keys.length; i++) {
                Object v = values[i].eval(f);
                m.put(keys[i], v);
                if (v instanceof ArrayList || v instanceof TreeMap) {
                    nested = true;
                    f.ctx.checkDeep(m);
                }
            }
            if (!nested) f.ctx.checkMapSize(m.size());
            return m;
        }
    }

    public static final class Interp extends Node {
        final Node[] parts;

        public Interp(Position pos, Node[] parts) {
            super(pos);
            this.parts = parts;
        }

        @Override
        public Object eval(Frame f) {
            StringBuilder sb = new StringBuilder();
            for (Node n : parts) {
                Object v = n.eval(f);
                if (v instanceof String s) sb.append(s);
                else sb.append(Ops.display(f.ctx, v));
            }
            return f.ctx.checkSize(sb.toString());
        }
    }

    // ------------------------------------------------------------------ variables

    public static final class LocalVar extends PlaceNode implements SharedScope.Variable {
        /** Final after parsing (captured variables of closures are patched when the closure ends). */
        public int slot;
        public final String name;

        public LocalVar(Position pos, int slot, String name) {
            super(pos);
            this.slot = slot;
            this.name = name;
        }

        @Override
        public Object eval(Frame f) {
            Object o = f.s[slot];
            if (o == Frame.INT) return f.n[slot];
            if (o instanceof Long) return o;
            if (o instanceof Cell c) o = c.value;
            if (o == null) return Unit.INSTANCE;
            return copy(f, o);
        }

        @Override
        public long evalLong(Frame f) {
            Object o = f.s[slot];
            if (o == Frame.INT) return f.n[slot];
            if (o instanceof Long l) return l;
            return NotInt.unbox(eval(f));
        }

        @Override
        boolean yieldsUnboxed() {
            return true;
        }

        @Override
        public Object getRef(Frame f) {
            Object o = f.s[slot];
            if (o == Frame.INT) return f.n[slot];
            if (o instanceof Cell c) o = c.value;
            return o == null ? Unit.INSTANCE : o;
        }

        @Override
        public void assign(Frame f, Object v) {
            Object o = f.s[slot];
            if (o instanceof Cell c) c.value = v;
            else f.s[slot] = v;
        }

        @Override
        public String varName() {
            return name;
        }

        @Override
        public int slot() {
            return slot;
        }
    }

    /** A variable not declared in the script: looked up by name in the embedder's scope. */
    public static final class GlobalVar extends PlaceNode {
        public final String name;

        public GlobalVar(Position pos, String name) {
            super(pos);
            this.name = name;
        }

        // one search of the scope per read or write (a loop on a scope variable reads and writes it every turn)

        @Override
        public Object getRef(Frame f) {
            Ctx ctx = f.ctx;
            int i = ctx.scope == null ? -1 : ctx.scope.indexOf(name);
            if (i >= 0) return ctx.scope.valueAt(i);
            Object fp = fnPtrFor(ctx, name);
            if (fp != null) return fp;
            throw RhaiException.variableNotFound(name).at(pos);
        }

        @Override
        public void assign(Frame f, Object v) {
            Ctx ctx = f.ctx;
            int i = ctx.scope == null ? -1 : ctx.scope.indexOf(name);
            if (i < 0) throw RhaiException.variableNotFound(name).at(pos);
            if (ctx.scope.isConstantAt(i)) {
                throw new RhaiException(ErrorKind.ASSIGNMENT_TO_CONSTANT, "Cannot modify constant " + name, pos, null);
            }
            ctx.scope.setAt(i, v);
        }

        @Override
        public String varName() {
            return name;
        }
    }

    /** An undeclared variable inside a script function (functions cannot see outer variables). */
    public static final class MissingVar extends PlaceNode {
        final String name;

        public MissingVar(Position pos, String name) {
            super(pos);
            this.name = name;
        }

        @Override
        public Object getRef(Frame f) {
            SharedScope sh = f.ctx.sharedScope;
            if (sh != null) {
                SharedScope.Variable v = sh.find(name);
                if (v != null) return sh.read(v);
            }
            Object fp = fnPtrFor(f.ctx, name);
            if (fp != null) return fp;
            throw RhaiException.variableNotFound(name).at(pos);
        }

        @Override
        public void assign(Frame f, Object v) {
            SharedScope sh = f.ctx.sharedScope;
            if (sh != null) {
                SharedScope.Variable shared = sh.find(name);
                if (shared != null) {
                    sh.assign(shared, v);
                    return;
                }
            }
            throw RhaiException.variableNotFound(name).at(pos);
        }
    }

    /** {@code global::NAME}: a constant declared at the top level of the main script. */
    public static final class GlobalConst extends Node {
        final String name;

        public GlobalConst(Position pos, String name) {
            super(pos);
            this.name = name;
        }

        @Override
        public Object eval(Frame f) {
            Ctx ctx = f.ctx;
            if (ctx.program != null && ctx.mainFrame != null) {
                Integer slot = ctx.program.mainConsts.get(name);
                if (slot != null && ctx.mainFrame.s[slot] != null) return PlaceNode.copy(ctx.mainFrame.get(slot));
            }
            if (ctx.scope != null && ctx.scope.contains(name) && ctx.scope.isConstant(name)) {
                return PlaceNode.copy(ctx.scope.get(name));
            }
            throw RhaiException.variableNotFound("global::" + name).at(pos);
        }
    }

    public static final class ThisVar extends PlaceNode {
        public ThisVar(Position pos) {
            super(pos);
        }

        @Override
        public Object getRef(Frame f) {
            if (f.thisVal == null) throw new RhaiException(ErrorKind.UNBOUND_THIS, "'this' not bound", pos, null);
            return f.thisVal;
        }

        @Override
        public void assign(Frame f, Object v) {
            if (f.thisVal == null) throw new RhaiException(ErrorKind.UNBOUND_THIS, "'this' not bound", pos, null);
            f.thisVal = v;
        }
    }

    // ------------------------------------------------------------------ access chains

    /** Evaluates a node as a reference when it is a place, else as a value. */
    static Object ref(Node n, Frame f) {
        return n instanceof PlaceNode p ? p.getRef(f) : n.eval(f);
    }

    public static final class Index extends PlaceNode implements ChainLink {
        final Node base;
        final Node index;
        private final ChainGuard guard;
        /** Whether the index is asked for an unboxed INT (BOXED once it was not one, e.g. a map key). */
        private byte indexMode;

        public Node base() {
            return base;
        }

        public Index(Position pos, Node base, Node index, boolean nullSafe) {
            super(pos);
            this.base = base;
            this.index = index;
            this.guard = new ChainGuard(nullSafe);
        }

        @Override
        public ChainGuard guard() {
            return guard;
        }

        private byte indexMode() {
            byte m = indexMode;
            return m != UNDECIDED ? m : (indexMode = unboxedMode(index));
        }

        @Override
        public Object eval(Frame f) {
            Object b = ref(base, f);
            Object skipped = guard.skip(b);
            if (skipped != null) return skipped;
            if (b instanceof ArrayList<?> a && indexMode() == UNBOXED) {
                long k;
                try {
                    k = index.evalLong(f);
                } catch (NotInt e) {
                    indexMode = BOXED;
                    return copy(f, Indexing.get(f.ctx, b, e.value, pos));
                }
                if (k >= 0 && k < a.size()) return copy(f, a.get((int) k));
                return copy(f, Indexing.get(f.ctx, b, k, pos));
            }
            Object i = index.eval(f);
            if (b instanceof ArrayList<?> a && i instanceof Long l) {
                long k = l;
                if (k >= 0 && k < a.size()) return copy(f, a.get((int) k));
            }
            return copy(f, Indexing.get(f.ctx, b, i, pos));
        }

        @Override
        public Object getRef(Frame f) {
            Object b = ref(base, f);
            Object skipped = guard.skip(b);
            if (skipped != null) return skipped;
            return Indexing.get(f.ctx, b, index.eval(f), pos);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void assign(Frame f, Object v) {
            if (base instanceof LocalVar var && indexMode() == UNBOXED) {
                long k;
                try {
                    k = index.evalLong(f);
                } catch (NotInt e) {
                    indexMode = BOXED;
                    assignAt(f, e.value, v);
                    return;
                }
                // a[i] = v on a local array, INT index in range, plain element: no boxing of the index
                if (var.getRef(f) instanceof ArrayList<?> a && k >= 0 && k < a.size()
                        && !(v instanceof ArrayList || v instanceof TreeMap)) {
                    ((ArrayList<Object>) a).set((int) k, v);
                    return;
                }
                assignAt(f, k, v);
                return;
            }
            assignAt(f, index.eval(f), v);
        }

        @SuppressWarnings("unchecked")
        private void assignAt(Frame f, Object i, Object v) {
            if (base instanceof PlaceNode p) {
                Object b = p.getRef(f);
                if (guard.skipsAssignment(b)) return;
                if (v instanceof ArrayList || v instanceof TreeMap) f.ctx.noteStore(b, v);
                if (b instanceof ArrayList<?> a && i instanceof Long l) {
                    long k = l;
                    if (k >= 0 && k < a.size()) {
                        ((ArrayList<Object>) a).set((int) k, v);
                        return;
                    }
                }
                Object nb = Indexing.set(f.ctx, b, i, v, pos);
                if (nb != b) p.assign(f, nb);
            } else {
                Indexing.set(f.ctx, base.eval(f), i, v, pos);
            }
        }

        @Override
        public Object modify(Frame f, java.util.function.UnaryOperator<Object> fn) {
            Object i = index.eval(f);
            Object b = ref(base, f);
            Object nv = fn.apply(Indexing.get(f.ctx, b, i, pos));
            Object nb = Indexing.set(f.ctx, b, i, nv, pos);
            if (nb != b && base instanceof PlaceNode p) p.assign(f, nb);
            return nv;
        }
    }

    public static final class Prop extends PlaceNode implements ChainLink {
        final Node base;
        public final String name;
        private final ChainGuard guard;

        public Node base() {
            return base;
        }

        public Prop(Position pos, Node base, String name, boolean nullSafe) {
            super(pos);
            this.base = base;
            this.name = name;
            this.guard = new ChainGuard(nullSafe);
        }

        @Override
        public ChainGuard guard() {
            return guard;
        }

        @Override
        public Object getRef(Frame f) {
            Object b = ref(base, f);
            Object skipped = guard.skip(b);
            if (skipped != null) return skipped;
            return Indexing.getProp(f.ctx, b, name, pos);
        }

        @Override
        public void assign(Frame f, Object v) {
            Object b = ref(base, f);
            if (guard.skipsAssignment(b)) return;
            if (v instanceof ArrayList || v instanceof TreeMap) f.ctx.noteStore(b, v);
            Object nb = Indexing.setProp(f.ctx, b, name, v, pos);
            if (nb != b && base instanceof PlaceNode p) p.assign(f, nb);
        }

        @Override
        public Object modify(Frame f, java.util.function.UnaryOperator<Object> fn) {
            Object b = ref(base, f);
            Object nv = fn.apply(Indexing.getProp(f.ctx, b, name, pos));
            Object nb = Indexing.setProp(f.ctx, b, name, nv, pos);
            if (nb != b && base instanceof PlaceNode p) p.assign(f, nb);
            return nv;
        }
    }

    // ------------------------------------------------------------------ logic

    public static final class And extends Node {
        final Node l, r;

        public And(Position pos, Node l, Node r) {
            super(pos);
            this.l = l;
            this.r = r;
        }

        @Override
        public Object eval(Frame f) {
            return evalCondition(f);
        }

        @Override
        boolean evalCondition(Frame f) {
            return l.evalCondition(f) && r.evalCondition(f);
        }
    }

    public static final class Or extends Node {
        final Node l, r;

        public Or(Position pos, Node l, Node r) {
            super(pos);
            this.l = l;
            this.r = r;
        }

        @Override
        public Object eval(Frame f) {
            return evalCondition(f);
        }

        @Override
        boolean evalCondition(Frame f) {
            return l.evalCondition(f) || r.evalCondition(f);
        }
    }

    public static final class Coalesce extends Node {
        final Node l, r;

        public Coalesce(Position pos, Node l, Node r) {
            super(pos);
            this.l = l;
            this.r = r;
        }

        @Override
        public Object eval(Frame f) {
            Object v = l.eval(f);
            return v == Unit.INSTANCE ? r.eval(f) : v;
        }
    }

    public static final class In extends Node {
        final Node l, r;
        final boolean negate;

        public In(Position pos, Node l, Node r, boolean negate) {
            super(pos);
            this.l = l;
            this.r = r;
            this.negate = negate;
        }

        @Override
        public Object eval(Frame f) {
            Object item = l.eval(f);
            Object c = ref(r, f);
            return Ops.in(f.ctx, item, c, pos) != negate;
        }
    }

    public static final class Neg extends Node {
        final Node e;

        public Neg(Position pos, Node e) {
            super(pos);
            this.e = e;
        }

        @Override
        public Object eval(Frame f) {
            return Ops.negate(f.ctx, e.eval(f), pos);
        }
    }

    public static final class UPlus extends Node {
        final Node e;

        public UPlus(Position pos, Node e) {
            super(pos);
            this.e = e;
        }

        @Override
        public Object eval(Frame f) {
            return Ops.plus(f.ctx, e.eval(f), pos);
        }
    }

    public static final class Not extends Node {
        final Node e;

        public Not(Position pos, Node e) {
            super(pos);
            this.e = e;
        }

        @Override
        public Object eval(Frame f) {
            Object v = e.eval(f);
            if (v instanceof Boolean b) return !b;
            return Ops.not(f.ctx, v, pos);
        }

        @Override
        boolean evalCondition(Frame f) {
            Object v = e.eval(f);
            if (v instanceof Boolean b) return !b;
            return bool(Ops.not(f.ctx, v, pos), pos);
        }
    }

    // ------------------------------------------------------------------ binary operators

    /** Generic binary operator (slow path used by all specialised ones). */
    public static class Binary extends Node {
        public final String op;
        final Node l, r;

        public Binary(Position pos, String op, Node l, Node r) {
            super(pos);
            this.op = op;
            this.l = l;
            this.r = r;
        }

        @Override
        public Object eval(Frame f) {
            return Ops.binary(f.ctx, op, l.eval(f), r.eval(f), pos);
        }

        final Object slow(Frame f, Object a, Object b) {
            return Ops.binary(f.ctx, op, a, b, pos);
        }
    }

    /**
     * {@code + - * / %} with an INT fast path: the operands are asked for unboxed INTs ({@link Node#evalLong}), so
     * {@code n - 1} or {@code i * 2 + 1} allocate nothing until a boxed result is needed. The first operand that is
     * not an INT switches this node to the boxed path for good (mixed or non-INT arithmetic pays no exceptions).
     */
    public abstract static class Arith extends Binary {
        static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MOD = 4;
        private final int code;
        /** Set once an operand was not an INT: evaluate boxed from then on (benign race: only speed depends on it). */
        private boolean generic;

        Arith(Position pos, String op, int code, Node l, Node r) {
            super(pos, op, l, r);
            this.code = code;
        }

        @Override
        public Object eval(Frame f) {
            if (!generic) {
                try {
                    return evalLong(f);
                } catch (NotInt e) {
                    return e.value;
                }
            }
            Object a = l.eval(f), b = r.eval(f);
            if (a instanceof Long x && b instanceof Long y) return ints(f, x, y);
            return slow(f, a, b);
        }

        @Override
        public long evalLong(Frame f) {
            if (generic) return NotInt.unbox(eval(f));
            long a;
            try {
                a = l.evalLong(f);
            } catch (NotInt e) {
                generic = true;
                return NotInt.unbox(slow(f, e.value, r.eval(f)));
            }
            long b;
            try {
                b = r.evalLong(f);
            } catch (NotInt e) {
                generic = true;
                return NotInt.unbox(slow(f, a, e.value));
            }
            return ints(f, a, b);
        }

        @Override
        boolean yieldsUnboxed() {
            return !generic;
        }

        /** The operator on two INTs; overflow, a zero or negative divisor etc. take the generic rules (errors). */
        private long ints(Frame f, long p, long q) {
            switch (code) {
                case ADD -> {
                    long s = p + q;
                    if (((p ^ s) & (q ^ s)) >= 0) return s;
                }
                case SUB -> {
                    long s = p - q;
                    if (((p ^ q) & (p ^ s)) >= 0) return s;
                }
                case MUL -> {
                    long s = p * q;
                    if (Math.multiplyHigh(p, q) == (s >> 63)) return s;
                }
                case DIV -> {
                    if (q > 0) return p / q;
                }
                default -> {
                    if (q > 0) return p % q;
                }
            }
            return NotInt.unbox(slow(f, p, q));
        }
    }

    public static final class Add extends Arith {
        public Add(Position pos, Node l, Node r) {
            super(pos, "+", ADD, l, r);
        }
    }

    public static final class Sub extends Arith {
        public Sub(Position pos, Node l, Node r) {
            super(pos, "-", SUB, l, r);
        }
    }

    public static final class Mul extends Arith {
        public Mul(Position pos, Node l, Node r) {
            super(pos, "*", MUL, l, r);
        }
    }

    public static final class Div extends Arith {
        public Div(Position pos, Node l, Node r) {
            super(pos, "/", DIV, l, r);
        }
    }

    public static final class Mod extends Arith {
        public Mod(Position pos, Node l, Node r) {
            super(pos, "%", MOD, l, r);
        }
    }

    /**
     * {@code == != < <= > >=}, with the same INT fast path as {@link Arith}; the result is one of the two canonical
     * {@code Boolean}s, so conditions built on it allocate nothing.
     */
    public abstract static class Compare extends Binary {
        static final int EQ = 0, NE = 1, LT = 2, LE = 3, GT = 4, GE = 5;
        final int code;
        private boolean generic;

        Compare(Position pos, String op, int code, Node l, Node r) {
            super(pos, op, l, r);
            this.code = code;
        }

        static boolean test(int code, long a, long b) {
            return switch (code) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                default -> a >= b;
            };
        }

        @Override
        public Object eval(Frame f) {
            if (!generic) {
                long a;
                try {
                    a = l.evalLong(f);
                } catch (NotInt e) {
                    generic = true;
                    return boxed(f, e.value, r.eval(f));
                }
                long b;
                try {
                    b = r.evalLong(f);
                } catch (NotInt e) {
                    generic = true;
                    return boxed(f, a, e.value);
                }
                return test(code, a, b);
            }
            return boxed(f, l.eval(f), r.eval(f));
        }

        private Object boxed(Frame f, Object a, Object b) {
            if (a instanceof Long x && b instanceof Long y) return test(code, x, y);
            if (code <= NE && a instanceof String x && b instanceof String y) return x.equals(y) == (code == EQ);
            return slow(f, a, b);
        }
    }

    public static final class Eq extends Compare {
        public Eq(Position pos, Node l, Node r) {
            super(pos, "==", EQ, l, r);
        }
    }

    public static final class Ne extends Compare {
        public Ne(Position pos, Node l, Node r) {
            super(pos, "!=", NE, l, r);
        }
    }

    public static final class Lt extends Compare {
        public Lt(Position pos, Node l, Node r) {
            super(pos, "<", LT, l, r);
        }
    }

    public static final class Le extends Compare {
        public Le(Position pos, Node l, Node r) {
            super(pos, "<=", LE, l, r);
        }
    }

    public static final class Gt extends Compare {
        public Gt(Position pos, Node l, Node r) {
            super(pos, ">", GT, l, r);
        }
    }

    public static final class Ge extends Compare {
        public Ge(Position pos, Node l, Node r) {
            super(pos, ">=", GE, l, r);
        }
    }

    /**
     * {@code x < 10}, {@code n == 0} …: a local variable compared with an INT literal in one node (the commonest
     * loop and recursion condition), reading the unboxed slot directly. Anything else goes to the plain node.
     */
    static final class LocalCompare extends Node {
        private final LocalVar var;
        private final Compare plain;
        /**
         * Every comparison with a literal is a range test: {@code x < k} is x in [MIN, k - 1], {@code x == k} is x
         * in [k, k], {@code x != k} its negation…, tested as one unsigned compare of x - lo against hi - lo (no
         * switch on the operator in the hot path).
         */
        private final long lo, span;
        private final boolean negate;

        LocalCompare(Compare plain, LocalVar var, long k) {
            super(plain.pos);
            this.var = var;
            this.plain = plain;
            long lo = Long.MIN_VALUE, hi = Long.MAX_VALUE;
            boolean never = false;
            switch (plain.code) {
                case Compare.LT -> { never = k == Long.MIN_VALUE; hi = k - 1; }
                case Compare.LE -> hi = k;
                case Compare.GT -> { never = k == Long.MAX_VALUE; lo = k + 1; }
                case Compare.GE -> lo = k;
                default -> { lo = k; hi = k; } // EQ, NE
            }
            // "never": the full range, negated
            this.lo = never ? Long.MIN_VALUE : lo;
            this.span = never ? -1 : hi - lo;
            this.negate = never || plain.code == Compare.NE;
        }

        private boolean test(long x) {
            return (Long.compareUnsigned(x - lo, span) <= 0) != negate;
        }

        @Override
        public Object eval(Frame f) {
            int slot = var.slot;
            if (f.s[slot] == Frame.INT) return test(f.n[slot]);
            return plain.eval(f);
        }

        @Override
        boolean evalCondition(Frame f) {
            int slot = var.slot;
            if (f.s[slot] == Frame.INT) return test(f.n[slot]);
            return plain.evalCondition(f);
        }
    }

    /**
     * {@code n - 1}, {@code i + 2}: a local variable plus or minus an INT literal in one node, on the unboxed slot.
     * Overflow and non-INT values go to the plain node (same errors).
     */
    static final class LocalOffset extends Node {
        final LocalVar var;
        private final long k;
        private final Arith plain;

        /** {@code delta} is the literal for {@code +}, its negation for {@code -} (never Long.MIN_VALUE). */
        LocalOffset(Arith plain, LocalVar var, long delta) {
            super(plain.pos);
            this.var = var;
            this.k = delta;
            this.plain = plain;
        }

        @Override
        public Object eval(Frame f) {
            int slot = var.slot;
            if (f.s[slot] == Frame.INT) {
                long p = f.n[slot], s = p + k;
                if (((p ^ s) & (k ^ s)) >= 0) return s;
            }
            return plain.eval(f);
        }

        @Override
        public long evalLong(Frame f) {
            int slot = var.slot;
            if (f.s[slot] == Frame.INT) {
                long p = f.n[slot], s = p + k;
                if (((p ^ s) & (k ^ s)) >= 0) return s;
            }
            return plain.evalLong(f);
        }

        @Override
        boolean yieldsUnboxed() {
            return true;
        }
    }

    /** Creates the specialised node for a binary operator. */
    public static Node binary(Position pos, String op, Node l, Node r) {
        return switch (op) {
            case "+" -> local(new Add(pos, l, r));
            case "-" -> local(new Sub(pos, l, r));
            case "*" -> new Mul(pos, l, r);
            case "/" -> new Div(pos, l, r);
            case "%" -> new Mod(pos, l, r);
            case "==" -> local(new Eq(pos, l, r));
            case "!=" -> local(new Ne(pos, l, r));
            case "<" -> local(new Lt(pos, l, r));
            case "<=" -> local(new Le(pos, l, r));
            case ">" -> local(new Gt(pos, l, r));
            case ">=" -> local(new Ge(pos, l, r));
            case "&&" -> new And(pos, l, r);
            case "||" -> new Or(pos, l, r);
            case "??" -> new Coalesce(pos, l, r);
            case "in" -> new In(pos, l, r, false);
            case "!in" -> new In(pos, l, r, true);
            default -> new Binary(pos, op, l, r);
        };
    }

    /** The literal of an INT constant node, or null. */
    private static Long intLiteral(Node n) {
        return n instanceof Const c && c.value instanceof Long l ? l : null;
    }

    private static Node local(Compare c) {
        Long k = intLiteral(c.r);
        return c.l instanceof LocalVar v && k != null ? new LocalCompare(c, v, k) : c;
    }

    private static Node local(Arith a) {
        Long k = intLiteral(a.r);
        if (!(a.l instanceof LocalVar v) || k == null) return a;
        if (a instanceof Add) return new LocalOffset(a, v, k);
        return k == Long.MIN_VALUE ? a : new LocalOffset(a, v, -k);
    }
}
