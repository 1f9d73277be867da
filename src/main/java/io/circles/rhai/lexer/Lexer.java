package io.circles.rhai.lexer;

import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.types.RChar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns script text into tokens. */
public final class Lexer {
    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            Map.entry("true", TokenType.TRUE), Map.entry("false", TokenType.FALSE), Map.entry("let", TokenType.LET),
            Map.entry("const", TokenType.CONST), Map.entry("if", TokenType.IF), Map.entry("else", TokenType.ELSE),
            Map.entry("switch", TokenType.SWITCH), Map.entry("do", TokenType.DO), Map.entry("while", TokenType.WHILE),
            Map.entry("until", TokenType.UNTIL), Map.entry("loop", TokenType.LOOP), Map.entry("for", TokenType.FOR),
            Map.entry("in", TokenType.IN), Map.entry("break", TokenType.BREAK),
            Map.entry("continue", TokenType.CONTINUE), Map.entry("return", TokenType.RETURN),
            Map.entry("throw", TokenType.THROW), Map.entry("try", TokenType.TRY), Map.entry("catch", TokenType.CATCH),
            Map.entry("fn", TokenType.FN), Map.entry("private", TokenType.PRIVATE),
            Map.entry("import", TokenType.IMPORT), Map.entry("export", TokenType.EXPORT), Map.entry("as", TokenType.AS),
            Map.entry("global", TokenType.GLOBAL), Map.entry("this", TokenType.THIS));

    private static final java.util.Set<String> RESERVED_WORDS = java.util.Set.of("var", "static", "shared", "goto",
            "go", "match", "case", "public", "protected", "new", "use", "with", "module", "package", "super",
            "thread", "spawn", "await", "async", "sync", "yield", "default", "void", "null", "nil", "is");

    private final String src;
    private int i;
    private int line;
    private int col;
    private final List<Token> out = new ArrayList<>();

    public Lexer(String src) {
        this(src, 1, 1);
    }

    public Lexer(String src, int line, int col) {
        this.src = src;
        this.line = line;
        this.col = col;
    }

    public static List<Token> tokenize(String src) {
        return new Lexer(src).run();
    }

    private RhaiException err(String msg, int l, int c) {
        return RhaiException.parse(msg, new Position(l, c));
    }

    private int peek(int k) {
        int p = i + k;
        return p < src.length() ? src.charAt(p) : -1;
    }

    private void adv() {
        char ch = src.charAt(i++);
        if (ch == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }

    private void add(TokenType t, String text, Object v, int l, int c) {
        out.add(new Token(t, text, v, l, c));
    }

    public List<Token> run() {
        while (true) {
            skipWs();
            if (i >= src.length()) {
                add(TokenType.EOF, "", null, line, col);
                return out;
            }
            int l = line, c = col;
            char ch = src.charAt(i);
            if (Character.isDigit(ch)) {
                number(l, c);
            } else if (Character.isLetter(ch) || ch == '_') {
                int s = i;
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) adv();
                String w = src.substring(s, i);
                TokenType kw = KEYWORDS.get(w);
                if (kw != null) add(kw, w, null, l, c);
                else if (RESERVED_WORDS.contains(w)) add(TokenType.RESERVED, w, null, l, c);
                else if (!isProperName(w)) throw err("Variable name is not proper: '" + w + "'", l, c);
                else add(TokenType.IDENT, w, w, l, c);
            } else if (ch == '"') {
                adv();
                add(TokenType.STRING, "\"", string('"', l, c), l, c);
            } else if (ch == '`') {
                adv();
                backtick(l, c);
            } else if (ch == '\'') {
                adv();
                String s = string('\'', l, c);
                if (s.codePointCount(0, s.length()) != 1) {
                    throw err(s.isEmpty() ? "Expecting a character literal" : "Invalid character literal: " + s, l, c);
                }
                add(TokenType.CHAR, "'", RChar.of(s.codePointAt(0)), l, c);
            } else if (ch == '#' && (peek(1) == '"' || peek(1) == '#')) {
                rawString(l, c);
            } else {
                punct(ch, l, c);
            }
        }
    }

    private void skipWs() {
        while (i < src.length()) {
            char ch = src.charAt(i);
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || Character.isWhitespace(ch)) {
                adv();
            } else if (ch == '/' && peek(1) == '/') {
                while (i < src.length() && src.charAt(i) != '\n') adv();
            } else if (ch == '/' && peek(1) == '*') {
                int l = line, c = col;
                adv();
                adv();
                int depth = 1;
                while (depth > 0) {
                    if (i >= src.length()) throw err("Script is incomplete", l, c);
                    if (src.charAt(i) == '/' && peek(1) == '*') {
                        adv();
                        adv();
                        depth++;
                    } else if (src.charAt(i) == '*' && peek(1) == '/') {
                        adv();
                        adv();
                        depth--;
                    } else {
                        adv();
                    }
                }
            } else if (ch == '#' && peek(1) == '!' && i == 0) {
                while (i < src.length() && src.charAt(i) != '\n') adv();
            } else {
                return;
            }
        }
    }

    private void number(int l, int c) {
        int s = i;
        if (src.charAt(i) == '0' && (peek(1) == 'x' || peek(1) == 'o' || peek(1) == 'b' || peek(1) == 'X'
                || peek(1) == 'O' || peek(1) == 'B')) {
            char kind = Character.toLowerCase(src.charAt(i + 1));
            adv();
            adv();
            int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
            int ds = i;
            while (i < src.length() && (Character.digit(src.charAt(i), 16) >= 0 || src.charAt(i) == '_')) adv();
            String digits = src.substring(ds, i).replace("_", "");
            try {
                if (digits.isEmpty()) throw new NumberFormatException();
                long v = Long.parseUnsignedLong(digits, radix);
                add(TokenType.INT, src.substring(s, i), v, l, c);
            } catch (NumberFormatException e) {
                throw err("Invalid number: " + src.substring(s, i), l, c);
            }
            return;
        }
        while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '_')) adv();
        boolean isFloat = false;
        if (i < src.length() && src.charAt(i) == '.' && peek(1) >= 0 && Character.isDigit((char) peek(1))) {
            isFloat = true;
            adv();
            while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '_')) adv();
        } else if (i < src.length() && src.charAt(i) == '.' && peek(1) != '.' && (peek(1) < 0
                || !(Character.isLetter((char) peek(1)) || peek(1) == '_'))) {
            // "1." is a float
            isFloat = true;
            adv();
        }
        if (i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
            int save = i, sl = line, sc = col;
            adv();
            if (i < src.length() && (src.charAt(i) == '+' || src.charAt(i) == '-')) adv();
            if (i < src.length() && Character.isDigit(src.charAt(i))) {
                isFloat = true;
                while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '_')) adv();
            } else {
                i = save;
                line = sl;
                col = sc;
            }
        }
        String text = src.substring(s, i);
        String clean = text.replace("_", "");
        if (isFloat) {
            add(TokenType.FLOAT, text, Double.parseDouble(clean), l, c);
        } else {
            try {
                if (clean.equals("9223372036854775808")) {
                    add(TokenType.INT, text, Long.MIN_VALUE, l, c);
                    return;
                }
                add(TokenType.INT, text, Long.parseLong(clean), l, c);
            } catch (NumberFormatException e) {
                throw err("Invalid number: " + text, l, c);
            }
        }
    }

    /** Reads a quoted string body (opening quote consumed) handling escapes; consumes the closing quote. */
    private String string(char quote, int l, int c) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= src.length()) throw err("Unterminated string literal", l, c);
            char ch = src.charAt(i);
            if (ch == quote) {
                if (quote == '"' && peek(1) == '"') {
                    // a doubled quote inside a string is a literal quote
                    adv();
                    adv();
                    sb.append('"');
                    continue;
                }
                adv();
                return sb.toString();
            }
            if (ch == '\\') {
                escape(sb, quote, c);
                continue;
            }
            if (ch == '\n' && quote != '`') {
                throw err("Unterminated string literal", l, c);
            }
            sb.append(ch);
            adv();
        }
    }

    private void escape(StringBuilder sb, char quote, int startCol) {
        int el = line, ec = col;
        adv();
        if (i >= src.length()) throw err("Unterminated string literal", el, ec);
        char e = src.charAt(i);
        adv();
        switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '0' -> sb.append('\0');
            case '\\' -> sb.append('\\');
            case '"' -> sb.append('"');
            case '\'' -> sb.append('\'');
            case '`' -> sb.append('`');
            case '$' -> sb.append('$');
            case '\n' -> {
                // line continuation: skip the next line's indentation up to the string's starting column
                for (int k = 0; k < startCol && i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t'); k++) adv();
            }
            case '\r' -> {
                if (i < src.length() && src.charAt(i) == '\n') adv();
                for (int k = 0; k < startCol && i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t'); k++) adv();
            }
            case 'x', 'u', 'U' -> {
                int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                StringBuilder hex = new StringBuilder();
                if (i < src.length() && src.charAt(i) == '{') {
                    adv();
                    while (i < src.length() && src.charAt(i) != '}') {
                        hex.append(src.charAt(i));
                        adv();
                    }
                    if (i < src.length()) adv();
                } else {
                    for (int k = 0; k < n && i < src.length(); k++) {
                        hex.append(src.charAt(i));
                        adv();
                    }
                }
                try {
                    int cp = Integer.parseInt(hex.toString(), 16);
                    sb.appendCodePoint(cp);
                } catch (RuntimeException ex) {
                    throw err("Invalid escape sequence: \\" + e + hex, el, ec);
                }
            }
            default -> throw err("Invalid escape sequence: \\" + e, el, ec);
        }
    }

    private void rawString(int l, int c) {
        int hashes = 0;
        while (i < src.length() && src.charAt(i) == '#') {
            hashes++;
            adv();
        }
        if (i >= src.length() || src.charAt(i) != '"') throw err("Expecting '\"' after '#'", l, c);
        adv();
        String close = "\"" + "#".repeat(hashes);
        int end = src.indexOf(close, i);
        if (end < 0) throw err("Unterminated string literal", l, c);
        String body = src.substring(i, end);
        while (i < end + close.length()) adv();
        add(TokenType.STRING, "#\"", body, l, c);
    }

    private void backtick(int l, int c) {
        List<Object> parts = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        if (i < src.length() && src.charAt(i) == '\r' && peek(1) == '\n') {
            adv();
            adv();
        } else if (i < src.length() && src.charAt(i) == '\n') {
            adv();
        }
        while (true) {
            if (i >= src.length()) throw err("Unterminated string literal", l, c);
            char ch = src.charAt(i);
            if (ch == '`') {
                if (peek(1) == '`') {
                    adv();
                    adv();
                    sb.append('`');
                    continue;
                }
                adv();
                break;
            }
            if (ch == '\\' && peek(1) == '$' && peek(2) == '{') {
                adv();
                adv();
                sb.append('$');
                continue;
            }
            if (ch == '$' && peek(1) == '{') {
                if (sb.length() > 0) {
                    parts.add(sb.toString());
                    sb.setLength(0);
                }
                adv();
                adv();
                int el = line, ec = col;
                int s = i;
                int depth = 1;
                while (true) {
                    if (i >= src.length()) throw err("Unterminated string literal", l, c);
                    char d = src.charAt(i);
                    if (d == '{') depth++;
                    else if (d == '}') {
                        if (--depth == 0) break;
                    } else if (d == '"' || d == '\'') {
                        adv();
                        while (i < src.length() && src.charAt(i) != d) {
                            if (src.charAt(i) == '\\' && i + 1 < src.length()) adv();
                            adv();
                        }
                    } else if (d == '`') {
                        adv();
                        while (i < src.length() && src.charAt(i) != '`') {
                            if (src.charAt(i) == '\\' && i + 1 < src.length()) adv();
                            adv();
                        }
                    }
                    if (i < src.length()) adv();
                }
                parts.add(new Token.InterpExpr(src.substring(s, i), el, ec));
                adv();
                continue;
            }
            sb.append(ch);
            adv();
        }
        if (sb.length() > 0 || parts.isEmpty()) parts.add(sb.toString());
        if (parts.size() == 1 && parts.get(0) instanceof String s) {
            add(TokenType.STRING, "`", s, l, c);
        } else {
            add(TokenType.INTERP, "`", parts, l, c);
        }
    }

    /**
     * Rhai's rule for names: ASCII letters, digits and underscores, and the first character that is not an
     * underscore is a letter ({@code _r2d2_} is a name, {@code _1}, {@code __} and {@code größe} are not), so
     * that {@code _1} is not misread as {@code -1}. A lone {@code _} stays a token (the switch default).
     */
    static boolean isProperName(String w) {
        if (w.equals("_")) return true;
        boolean letterSeen = false;
        for (int k = 0; k < w.length(); k++) {
            char ch = w.charAt(k);
            boolean asciiLetter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
            boolean asciiDigit = ch >= '0' && ch <= '9';
            if (asciiLetter) letterSeen = true;
            else if (asciiDigit && !letterSeen) return false;
            else if (!asciiDigit && ch != '_') return false;
        }
        return letterSeen;
    }

    private void punct(char ch, int l, int c) {
        String s3 = i + 3 <= src.length() ? src.substring(i, i + 3) : "";
        String s2 = i + 2 <= src.length() ? src.substring(i, i + 2) : "";
        TokenType t;
        int len;
        switch (s3) {
            case "**=" -> { t = TokenType.POW_EQ; len = 3; }
            case "<<=" -> { t = TokenType.SHL_EQ; len = 3; }
            case ">>=" -> { t = TokenType.SHR_EQ; len = 3; }
            case "..=" -> { t = TokenType.RANGE_INCL; len = 3; }
            case "??=" -> { t = TokenType.DQ_EQ; len = 3; }
            case "===", "!==", "..." -> throw err("'" + s3 + "' is a reserved symbol", l, c);
            default -> { t = null; len = 0; }
        }
        if (t == null) {
            switch (s2) {
                case "::" -> { t = TokenType.DCOLON; len = 2; }
                case "#{" -> { t = TokenType.MAP_START; len = 2; }
                case "?." -> { t = TokenType.QDOT; len = 2; }
                case "?[" -> { t = TokenType.QBRACKET; len = 2; }
                case "??" -> { t = TokenType.DQUESTION; len = 2; }
                case "->" -> { t = TokenType.ARROW; len = 2; }
                case "=>" -> { t = TokenType.DARROW; len = 2; }
                case "||" -> { t = TokenType.OROR; len = 2; }
                case "&&" -> { t = TokenType.ANDAND; len = 2; }
                case "**" -> { t = TokenType.POW; len = 2; }
                case "<<" -> { t = TokenType.SHL; len = 2; }
                case ">>" -> { t = TokenType.SHR; len = 2; }
                case "==" -> { t = TokenType.EQEQ; len = 2; }
                case "!=" -> { t = TokenType.NE; len = 2; }
                case "<=" -> { t = TokenType.LE; len = 2; }
                case ">=" -> { t = TokenType.GE; len = 2; }
                case ".." -> { t = TokenType.RANGE; len = 2; }
                case "+=" -> { t = TokenType.PLUS_EQ; len = 2; }
                case "-=" -> { t = TokenType.MINUS_EQ; len = 2; }
                case "*=" -> { t = TokenType.STAR_EQ; len = 2; }
                case "/=" -> { t = TokenType.SLASH_EQ; len = 2; }
                case "%=" -> { t = TokenType.PERCENT_EQ; len = 2; }
                case "&=" -> { t = TokenType.AND_EQ; len = 2; }
                case "|=" -> { t = TokenType.OR_EQ; len = 2; }
                case "^=" -> { t = TokenType.XOR_EQ; len = 2; }
                case "!i" -> {
                    if (src.startsWith("!in", i) && (i + 3 >= src.length()
                            || !(Character.isLetterOrDigit(src.charAt(i + 3)) || src.charAt(i + 3) == '_'))) {
                        t = TokenType.NOTIN;
                        len = 3;
                    }
                }
                case ":=", "<-", "<|", "|>", "++", "--", ":;", "!.", "#!" -> throw err("'" + s2 + "' is a reserved symbol", l, c);
                default -> { }
            }
        }
        if (t == null) {
            len = 1;
            switch (ch) {
                case '(' -> t = TokenType.LPAREN;
                case ')' -> t = TokenType.RPAREN;
                case '{' -> t = TokenType.LBRACE;
                case '}' -> t = TokenType.RBRACE;
                case '[' -> t = TokenType.LBRACKET;
                case ']' -> t = TokenType.RBRACKET;
                case ',' -> t = TokenType.COMMA;
                case ';' -> t = TokenType.SEMI;
                case ':' -> t = TokenType.COLON;
                case '.' -> t = TokenType.DOT;
                case '|' -> t = TokenType.PIPE;
                case '&' -> t = TokenType.AMP;
                case '^' -> t = TokenType.CARET;
                case '!' -> t = TokenType.BANG;
                case '+' -> t = TokenType.PLUS;
                case '-' -> t = TokenType.MINUS;
                case '*' -> t = TokenType.STAR;
                case '/' -> t = TokenType.SLASH;
                case '%' -> t = TokenType.PERCENT;
                case '=' -> t = TokenType.EQ;
                case '<' -> t = TokenType.LT;
                case '>' -> t = TokenType.GT;
                case '?' -> t = TokenType.QUESTION;
                case '#' -> t = TokenType.HASH;
                case '@' -> t = TokenType.AT;
                case '$' -> t = TokenType.DOLLAR;
                default -> throw err("Unknown operator: '" + ch + "'", l, c);
            }
        }
        String text = src.substring(i, i + len);
        for (int k = 0; k < len; k++) adv();
        add(t, text, null, l, c);
    }
}
