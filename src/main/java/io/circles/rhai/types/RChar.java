package io.circles.rhai.types;

/** A Rhai {@code char}: one Unicode code point. */
public record RChar(int codePoint) {
    private static final RChar[] ASCII = new RChar[128];

    static {
        for (int i = 0; i < 128; i++) {
            ASCII[i] = new RChar(i);
        }
    }

    public static RChar of(int cp) {
        return cp >= 0 && cp < 128 ? ASCII[cp] : new RChar(cp);
    }

    @Override
    public String toString() {
        return new String(Character.toChars(codePoint));
    }
}
