package io.circles.rhai.eval;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.FnPtr;
import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.util.Arrays;

/** Core language functions: type_of, print, debug, Fn, call, curry, is_def_fn, is_def_var, ... */
public final class Builtins implements Package {
    @Override
    public void register(FunctionRegistry r) {
        r.register("type_of", (ctx, a) -> Values.typeName(a[0]), Object.class);
        r.register("print", (ctx, a) -> {
            ctx.print(a[0] instanceof String s ? s : Ops.display((Ctx) ctx, a[0]));
            return Unit.INSTANCE;
        }, Object.class);
        r.register("debug", (ctx, a) -> {
            Ctx c = (Ctx) ctx;
            io.circles.rhai.func.FunctionTable.Overload o = c.natives.resolve("to_debug", new Object[] {a[0]});
            if (o != null && o.params[0] != Object.class) {
                ctx.debug(Values.toDisplay(c.callNative(o, new Object[] {a[0]}, true, c.position())));
            } else {
                ctx.debug(Values.toDebug(a[0]));
            }
            return Unit.INSTANCE;
        }, Object.class);
        r.register("to_string", (ctx, a) -> Ops.display((Ctx) ctx, a[0]), Object.class);
        r.register("to_debug", (ctx, a) -> Values.toDebug(a[0]), Object.class);
        r.register("Fn", (ctx, a) -> makeFn((String) a[0]), String.class);
        r.register("get_fn_metadata_list", (ctx, a) -> FnMetadata.list((Ctx) ctx, null, -1));
        r.register("get_fn_metadata_list", (ctx, a) -> FnMetadata.list((Ctx) ctx, (String) a[0], -1), String.class);
        r.register("get_fn_metadata_list", (ctx, a) -> (Long) a[1] < 0 ? new java.util.ArrayList<>()
                : FnMetadata.list((Ctx) ctx, (String) a[0], (Long) a[1]), String.class, Long.class);
        r.register("is_shared", (ctx, a) -> false, Object.class);
        r.register("exit", (ctx, a) -> {
            throw new ControlFlow.Exit(Unit.INSTANCE);
        });
        r.register("exit", (ctx, a) -> {
            throw new ControlFlow.Exit(a[0]);
        }, Object.class);
        r.register("is_def_fn", (ctx, a) -> isDefFn((Ctx) ctx, (String) a[0], (Long) a[1]), String.class, Long.class);
        r.register("is_def_fn", (ctx, a) -> ((Ctx) ctx).scriptFns.containsKey(
                ScriptFn.typedPrefix((String) a[0]) + a[1] + "/" + a[2]), String.class, String.class, Long.class);
        r.register("is_def_var", (ctx, a) -> {
            Ctx c = (Ctx) ctx;
            return c.scope != null && c.scope.contains((String) a[0]);
        }, String.class);
        r.register("name", (ctx, a) -> ((FnPtr) a[0]).name(), FnPtr.class);
        r.register("get$name", (ctx, a) -> ((FnPtr) a[0]).name(), FnPtr.class);
        r.register("is_anonymous", (ctx, a) -> ((FnPtr) a[0]).isAnonymous(), FnPtr.class);
        r.register("get$is_anonymous", (ctx, a) -> ((FnPtr) a[0]).isAnonymous(), FnPtr.class);
    }

    static FnPtr makeFn(String name) {
        if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')
                || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_' || ch == '$')) {
            throw RhaiException.of(ErrorKind.FUNCTION_NOT_FOUND, "Function not found: " + name);
        }
        return new FnPtr(name);
    }

    static boolean isDefFn(Ctx ctx, String name, long arity) {
        return ctx.scriptFns.containsKey(name + '/' + arity);
    }

    /** Variadic / context-dependent built-ins; returns null when {@code name} is not one of them. */
    public static Object tryCall(Ctx ctx, String name, Object[] args, boolean method, Position pos, Frame f) {
        switch (name) {
            case "call":
                if (args.length >= 1 && args[0] instanceof FnPtr fp) {
                    return ctx.callFnPtr(fp, null, Arrays.copyOfRange(args, 1, args.length), pos);
                }
                if (method && args.length >= 2 && args[1] instanceof FnPtr fp) {
                    Object[] ref = {args[0]};
                    Object r = ctx.callFnPtr(fp, ref, Arrays.copyOfRange(args, 2, args.length), pos);
                    args[0] = ref[0];
                    return r;
                }
                return null;
            case "curry":
                if (args.length >= 1 && args[0] instanceof FnPtr fp) {
                    return fp.curry(Arrays.asList(Arrays.copyOfRange(args, 1, args.length)));
                }
                return null;
            case "is_def_fn":
                if (args.length == 1 && args[0] instanceof String s) {
                    for (String k : ctx.scriptFns.keySet()) {
                        if (k.startsWith(s + "/")) return true;
                    }
                    return false;
                }
                return null;
            case "eval":
                if (args.length == 1 && args[0] instanceof String s) {
                    return ctx.services.runNested(ctx, ctx.services.compileForEval(s, pos), ctx.scope, pos);
                }
                return null;
            default:
                return null;
        }
    }
}
