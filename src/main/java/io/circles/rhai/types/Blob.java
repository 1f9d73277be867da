package io.circles.rhai.types;

import java.util.Arrays;

/** A Rhai BLOB: a mutable byte buffer (values are unsigned bytes 0..255 when read as INT). */
public final class Blob {
    private byte[] data;
    private int length;

    public Blob() {
        this(new byte[8], 0);
    }

    public Blob(byte[] bytes) {
        this(Arrays.copyOf(bytes, Math.max(8, bytes.length)), bytes.length);
    }

    private Blob(byte[] data, int length) {
        this.data = data;
        this.length = length;
    }

    public int length() {
        return length;
    }

    public byte[] data() {
        return data;
    }

    public int get(int i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException(i);
        }
        return data[i] & 0xff;
    }

    public void set(int i, int v) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException(i);
        }
        data[i] = (byte) v;
    }

    public void push(int v) {
        ensure(length + 1);
        data[length++] = (byte) v;
    }

    public void insert(int i, int v) {
        ensure(length + 1);
        System.arraycopy(data, i, data, i + 1, length - i);
        data[i] = (byte) v;
        length++;
    }

    public int removeAt(int i) {
        int v = data[i] & 0xff;
        System.arraycopy(data, i + 1, data, i, length - i - 1);
        length--;
        return v;
    }

    public void append(byte[] bytes, int off, int len) {
        ensure(length + len);
        System.arraycopy(bytes, off, data, length, len);
        length += len;
    }

    public void setLength(int newLen) {
        ensure(newLen);
        if (newLen > length) {
            Arrays.fill(data, length, newLen, (byte) 0);
        }
        length = newLen;
    }

    public void clear() {
        length = 0;
    }

    private void ensure(int cap) {
        if (cap > data.length) {
            data = Arrays.copyOf(data, Math.max(cap, data.length * 2));
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }

    public Blob copy() {
        return new Blob(toByteArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Blob b && Arrays.equals(toByteArray(), b.toByteArray());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toByteArray());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < length; i++) {
            sb.append(String.format("%02x", data[i] & 0xff));
        }
        return sb.append(']').toString();
    }
}
