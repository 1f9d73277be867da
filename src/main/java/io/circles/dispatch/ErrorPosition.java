package io.circles.dispatch;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The place in the script a script error points at, read from the engine's message suffix
 * {@code "(line L, position C)"}. An error inside a called function is followed by one line per call site
 * ({@code "in call to function 'f' (line 3, position 1)"}); the first position
 * that ends a line is where the script failed (a position-like text inside a thrown message does not count).
 *
 * @param line   1-based line
 * @param column 1-based column
 */
public record ErrorPosition(int line, int column) {
    private static final Pattern POSITION = Pattern.compile("\\(line (\\d{1,9}), position (\\d{1,9})\\)$", Pattern.MULTILINE);

    /** The position named in {@code error}, if any. */
    public static Optional<ErrorPosition> of(String error) {
        if (error == null) {
            return Optional.empty();
        }
        Matcher matcher = POSITION.matcher(error);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new ErrorPosition(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
    }
}
