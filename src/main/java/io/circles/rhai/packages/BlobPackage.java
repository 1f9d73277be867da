package io.circles.rhai.packages;

import io.circles.rhai.func.FunctionRegistry;
import io.circles.rhai.func.Package;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.RRange;
import io.circles.rhai.types.Unit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;

/** Rhai's BasicBlobPackage (byte buffers). */
public final class BlobPackage implements Package {
    private static final Class<?> B = Blob.class;
    private static final Class<?> L = Long.class;
    private static final Class<?> D = Double.class;
    private static final Class<?> S = String.class;
    private static final Class<?> R = RRange.class;
    private static final Object UNIT = Unit.INSTANCE;

    private static Blob b(Object o) {
        return (Blob) o;
    }

    private static long l(Object o) {
        return (Long) o;
    }

    private static void setContents(Blob blob, byte[] bytes) {
        blob.clear();
        blob.append(bytes, 0, bytes.length);
    }

    @Override
    public void register(FunctionRegistry r) {
        registerConstructionAndConversion(r);
        registerAccess(r);
        registerInsertion(r);
        registerRemoval(r);
        registerSlicing(r);
        registerNumberParsing(r);
        registerStringWriting(r);
    }

    /** blob constructors, to_array and as_string. */
    private static void registerConstructionAndConversion(FunctionRegistry r) {
        r.register("blob", (ctx, a) -> new Blob());
        r.register("blob", (ctx, a) -> newBlob(ctx, l(a[0]), 0), L);
        r.register("blob", (ctx, a) -> newBlob(ctx, l(a[0]), l(a[1])), L, L);
        r.register("to_array", (ctx, a) -> {
            Blob x = b(a[0]);
            ArrayList<Object> out = new ArrayList<>(x.length());
            for (int i = 0; i < x.length(); i++) {
                out.add((long) x.get(i));
            }
            return out;
        }, B);
        r.register("as_string", (ctx, a) -> new String(b(a[0]).toByteArray(), StandardCharsets.UTF_8), B);
    }

    /** len, is_empty, contains, get and set. */
    private static void registerAccess(FunctionRegistry r) {
        MathPackage.fnAndGetter(r, "len", (ctx, a) -> (long) b(a[0]).length(), B);
        MathPackage.fnAndGetter(r, "is_empty", (ctx, a) -> b(a[0]).length() == 0, B);
        r.register("contains", (ctx, a) -> {
            Blob x = b(a[0]);
            int v = (int) (l(a[1]) & 0xff);
            for (int i = 0; i < x.length(); i++) {
                if (x.get(i) == v) return true;
            }
            return false;
        }, B, L);
        r.register("get", (ctx, a) -> {
            Blob x = b(a[0]);
            int[] sl = Support.offsetLen(x.length(), l(a[1]), 0);
            return sl[0] >= x.length() ? 0L : (long) x.get(sl[0]);
        }, B, L);
        r.register("set", (ctx, a) -> {
            Blob x = b(a[0]);
            int[] sl = Support.offsetLen(x.length(), l(a[1]), 0);
            if (sl[0] < x.length()) {
                x.set(sl[0], (int) (l(a[2]) & 0xff));
            }
            return UNIT;
        }, B, L, L);
    }

    /** push, append, insert and pad. */
    private static void registerInsertion(FunctionRegistry r) {
        for (String name : new String[] {"push", "append"}) {
            r.register(name, (ctx, a) -> {
                Blob x = b(a[0]);
                ctx.checkBlobSize(x.length() + 1L);
                x.push((int) (l(a[1]) & 0xff));
                return UNIT;
            }, B, L);
        }
        r.register("append", (ctx, a) -> {
            Blob x = b(a[0]);
            byte[] y = b(a[1]).toByteArray();
            ctx.checkBlobSize((long) x.length() + y.length);
            x.append(y, 0, y.length);
            return UNIT;
        }, B, B);
        r.register("append", (ctx, a) -> {
            Blob x = b(a[0]);
            byte[] y = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            ctx.checkBlobSize((long) x.length() + y.length);
            x.append(y, 0, y.length);
            return UNIT;
        }, B, S);
        r.register("append", (ctx, a) -> {
            Blob x = b(a[0]);
            byte[] y = a[1].toString().getBytes(StandardCharsets.UTF_8);
            x.append(y, 0, y.length);
            return UNIT;
        }, B, RChar.class);
        r.register("insert", (ctx, a) -> {
            Blob x = b(a[0]);
            ctx.checkBlobSize(x.length() + 1L);
            int v = (int) (l(a[2]) & 0xff);
            int[] sl = Support.offsetLen(x.length(), l(a[1]), 0);
            if (sl[0] >= x.length()) {
                x.push(v);
            } else {
                x.insert(sl[0], v);
            }
            return UNIT;
        }, B, L, L);
        r.register("pad", (ctx, a) -> {
            Blob x = b(a[0]);
            long len = l(a[1]);
            if (len <= 0) return UNIT;
            ctx.checkBlobSize(len);
            if (len > Integer.MAX_VALUE - 16) {
                throw io.circles.rhai.types.RhaiException.dataTooLarge("Size of BLOB");
            }
            int v = (int) (l(a[2]) & 0xff);
            while (x.length() < len) {
                x.push(v);
            }
            return UNIT;
        }, B, L, L);
    }

    /** pop, shift, remove, clear, truncate and chop. */
    private static void registerRemoval(FunctionRegistry r) {
        r.register("pop", (ctx, a) -> {
            Blob x = b(a[0]);
            return x.length() == 0 ? 0L : (long) x.removeAt(x.length() - 1);
        }, B);
        r.register("shift", (ctx, a) -> {
            Blob x = b(a[0]);
            return x.length() == 0 ? 0L : (long) x.removeAt(0);
        }, B);
        r.register("remove", (ctx, a) -> {
            Blob x = b(a[0]);
            int i = Support.calcIndex(x.length(), l(a[1]), true);
            return i < 0 ? 0L : (long) x.removeAt(i);
        }, B, L);
        r.register("clear", (ctx, a) -> {
            b(a[0]).clear();
            return UNIT;
        }, B);
        r.register("truncate", (ctx, a) -> {
            Blob x = b(a[0]);
            long len = l(a[1]);
            if (len <= 0) {
                x.clear();
            } else if (len < x.length()) {
                x.setLength((int) len);
            }
            return UNIT;
        }, B, L);
        r.register("chop", (ctx, a) -> {
            Blob x = b(a[0]);
            long len = l(a[1]);
            if (x.length() == 0) return UNIT;
            if (len <= 0) {
                x.clear();
            } else if (len < x.length()) {
                byte[] all = x.toByteArray();
                setContents(x, Arrays.copyOfRange(all, all.length - (int) len, all.length));
            }
            return UNIT;
        }, B, L);
    }

    /** reverse, splice, extract, split, drain and retain by position. */
    private static void registerSlicing(FunctionRegistry r) {
        r.register("reverse", (ctx, a) -> {
            Blob x = b(a[0]);
            byte[] all = x.toByteArray();
            for (int i = 0, j = all.length - 1; i < j; i++, j--) {
                byte t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            setContents(x, all);
            return UNIT;
        }, B);
        r.register("splice", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            splice(b(a[0]), sl[0], sl[1], b(a[2]));
            return UNIT;
        }, B, R, B);
        r.register("splice", (ctx, a) -> {
            splice(b(a[0]), l(a[1]), l(a[2]), b(a[3]));
            return UNIT;
        }, B, L, L, B);
        r.register("extract", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            return extract(b(a[0]), sl[0], sl[1]);
        }, B, R);
        r.register("extract", (ctx, a) -> extract(b(a[0]), l(a[1]), l(a[2])), B, L, L);
        r.register("extract", (ctx, a) -> extract(b(a[0]), l(a[1]), Long.MAX_VALUE), B, L);
        r.register("split", (ctx, a) -> {
            Blob x = b(a[0]);
            if (x.length() == 0) return new Blob();
            int[] sl = Support.offsetLen(x.length(), l(a[1]), Long.MAX_VALUE);
            if (sl[0] >= x.length()) return new Blob();
            byte[] all = x.toByteArray();
            Blob out = new Blob(Arrays.copyOfRange(all, sl[0], all.length));
            setContents(x, Arrays.copyOf(all, sl[0]));
            return out;
        }, B, L);
        r.register("drain", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            return drain(b(a[0]), sl[0], sl[1]);
        }, B, R);
        r.register("drain", (ctx, a) -> drain(b(a[0]), l(a[1]), l(a[2])), B, L, L);
        r.register("retain", (ctx, a) -> {
            long[] sl = Support.rangeStartLen((RRange) a[1]);
            return retain(b(a[0]), sl[0], sl[1]);
        }, B, R);
        r.register("retain", (ctx, a) -> retain(b(a[0]), l(a[1]), l(a[2])), B, L, L);
    }

    /** parse_le_int / parse_be_float ... and write_le / write_be: numbers read from and written into a range of bytes. */
    private static void registerNumberParsing(FunctionRegistry r) {
        for (boolean le : new boolean[] {true, false}) {
            String sfx = le ? "le" : "be";
            r.register("parse_" + sfx + "_int", (ctx, a) -> {
                long[] sl = Support.rangeStartLen((RRange) a[1]);
                return parseInt(b(a[0]), sl[0], sl[1], le);
            }, B, R);
            r.register("parse_" + sfx + "_int", (ctx, a) -> parseInt(b(a[0]), l(a[1]), l(a[2]), le), B, L, L);
            r.register("parse_" + sfx + "_float", (ctx, a) -> {
                long[] sl = Support.rangeStartLen((RRange) a[1]);
                return Double.longBitsToDouble(parseInt(b(a[0]), sl[0], sl[1], le));
            }, B, R);
            r.register("parse_" + sfx + "_float",
                    (ctx, a) -> Double.longBitsToDouble(parseInt(b(a[0]), l(a[1]), l(a[2]), le)), B, L, L);
            r.register("write_" + sfx, (ctx, a) -> {
                long[] sl = Support.rangeStartLen((RRange) a[1]);
                writeInt(b(a[0]), sl[0], sl[1], l(a[2]), le);
                return UNIT;
            }, B, R, L);
            r.register("write_" + sfx, (ctx, a) -> {
                writeInt(b(a[0]), l(a[1]), l(a[2]), l(a[3]), le);
                return UNIT;
            }, B, L, L, L);
            r.register("write_" + sfx, (ctx, a) -> {
                long[] sl = Support.rangeStartLen((RRange) a[1]);
                writeInt(b(a[0]), sl[0], sl[1], Double.doubleToRawLongBits((Double) a[2]), le);
                return UNIT;
            }, B, R, D);
            r.register("write_" + sfx, (ctx, a) -> {
                writeInt(b(a[0]), l(a[1]), l(a[2]), Double.doubleToRawLongBits((Double) a[3]), le);
                return UNIT;
            }, B, L, L, D);
        }
    }

    /** write_ascii and write_utf8 into a range of bytes. */
    private static void registerStringWriting(FunctionRegistry r) {
        for (boolean ascii : new boolean[] {true, false}) {
            String name = ascii ? "write_ascii" : "write_utf8";
            r.register(name, (ctx, a) -> {
                long[] sl = Support.rangeStartLen((RRange) a[1]);
                writeString(b(a[0]), sl[0], sl[1], (String) a[2], ascii);
                return UNIT;
            }, B, R, S);
            r.register(name, (ctx, a) -> {
                writeString(b(a[0]), l(a[1]), l(a[2]), (String) a[3], ascii);
                return UNIT;
            }, B, L, L, S);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Blob newBlob(io.circles.rhai.func.NativeCallContext ctx, long len, long value) {
        if (len <= 0) {
            return new Blob();
        }
        ctx.checkBlobSize(len);
        if (len > Integer.MAX_VALUE - 16) {
            throw io.circles.rhai.types.RhaiException.dataTooLarge("Size of BLOB");
        }
        byte[] data = new byte[(int) len];
        Arrays.fill(data, (byte) (value & 0xff));
        return new Blob(data);
    }

    private static void splice(Blob x, long start, long len, Blob replace) {
        byte[] rep = replace.toByteArray();
        if (x.length() == 0) {
            setContents(x, rep);
            return;
        }
        int[] sl = Support.offsetLen(x.length(), start, len);
        byte[] all = x.toByteArray();
        if (sl[1] == 0) {
            x.append(rep, 0, rep.length);
            return;
        }
        byte[] out = new byte[all.length - sl[1] + rep.length];
        System.arraycopy(all, 0, out, 0, sl[0]);
        System.arraycopy(rep, 0, out, sl[0], rep.length);
        System.arraycopy(all, sl[0] + sl[1], out, sl[0] + rep.length, all.length - sl[0] - sl[1]);
        setContents(x, out);
    }

    private static Blob extract(Blob x, long start, long len) {
        if (x.length() == 0 || len <= 0) return new Blob();
        int[] sl = Support.offsetLen(x.length(), start, len);
        if (sl[1] == 0) return new Blob();
        return new Blob(Arrays.copyOfRange(x.toByteArray(), sl[0], sl[0] + sl[1]));
    }

    private static Blob drain(Blob x, long start, long len) {
        if (x.length() == 0 || len <= 0) return new Blob();
        int[] sl = Support.offsetLen(x.length(), start, len);
        if (sl[1] == 0) return new Blob();
        byte[] all = x.toByteArray();
        Blob out = new Blob(Arrays.copyOfRange(all, sl[0], sl[0] + sl[1]));
        byte[] rest = new byte[all.length - sl[1]];
        System.arraycopy(all, 0, rest, 0, sl[0]);
        System.arraycopy(all, sl[0] + sl[1], rest, sl[0], all.length - sl[0] - sl[1]);
        setContents(x, rest);
        return out;
    }

    private static Blob retain(Blob x, long start, long len) {
        if (x.length() == 0 || len <= 0) return new Blob();
        int[] sl = Support.offsetLen(x.length(), start, len);
        byte[] all = x.toByteArray();
        if (sl[1] == 0) {
            x.clear();
            return new Blob(all);
        }
        byte[] drained = new byte[all.length - sl[1]];
        System.arraycopy(all, 0, drained, 0, sl[0]);
        System.arraycopy(all, sl[0] + sl[1], drained, sl[0], all.length - sl[0] - sl[1]);
        setContents(x, Arrays.copyOfRange(all, sl[0], sl[0] + sl[1]));
        return new Blob(drained);
    }

    private static long parseInt(Blob x, long start, long len, boolean le) {
        if (x.length() == 0 || len <= 0) return 0;
        int[] sl = Support.offsetLen(x.length(), start, len);
        if (sl[1] == 0) return 0;
        int n = Math.min(sl[1], 8);
        byte[] buf = new byte[8];
        for (int i = 0; i < n; i++) {
            buf[i] = (byte) x.get(sl[0] + i);
        }
        long v = 0;
        if (le) {
            for (int i = 7; i >= 0; i--) v = (v << 8) | (buf[i] & 0xff);
        } else {
            for (int i = 0; i < 8; i++) v = (v << 8) | (buf[i] & 0xff);
        }
        return v;
    }

    private static void writeInt(Blob x, long start, long len, long value, boolean le) {
        if (x.length() == 0 || len <= 0) return;
        int[] sl = Support.offsetLen(x.length(), start, len);
        if (sl[1] == 0) return;
        int n = Math.min(sl[1], 8);
        byte[] buf = new byte[8];
        for (int i = 0; i < 8; i++) {
            int shift = le ? 8 * i : 8 * (7 - i);
            buf[i] = (byte) (value >>> shift);
        }
        for (int i = 0; i < n; i++) {
            x.set(sl[0] + i, buf[i] & 0xff);
        }
    }

    private static void writeString(Blob x, long start, long len, String s, boolean ascii) {
        if (len <= 0 || x.length() == 0 || s.isEmpty()) return;
        int[] sl = Support.offsetLen(x.length(), start, len);
        if (sl[1] == 0) return;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(sl[1], bytes.length);
        if (ascii) {
            int k = 0;
            for (int i = 0; i < s.length() && k < n; ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                if (cp < 128) {
                    x.set(sl[0] + k, cp);
                    k++;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                x.set(sl[0] + i, bytes[i] & 0xff);
            }
        }
    }
}
