package io.circles.rhai.ast;

import io.circles.rhai.eval.SharedScope;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.eval.Builtins;
import io.circles.rhai.eval.Ctx;
import io.circles.rhai.eval.Frame;
import io.circles.rhai.eval.NotInt;
import io.circles.rhai.eval.ScriptFn;
import io.circles.rhai.func.FunctionTable;
import io.circles.rhai.func.NonPureMethods;
import io.circles.rhai.types.FnPtr;
import io.circles.rhai.types.Unit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeMap;

/** Function and method call nodes (call sites cache their resolution). */
public final class Calls {
    private Calls() {
    }

    /** {@code name(args)}. Script functions are linked after parsing; natives are cached per call site. */
    public static final class FnCall extends Node {
        public final String name;
        final Node[] args;
        /** Linked script function (set once after parsing) or null. */
        public ScriptFn script;
        /** Slot of a local variable with the same name (for calling a function pointer held in it), or -1. */
        public final int varSlot;
        /** Whether the first argument (a variable) is passed by reference (not for constants). */
        public boolean firstByRef = true;
        /**
         * Set by the parser when the arguments contain no call: then a script function runs in the caller frame's
         * reusable {@link Frame#callee} frame, filled while the arguments are evaluated (no call can need it
         * meanwhile); otherwise in a frame claimed from the evaluation's stack of frames.
         */
        public boolean argsCallFree;
        /** Inline cache: last resolved overload and the engine table it came from (immutable pair). */
        private CacheEntry cache;
        /**
         * Arguments passed as unboxed INTs: those that compute INTs, until one turns out not to be an INT (set up
         * at the first call, when calls in the arguments have been linked).
         */
        private boolean[] unboxedArgs;

        public FnCall(Position pos, String name, Node[] args, int varSlot) {
            super(pos);
            this.name = name;
            this.args = args;
            this.varSlot = varSlot;
        }

        public int arity() {
            return args.length;
        }

        /** Evaluates argument {@code i} into slot {@code i} of the callee's frame (unboxed while it is an INT). */
        private void passArg(int i, Frame f, Frame nf) {
            Node arg = args[i];
            boolean[] unboxed = unboxedArgs;
            if (unboxed == null) unboxedArgs = unboxed = unboxedArgs();
            if (unboxed[i]) {
                try {
                    nf.defineInt(i, arg.evalLong(f));
                } catch (NotInt e) {
                    unboxedArgs[i] = false;
                    nf.define(i, e.value);
                }
                return;
            }
            nf.define(i, arg.eval(f));
        }

        private boolean[] unboxedArgs() {
            boolean[] unboxed = new boolean[args.length];
            for (int i = 0; i < args.length; i++) unboxed[i] = args[i].yieldsUnboxed();
            return unboxed;
        }

        @Override
        public Object eval(Frame f) {
            ScriptFn sf = script;
            return sf != null ? callScript(f, sf) : callOther(f);
        }

        /** A script function's INT result stays unboxed (see {@link Ctx#invokeLong}). */
        @Override
        public long evalLong(Frame f) {
            ScriptFn sf = script;
            if (sf == null) return NotInt.unbox(callOther(f));
            Ctx ctx = f.ctx;
            int size = sf.frameSize;
            boolean linked = argsCallFree;
            Frame nf = linked ? f.callee(size) : ctx.claim(size);
            try {
                for (int i = 0, n = args.length; i < n; i++) passArg(i, f, nf);
                return ctx.invokeLong(sf, nf, pos);
            } finally {
                if (linked) nf.clear(size);
                else ctx.release(nf, size);
            }
        }

        @Override
        boolean yieldsUnboxed() {
            return script != null;
        }

        /** A call to a script function: kept small so the JIT can inline it into its callers. */
        private Object callScript(Frame f, ScriptFn sf) {
            // arguments straight into the callee's (reused) frame, INTs unboxed
            Ctx ctx = f.ctx;
            int size = sf.frameSize;
            boolean linked = argsCallFree;
            Frame nf = linked ? f.callee(size) : ctx.claim(size);
            try {
                for (int i = 0, n = args.length; i < n; i++) passArg(i, f, nf);
                return ctx.invoke(sf, nf, pos);
            } finally {
                if (linked) nf.clear(size);
                else ctx.release(nf, size);
            }
        }

        /** A native function, a function pointer held in a variable, or a built-in. */
        private Object callOther(Frame f) {
            Ctx ctx = f.ctx;
            Node[] a = args;
            int n = a.length;
            Object[] argv = new Object[n];
            PlaceNode first = firstByRef && n > 0 && a[0] instanceof PlaceNode p ? p : null;
            if (first != null) {
                argv[0] = first.getRef(f);
                for (int i = 1; i < n; i++) argv[i] = a[i].eval(f);
            } else {
                for (int i = 0; i < n; i++) argv[i] = a[i].eval(f);
            }
            CacheEntry ce = cache;
            FunctionTable.Overload o = ce != null && ce.table() == ctx.natives ? ce.overload() : null;
            if (o == null || !o.matches(argv)) {
                o = ctx.natives.resolve(name, argv);
                if (o != null) cache = new CacheEntry(ctx.natives, o);
            }
            if (o != null) {
                Object orig = n > 0 ? argv[0] : null;
                Object r = ctx.callNative(o, argv, false, pos);
                if ((orig instanceof ArrayList || orig instanceof TreeMap) && hasContainerArg(argv)) ctx.noteGrowth(orig, argv);
                if (first != null) {
                    if (argv[0] != orig) first.assign(f, argv[0]);
                    if (r == orig || r == argv[0]) r = PlaceNode.copy(r);
                }
                return r;
            }
            if (first != null) argv[0] = PlaceNode.copy(argv[0]);
            if (varSlot >= 0 && f.get(varSlot) instanceof FnPtr fp) {
                return ctx.callFnPtr(fp, null, argv, pos);
            }
            Object r = Builtins.tryCall(ctx, name, argv, false, pos, f);
            if (r != null) return r;
            throw RhaiException.functionNotFound(Ctx.signature(name, argv)).at(pos);
        }
    }

    /** {@code target.name(args)}: {@code this} is bound to the target, written back when changed. */
    public static final class MethodCall extends Node implements ChainLink {
        final Node target;
        public final String name;
        final Node[] args;
        private final ChainGuard guard;
        private boolean constantReceiver;
        public ScriptFn script;
        /** Inline cache: last resolved overload and the engine table it came from (immutable pair). */
        private CacheEntry cache;

        public MethodCall(Position pos, Node target, String name, Node[] args, boolean nullSafe) {
            super(pos);
            this.target = target;
            this.name = name;
            this.args = args;
            this.guard = new ChainGuard(nullSafe);
        }

        @Override
        public ChainGuard guard() {
            return guard;
        }

        public int arity() {
            return args.length;
        }

        /** The receiver is a constant (or part of one): methods that change their receiver are refused. */
        public void markConstantReceiver() {
            this.constantReceiver = true;
        }

        @Override
        public Object eval(Frame f) {
            Ctx ctx = f.ctx;
            PlaceNode place = target instanceof PlaceNode p ? p : null;
            Object recv = place != null ? place.getRef(f) : target.eval(f);
            Object skipped = guard.skip(recv);
            if (skipped != null) return skipped;
            int n = args.length;
            Object[] all = new Object[n + 1];
            all[0] = recv;
            for (int i = 0; i < n; i++) all[i + 1] = args[i].eval(f);

            if (recv instanceof FnPtr fp) {
                if (name.equals("call")) return ctx.callFnPtr(fp, null, Arrays.copyOfRange(all, 1, n + 1), pos);
                if (name.equals("curry")) return fp.curry(Arrays.asList(Arrays.copyOfRange(all, 1, n + 1)));
            }
            if (recv instanceof TreeMap<?, ?> m && m.get(name) instanceof FnPtr fp) {
                Object[] ref = {recv};
                return ctx.callFnPtr(fp, ref, Arrays.copyOfRange(all, 1, n + 1), pos);
            }
            ScriptFn sf = script;
            if (ctx.program != null && ctx.program.hasTypedMethods) {
                ScriptFn typed = ctx.scriptFns.get(ScriptFn.typedPrefix(io.circles.rhai.types.Values.typeName(recv))
                        + name + "/" + n);
                if (typed != null) sf = typed;
            }
            if (sf != null) {
                // arguments straight into the callee's (reused) frame, `this` bound to the receiver
                // the arguments are all evaluated: the caller frame's reusable callee frame is free
                int size = sf.frameSize;
                Frame nf = f.callee(size);
                Object r;
                Object newThis;
                try {
                    System.arraycopy(all, 1, nf.s, 0, n);
                    nf.thisVal = recv;
                    r = ctx.invoke(sf, nf, pos);
                    newThis = nf.thisVal;
                } finally {
                    nf.clear(size);
                }
                if (place != null && newThis != recv) place.assign(f, newThis);
                return r;
            }
            CacheEntry ce = cache;
            FunctionTable.Overload o = ce != null && ce.table() == ctx.natives ? ce.overload() : null;
            if (o == null || !o.matches(all)) {
                o = ctx.natives.resolve(name, all);
                if (o != null) cache = new CacheEntry(ctx.natives, o);
            }
            if (o != null) {
                if (constantReceiver && NonPureMethods.changesReceiver(name)) {
                    throw new RhaiException(ErrorKind.NON_PURE_METHOD_ON_CONSTANT,
                            "Non-pure method '" + name + "' cannot be called on constant", pos, null);
                }
                Object r = ctx.callNative(o, all, true, pos);
                if ((recv instanceof ArrayList || recv instanceof TreeMap) && hasContainerArg(all)) ctx.noteGrowth(recv, all);
                if (all[0] != recv && place != null) place.assign(f, all[0]);
                if (r == recv || r == all[0]) r = PlaceNode.copy(r);
                return r;
            }
            Object r = Builtins.tryCall(ctx, name, all, true, pos, f);
            if (r != null) {
                if (all[0] != recv && place != null) place.assign(f, all[0]);
                return r;
            }
            throw RhaiException.functionNotFound(Ctx.signature(name, all)).at(pos);
        }
    }

    /** A call site's cached native resolution. */
    record CacheEntry(FunctionTable table, FunctionTable.Overload overload) {
    }

    static boolean hasContainerArg(Object[] args) {
        for (int i = 1; i < args.length; i++) {
            if (args[i] instanceof ArrayList || args[i] instanceof TreeMap) return true;
        }
        return false;
    }

    /** {@code eval(script)}: runs a script in the caller's scope (when the engine enables eval). */
    public static final class EvalCall extends Node {
        final Node script;
        final Nodes.LocalVar[] visible;
        final boolean topLevel;
        final boolean inMain;

        public EvalCall(Position pos, Node script, Nodes.LocalVar[] visible, boolean topLevel, boolean inMain) {
            super(pos);
            this.script = script;
            this.visible = visible;
            this.topLevel = topLevel;
            this.inMain = inMain;
        }

        @Override
        public Object eval(Frame f) {
            Object src = script.eval(f);
            if (!(src instanceof String s)) {
                throw RhaiException.functionNotFound(Ctx.signature("eval", new Object[] {src})).at(pos);
            }
            Ctx ctx = f.ctx;
            io.circles.rhai.types.Scope sc = new io.circles.rhai.types.Scope();
            if (ctx.scope != null) {
                for (String n : ctx.scope.names()) {
                    if (ctx.scope.isConstant(n)) sc.pushConstant(n, ctx.scope.get(n));
                    else sc.push(n, ctx.scope.get(n));
                }
            }
            int base = sc.size();
            Object[] before = new Object[visible.length];
            for (int i = 0; i < visible.length; i++) {
                before[i] = visible[i].getRef(f);
                sc.push(visible[i].name, before[i]);
            }
            io.circles.rhai.eval.Program prog = ctx.services.compileForEval(s, pos);
            java.util.Set<String> declared = new java.util.HashSet<>();
            for (io.circles.rhai.eval.Program.TopVar tv : prog.topVars) declared.add(tv.name());
            Object r = ctx.services.runNested(ctx, prog, sc, pos);
            for (int i = 0; i < visible.length; i++) {
                String n = visible[i].name;
                if (declared.contains(n) && !topLevel) continue;
                Object now = sc.get(n);
                if (now != before[i]) visible[i].assign(f, now);
            }
            if (inMain && topLevel && ctx.scope != null) {
                for (io.circles.rhai.eval.Program.TopVar tv : prog.topVars) {
                    boolean known = false;
                    for (Nodes.LocalVar v : visible) known |= v.name.equals(tv.name());
                    if (!known) ctx.scope.define(tv.name(), sc.get(tv.name()), tv.isConst());
                }
            }
            return r;
        }
    }

    /** {@code name!(args)}: the called script function can read and assign the caller's variables. */
    public static final class SharedScopeCall extends Node {
        final String name;
        final Node[] args;
        final Nodes.LocalVar[] visible;

        public SharedScopeCall(Position pos, String name, Node[] args, Nodes.LocalVar[] visible) {
            super(pos);
            this.name = name;
            this.args = args;
            this.visible = visible;
        }

        @Override
        public Object eval(Frame f) {
            Ctx ctx = f.ctx;
            Object[] argv = new Object[args.length];
            for (int i = 0; i < argv.length; i++) argv[i] = args[i].eval(f);
            String fnName = name;
            if (name.equals("call") && argv.length > 0 && argv[0] instanceof FnPtr fp && fp.closure() == null) {
                // call!(fn_ptr, args…): the pointed-to function shares the caller's variables
                fnName = fp.name();
                Object[] rest = Arrays.copyOfRange(argv, 1, argv.length);
                argv = new Object[fp.curried().size() + rest.length];
                for (int i = 0; i < fp.curried().size(); i++) argv[i] = fp.curried().get(i);
                System.arraycopy(rest, 0, argv, fp.curried().size(), rest.length);
            }
            return callShared(ctx, f, fnName, argv);
        }

        private Object callShared(Ctx ctx, Frame f, String fnName, Object[] argv) {
            ScriptFn sf = ctx.scriptFns.get(fnName + "/" + argv.length);
            if (sf == null) throw RhaiException.functionNotFound(Ctx.signature(fnName, argv)).at(pos);
            ctx.pendingShared = new SharedScope(f, visible);
            return ctx.callScript(sf, null, argv, null, pos);
        }
    }

    /** {@code is_def_var(expr)} with a computed name: the variables visible at the call site, then the scope. */
    public static final class DefVarCheck extends Node {
        final Node name;
        final java.util.Set<String> visible;

        public DefVarCheck(Position pos, Node name, java.util.Set<String> visible) {
            super(pos);
            this.name = name;
            this.visible = visible;
        }

        @Override
        public Object eval(Frame f) {
            Object n = name.eval(f);
            if (!(n instanceof String s)) {
                throw RhaiException.functionNotFound(Ctx.signature("is_def_var", new Object[] {n})).at(pos);
            }
            return visible.contains(s) || (f.ctx.scope != null && f.ctx.scope.contains(s));
        }
    }

    /** {@code is_shared(x)}: whether a closure captured the variable. */
    public static final class IsShared extends Node {
        final Nodes.LocalVar var;

        public IsShared(Position pos, Nodes.LocalVar var) {
            super(pos);
            this.var = var;
        }

        @Override
        public Object eval(Frame f) {
            return f.s[var.slot] instanceof io.circles.rhai.eval.Cell;
        }
    }

    /** {@code is_def_var("x")} with a literal name, resolved at parse time when the variable is local. */
    public static final class KnownVar extends Node {
        final boolean local;
        final String name;

        public KnownVar(Position pos, boolean local, String name) {
            super(pos);
            this.local = local;
            this.name = name;
        }

        @Override
        public Object eval(Frame f) {
            return local || (f.ctx.scope != null && f.ctx.scope.contains(name));
        }
    }
}
