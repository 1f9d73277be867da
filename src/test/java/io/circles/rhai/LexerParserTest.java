package io.circles.rhai;

import io.circles.rhai.api.Engine;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.lexer.Lexer;
import io.circles.rhai.lexer.Token;
import io.circles.rhai.lexer.TokenType;
import io.circles.rhai.types.RChar;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens, literals, positions and syntax errors. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LexerParserTest {

    static List<Token> lex(String s) {
        return Lexer.tokenize(s);
    }

    static RhaiException syntaxError(String s) {
        RhaiException e = assertThrows(RhaiException.class, () -> new Engine().compile(s));
        assertEquals(ErrorKind.PARSING, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void integer_literals_in_every_base_with_separators() {
        assertEquals(255L, lex("0xff").get(0).value());
        assertEquals(255L, lex("0xFF").get(0).value());
        assertEquals(8L, lex("0o10").get(0).value());
        assertEquals(5L, lex("0b101").get(0).value());
        assertEquals(1_000_000L, lex("1_000_000").get(0).value());
        assertEquals(-1L, lex("0xffff_ffff_ffff_ffff").get(0).value());
    }

    @Test
    void float_literals_with_exponents() {
        assertEquals(1.5, lex("1.5").get(0).value());
        assertEquals(1500.0, lex("1.5e3").get(0).value());
        assertEquals(0.015, lex("1.5e-2").get(0).value());
        assertEquals(100.0, lex("1e2").get(0).value());
        assertEquals(TokenType.FLOAT, lex("2.0").get(0).type());
    }

    @Test
    void a_dot_after_an_integer_is_a_method_call_or_range_not_a_float() {
        assertEquals(List.of(TokenType.INT, TokenType.RANGE, TokenType.INT, TokenType.EOF),
                lex("1..2").stream().map(Token::type).toList());
        assertEquals(List.of(TokenType.INT, TokenType.DOT, TokenType.IDENT, TokenType.LPAREN, TokenType.RPAREN, TokenType.EOF),
                lex("1.abs()").stream().map(Token::type).toList());
    }

    @Test
    void string_escapes_are_decoded() {
        assertEquals("a\nb\tc\"d\\e", lex("\"a\\nb\\tc\\\"d\\\\e\"").get(0).value());
        assertEquals("\u00e9", lex("\"\\u{e9}\"").get(0).value());
        assertEquals("A", lex("\"\\x41\"").get(0).value());
        // line continuation skips the next line's indentation up to the column of the opening quote
        assertEquals("ab", lex("\"a\\\n b\"").get(0).value());
        assertEquals("a b", lex("   \"a\\\n     b\"").get(0).value());
    }

    @Test
    void raw_strings_keep_backslashes_and_quotes() {
        assertEquals("a\\nb", lex("#\"a\\nb\"#").get(0).value());
        assertEquals("say \"hi\"", lex("##\"say \"hi\"\"##").get(0).value());
    }

    @Test
    void character_literals_hold_one_code_point() {
        assertEquals(RChar.of('x'), lex("'x'").get(0).value());
        assertEquals(RChar.of('\n'), lex("'\\n'").get(0).value());
        assertEquals(RChar.of(0x1F600), lex("'\\u{1F600}'").get(0).value());
        syntaxError("'ab'");
        syntaxError("''");
    }

    @Test
    void backtick_strings_with_interpolation_become_one_token() {
        Token t = lex("`a ${x} b`").get(0);
        assertEquals(TokenType.INTERP, t.type());
        assertEquals(3, ((List<?>) t.value()).size());
        assertEquals(TokenType.STRING, lex("`plain`").get(0).type());
    }

    @Test
    void nested_block_comments_are_skipped() {
        assertEquals(List.of(TokenType.INT, TokenType.EOF),
                lex("/* a /* b */ c */ 1 // tail").stream().map(Token::type).toList());
        syntaxError("/* never closed");
    }

    @Test
    void tokens_know_their_line_and_column() {
        List<Token> ts = lex("let x =\n  42;");
        assertEquals(1, ts.get(0).line());
        assertEquals(1, ts.get(0).col());
        assertEquals(2, ts.get(3).line());
        assertEquals(3, ts.get(3).col());
    }

    @Test
    void operators_are_tokenized_greedily() {
        assertEquals(List.of(TokenType.IDENT, TokenType.POW_EQ, TokenType.INT, TokenType.EOF),
                lex("x **= 2").stream().map(Token::type).toList());
        assertEquals(List.of(TokenType.IDENT, TokenType.NOTIN, TokenType.IDENT, TokenType.EOF),
                lex("a !in b").stream().map(Token::type).toList());
        assertEquals(List.of(TokenType.IDENT, TokenType.QDOT, TokenType.IDENT, TokenType.DQUESTION, TokenType.INT, TokenType.EOF),
                lex("a?.b ?? 1").stream().map(Token::type).toList());
    }

    @ParameterizedTest(name = "`{0}` fails with \"{1}\"")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '\u0001', value = {
            "let x = 1 let y = 2; ==> Expecting ';' to terminate this statement (line 1, position 11)",
            "let 1 = 2; ==> Expecting name of a variable (line 1, position 5)",
            "(1 + 2 ==> Expecting ')' to close the parenthesized expression (line 1, position 7)",
            "[1, 2 ==> Expecting ']' to end this array literal (line 1, position 6)",
            "#{a: 1 ==> Expecting '}' to end this object map literal (line 1, position 7)",
            "#{a: 1, a: 2} ==> Duplicated property for object map literal: a (line 1, position 9)",
            "fn f(a, a) { } ==> Duplicated parameter a for function f (line 1, position 9)",
            "if true { 1 ==> Expecting '}' to end this statement block (line 1, position 12)",
            "let var = 1; ==> 'var' is a reserved keyword (line 1, position 5)",
            "x = ; ==> Unexpected ';' (line 1, position 5)",
            "1 + ==> Script is incomplete (line 1, position 4)",
            "switch 1 { _ => 0, 1 => 1 } ==> Default switch case must be the last (line 1, position 20)",
            "do { } ==> Expecting 'while' or 'until' after the body of a 'do' loop (line 1, position 7)",
            "for in [1] {} ==> Expecting name of a variable (line 1, position 5)",
            "try { } ==> Expecting 'catch' after the body of a 'try' block (line 1, position 8)",
            "1 = 2; ==> Expression cannot be assigned to (line 1, position 1)",
            "\"abc ==> Unterminated string literal (line 1, position 1)",
            "let x = 5 @ 3; ==> Expecting ';' to terminate this statement (line 1, position 11)",
    })
    void syntax_errors_report_the_first_error_precisely(String script, String message) {
        assertEquals("Syntax error: " + message, syntaxError(script).getMessage());
    }

    @Test
    void the_error_position_is_a_structured_value() {
        RhaiException e = syntaxError("let a = 1;\n\nlet b = (;");
        assertEquals(new Position(3, 10), e.position());
    }

    @Test
    void statements_ending_in_a_block_need_no_semicolon() {
        Engine e = new Engine();
        assertEquals(2L, e.eval("let x = 1; if x > 0 { x += 1 } x"));
        assertEquals(3L, e.eval("let x = 0; while x < 3 { x += 1 } x"));
        assertEquals(5L, e.eval("fn f() { 5 } f()"));
    }

    @Test
    void function_definitions_are_only_allowed_at_global_level() {
        assertTrue(syntaxError("fn outer() { fn inner() {} }").getMessage().contains("global level"));
        assertTrue(syntaxError("if true { fn f() {} }").getMessage().contains("global level"));
    }

    @Test
    void compile_reports_errors_without_running_anything() {
        StringBuilder out = new StringBuilder();
        Engine e = Engine.builder().onPrint(out::append).build();
        assertThrows(RhaiException.class, () -> e.eval("print(\"side effect\"); let = ;"));
        assertEquals("", out.toString());
    }
}
