package io.circles.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** W3C traceparent parsing and formatting, as the task hash carries it. */
class TraceparentTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void a_valid_header_round_trips() {
        Traceparent parsed = Traceparent.parse(VALID);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", parsed.traceId());
        assertEquals("00f067aa0ba902b7", parsed.spanId());
        assertTrue(parsed.sampled());
        assertEquals(VALID, parsed.format());
    }

    @Test
    void a_child_keeps_the_trace_and_gets_a_new_span() {
        Traceparent parent = Traceparent.parse(VALID);
        Traceparent child = parent.child();
        assertEquals(parent.traceId(), child.traceId());
        assertNotEquals(parent.spanId(), child.spanId());
        assertEquals(child, Traceparent.parse(child.format()));
    }

    @Test
    void a_random_one_is_valid_and_sampled() {
        Traceparent random = Traceparent.random();
        assertEquals(random, Traceparent.parse(random.format()));
        assertTrue(random.sampled());
        assertNotEquals(random.traceId(), Traceparent.random().traceId());
    }

    @Test
    void a_later_version_with_more_fields_is_read_for_its_known_part() {
        Traceparent parsed = Traceparent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra");
        assertEquals("00f067aa0ba902b7", parsed.spanId());
        assertFalse(parsed.sampled());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "garbage",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"})
    void an_invalid_header_starts_a_new_trace_instead_of_failing(String header) {
        assertNull(Traceparent.parse(header));
    }

    @Test
    void an_absent_header_is_null() {
        assertNull(Traceparent.parse(null));
    }
}
