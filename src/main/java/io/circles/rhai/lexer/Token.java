package io.circles.rhai.lexer;

/** A token; {@code value} holds the literal (Long, Double, String, RChar, List of interpolation parts) or text. */
public record Token(TokenType type, String text, Object value, int line, int col) {
    /** A piece of a back-tick string: source code of an embedded {@code ${...}} expression. */
    public record InterpExpr(String source, int line, int col) {
    }
}
