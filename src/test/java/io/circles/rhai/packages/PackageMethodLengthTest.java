package io.circles.rhai.packages;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standard library stays readable: it is grouped into small named functions, so no method (a {@code register}
 * method included) grows past {@value #MAX_METHOD_LINES} lines. Measured on the sources with a brace-counting scanner,
 * since class files only record where a method starts.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PackageMethodLengthTest {
    static final int MAX_METHOD_LINES = 80;
    private static final Path SOURCES = Path.of("src/main/java/io/circles/rhai/packages");

    /** A method's name, first line and length in lines (from its header's line to its closing brace). */
    record MethodSpan(String name, int firstLine, int lines) {
    }

    @Test
    void no_method_in_the_standard_library_is_longer_than_80_lines() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(SOURCES), "sources not available");
        List<String> tooLong = new ArrayList<>();
        int methods = 0;
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                for (MethodSpan m : methodsOf(Files.readString(file))) {
                    methods++;
                    if (m.lines() > MAX_METHOD_LINES) {
                        tooLong.add(file.getFileName() + ":" + m.firstLine() + " " + m.name() + " (" + m.lines() + " lines)");
                    }
                }
            }
        }
        assertTrue(methods > 50, "the scanner found only " + methods + " methods");
        assertEquals(List.of(), tooLong, "methods over " + MAX_METHOD_LINES + " lines");
    }

    @Test
    void the_scanner_measures_methods_and_ignores_lambdas_blocks_strings_and_comments() {
        String source = """
                class A {
                    record R(int a) {
                    }

                    @SuppressWarnings("x")
                    void shortOne(int x) {
                        if (x > 0) { x--; }
                        Runnable r = () -> { x++; };
                        String s = "{ not a brace }"; // {
                        char c = '{';
                        /* } */
                    }

                    static int longer() throws Exception {
                        return 1;
                    }
                }
                """;
        assertEquals(List.of(new MethodSpan("shortOne", 5, 8), new MethodSpan("longer", 14, 3)), methodsOf(source));
    }

    private static final Pattern METHOD_HEADER =
            Pattern.compile("(?s).*\\b([A-Za-z_$][\\w$]*)\\s*\\(([^()]|\\([^()]*\\))*\\)\\s*(throws\\s+[\\w.$,\\s]+)?");
    private static final Pattern TYPE_HEADER = Pattern.compile("(?s).*\\b(class|interface|enum|record)\\s.*");
    private static final Set<String> NOT_METHODS =
            Set.of("if", "for", "while", "switch", "catch", "synchronized", "try", "return", "new", "else", "do");

    /** The methods (and constructors) of a source file, in the order their bodies end. */
    static List<MethodSpan> methodsOf(String source) {
        String code = blankCommentsAndLiterals(source);
        List<MethodSpan> methods = new ArrayList<>();
        Deque<int[]> open = new ArrayDeque<>(); // {line of the header, 1 if a method body}
        Deque<String> names = new ArrayDeque<>();
        int line = 1;
        int statementStart = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '{') {
                String header = code.substring(statementStart, i).strip();
                String name = methodName(header);
                open.push(new int[] {line - (int) header.chars().filter(ch -> ch == '\n').count(), name != null ? 1 : 0});
                names.push(name == null ? "" : name);
                statementStart = i + 1;
            } else if (c == '}') {
                int[] block = open.pop();
                String name = names.pop();
                if (block[1] == 1) methods.add(new MethodSpan(name, block[0], line - block[0] + 1));
                statementStart = i + 1;
            } else if (c == ';') {
                statementStart = i + 1;
            }
        }
        return methods;
    }

    /** The name declared by a block's header if the block is a method or constructor body, else null. */
    private static String methodName(String header) {
        if (header.contains("->") || header.contains("=") || header.startsWith("new ") || header.contains(" new ")
                || TYPE_HEADER.matcher(header).matches()) {
            return null;
        }
        Matcher m = METHOD_HEADER.matcher(header);
        if (!m.matches() || NOT_METHODS.contains(m.group(1))) return null;
        String first = header.split("[\\s(]", 2)[0];
        return NOT_METHODS.contains(first) || first.equals("}") ? null : m.group(1);
    }

    /** Replaces comments, strings and char literals by spaces, keeping line breaks (and so line numbers). */
    private static String blankCommentsAndLiterals(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int end = literalOrCommentEnd(s, i);
            if (end == i) {
                out.append(s.charAt(i++));
                continue;
            }
            for (int k = i; k < end; k++) out.append(s.charAt(k) == '\n' ? '\n' : ' ');
            i = end;
        }
        return out.toString();
    }

    /** The end of a comment or literal starting at {@code i}, or {@code i} when none starts there. */
    private static int literalOrCommentEnd(String s, int i) {
        if (s.startsWith("//", i)) {
            int nl = s.indexOf('\n', i);
            return nl < 0 ? s.length() : nl;
        }
        if (s.startsWith("/*", i)) {
            int close = s.indexOf("*/", i + 2);
            return close < 0 ? s.length() : close + 2;
        }
        if (s.startsWith("\"\"\"", i)) {
            int close = s.indexOf("\"\"\"", i + 3);
            return close < 0 ? s.length() : close + 3;
        }
        char c = s.charAt(i);
        if (c != '"' && c != '\'') return i;
        int k = i + 1;
        while (k < s.length() && s.charAt(k) != c && s.charAt(k) != '\n') {
            k += s.charAt(k) == '\\' ? 2 : 1;
        }
        return Math.min(k + 1, s.length());
    }
}
