package io.circles.rhai.ast;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.eval.Ctx;
import io.circles.rhai.eval.Frame;
import io.circles.rhai.eval.Module;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

/** import / namespaced access nodes. */
public final class Modules {
    private Modules() {
    }

    public static final class Import extends Node {
        final Node path;
        final int slot;

        public Import(Position pos, Node path, int slot) {
            super(pos);
            this.path = path;
            this.slot = slot;
        }

        @Override
        public Object eval(Frame f) {
            Object p = path.eval(f);
            if (!(p instanceof String s)) throw RhaiException.mismatchDataType("string", Values.typeName(p)).at(path.pos);
            Ctx ctx = f.ctx;
            if (ctx.limits.maxModules() > 0 && ++ctx.modules > ctx.limits.maxModules()) {
                throw new RhaiException(ErrorKind.TOO_MANY_MODULES, "Too many modules imported", pos, null);
            }
            Module m = ctx.services.loadModule(ctx, s, pos);
            if (slot >= 0) f.s[slot] = m;
            return Unit.INSTANCE;
        }
    }

    /**
     * Where a namespaced name lives: the module imported as {@code alias} (its slot, or -1 to look it up among
     * the main script's imports and the engine's static modules), then its sub-modules in order.
     */
    public record Path(int slot, String alias, String[] subModules) {
        Module resolve(Frame f, Position pos) {
            Module m = root(f, pos);
            StringBuilder seen = new StringBuilder(alias);
            for (String name : subModules) {
                seen.append("::").append(name);
                m = m.subModule(name);
                if (m == null) throw new RhaiException(ErrorKind.MODULE_NOT_FOUND, "Module not found: " + seen, pos, null);
            }
            return m;
        }

        String qualified(String name) {
            return alias + (subModules.length == 0 ? "" : "::" + String.join("::", subModules)) + "::" + name;
        }

        private Module root(Frame f, Position pos) {
            Object m = slot >= 0 ? f.get(slot) : null;
            if (m instanceof Module mod) return mod;
            io.circles.rhai.eval.Ctx ctx = f.ctx;
            if (ctx.program != null && ctx.mainFrame != null) {
                Integer s = ctx.program.mainConsts.get("::" + alias);
                if (s != null && ctx.mainFrame.get(s) instanceof Module gm) return gm;
            }
            Module reg = f.ctx.services.staticModule(alias);
            if (reg != null) return reg;
            throw new RhaiException(ErrorKind.MODULE_NOT_FOUND, "Module not found: " + alias, pos, null);
        }
    }

    public static final class NsCall extends Node {
        final Path path;
        final String name;
        final Node[] args;

        public NsCall(Position pos, Path path, String name, Node[] args) {
            super(pos);
            this.path = path;
            this.name = name;
            this.args = args;
        }

        @Override
        public Object eval(Frame f) {
            Module m = path.resolve(f, pos);
            Object[] argv = new Object[args.length];
            for (int i = 0; i < argv.length; i++) argv[i] = args[i].eval(f);
            return m.call(f.ctx, name, argv, pos);
        }
    }

    public static final class NsVar extends Node {
        final Path path;
        final String name;

        public NsVar(Position pos, Path path, String name) {
            super(pos);
            this.path = path;
            this.name = name;
        }

        @Override
        public Object eval(Frame f) {
            Module m = path.resolve(f, pos);
            Object v = m.variables().get(name);
            if (v == null) throw RhaiException.variableNotFound(path.qualified(name)).at(pos);
            return PlaceNode.copy(v);
        }
    }
}
