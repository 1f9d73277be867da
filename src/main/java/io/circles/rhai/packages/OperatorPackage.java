package io.circles.rhai.packages;

import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.NativeFunction;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.Unit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.TreeMap;

/**
 * Operator overloads of the reference engine's built-in operator table for non-numeric types
 * (the core's own operator fast paths take precedence; these are found when it falls back to functions):
 * string minus, array/BLOB/map compound assignment, BLOB concatenation, map merge.
 */
public final class OperatorPackage implements Package {
    private static final Class<?> S = String.class;
    private static final Class<?> C = RChar.class;
    private static final Class<?> A = ArrayList.class;
    private static final Class<?> B = Blob.class;
    private static final Class<?> M = TreeMap.class;
    private static final Class<?> O = Object.class;
    private static final Object UNIT = Unit.INSTANCE;

    @SuppressWarnings("unchecked")
    private static ArrayList<Object> arr(Object o) {
        return (ArrayList<Object>) o;
    }

    @Override
    public void register(FunctionRegistry r) {
        // string - string / string - char: remove all occurrences
        r.register("-", (ctx, a) -> ((String) a[0]).replace((String) a[1], ""), S, S);
        r.register("-", (ctx, a) -> ((String) a[0]).replace(a[1].toString(), ""), S, C);
        r.register("-=", (ctx, a) -> {
            a[0] = ((String) a[0]).replace((String) a[1], "");
            return UNIT;
        }, S, S);
        r.register("-=", (ctx, a) -> {
            a[0] = ((String) a[0]).replace(a[1].toString(), "");
            return UNIT;
        }, S, C);

        // array += item (push), array += array (append)
        r.register("+=", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            ctx.checkArraySize(x.size() + 1L);
            x.add(a[1]);
            return UNIT;
        }, A, O);
        r.register("+=", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            ArrayList<Object> y = arr(a[1]);
            ctx.checkArraySize((long) x.size() + y.size());
            x.addAll(y == x ? new ArrayList<>(y) : y);
            return UNIT;
        }, A, A);
        r.register("+", (ctx, a) -> {
            ArrayList<Object> x = arr(a[0]);
            ArrayList<Object> y = arr(a[1]);
            ctx.checkArraySize((long) x.size() + y.size());
            ArrayList<Object> out = new ArrayList<>(x.size() + y.size());
            out.addAll(x);
            out.addAll(y);
            return out;
        }, A, A);

        // BLOBs
        NativeFunction blobPlusBlob = (ctx, a) -> {
            byte[] x = ((Blob) a[0]).toByteArray();
            byte[] y = ((Blob) a[1]).toByteArray();
            ctx.checkBlobSize((long) x.length + y.length);
            Blob out = new Blob(x);
            out.append(y, 0, y.length);
            return out;
        };
        r.register("+", blobPlusBlob, B, B);
        r.register("+", (ctx, a) -> {
            Blob out = ((Blob) a[0]).copy();
            byte[] y = a[1].toString().getBytes(StandardCharsets.UTF_8);
            out.append(y, 0, y.length);
            return out;
        }, B, C);
        r.register("+=", (ctx, a) -> {
            Blob x = (Blob) a[0];
            byte[] y = ((Blob) a[1]).toByteArray();
            ctx.checkBlobSize((long) x.length() + y.length);
            x.append(y, 0, y.length);
            return UNIT;
        }, B, B);
        r.register("+=", (ctx, a) -> {
            Blob x = (Blob) a[0];
            ctx.checkBlobSize(x.length() + 1L);
            x.push((int) ((Long) a[1] & 0xff));
            return UNIT;
        }, B, Long.class);
        r.register("+=", (ctx, a) -> {
            Blob x = (Blob) a[0];
            byte[] y = a[1].toString().getBytes(StandardCharsets.UTF_8);
            ctx.checkBlobSize((long) x.length() + y.length);
            x.append(y, 0, y.length);
            return UNIT;
        }, B, C);
        r.register("+=", (ctx, a) -> {
            Blob x = (Blob) a[0];
            byte[] y = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            ctx.checkBlobSize((long) x.length() + y.length);
            x.append(y, 0, y.length);
            return UNIT;
        }, B, S);
        // string + blob / blob + string (UTF-8, lossy)
        r.register("+", (ctx, a) -> a[0] + new String(((Blob) a[1]).toByteArray(), StandardCharsets.UTF_8), S, B);
        r.register("+", (ctx, a) -> new String(((Blob) a[0]).toByteArray(), StandardCharsets.UTF_8) + a[1], B, S);

        // maps
        r.register("+=", (ctx, a) -> {
            TreeMap<String, Object> m = MapPackage.map(a[0]);
            TreeMap<String, Object> m2 = MapPackage.map(a[1]);
            m.putAll(m2 == m ? new TreeMap<>(m2) : m2);
            ctx.checkMapSize(m.size());
            return UNIT;
        }, M, M);
        r.register("+", (ctx, a) -> {
            TreeMap<String, Object> out = new TreeMap<>(MapPackage.map(a[0]));
            out.putAll(MapPackage.map(a[1]));
            ctx.checkMapSize(out.size());
            return out;
        }, M, M);
    }
}
