package io.circles.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ErrorPositionTest {

    @Test
    void a_syntax_error_names_its_line_and_column() {
        assertEquals(Optional.of(new ErrorPosition(2, 9)), ErrorPosition.of("Syntax error: Unexpected ';' (line 2, position 9)"));
    }

    @Test
    void an_error_inside_a_function_points_where_it_failed_not_at_the_call() {
        String error = "Division by zero: 1 / 0 (line 1, position 13)\nin call to function 'f' (line 3, position 1)";
        assertEquals(Optional.of(new ErrorPosition(1, 13)), ErrorPosition.of(error));
    }

    @Test
    void position_like_text_inside_a_thrown_message_does_not_count() {
        assertEquals(Optional.of(new ErrorPosition(4, 2)), ErrorPosition.of("Runtime error: (line 99, position 1) was said (line 4, position 2)"));
    }

    @Test
    void errors_without_a_position_have_none() {
        assertEquals(Optional.empty(), ErrorPosition.of("Script timed out"));
        assertEquals(Optional.empty(), ErrorPosition.of(null));
        assertEquals(Optional.empty(), ErrorPosition.of("(line 99999999999, position 1)"));
    }
}
