package io.circles.rhai.packages;

import io.circles.rhai.api.Engine;
import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors raised by standard-library functions: kind, message and the call-site position. */
class StdlibErrorsTest {
    private static final Engine ENGINE = new Engine();

    record Case(String script, ErrorKind kind, String message, int line, int column) {
        @Override
        public String toString() {
            return script.replace('\n', ' ');
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("parse_int(\"12x\")", ErrorKind.ARITHMETIC,
                        "Error parsing integer number '12x': invalid digit found in string", 1, 1),
                new Case("let s = \"\";\n  parse_int(s)", ErrorKind.ARITHMETIC,
                        "Error parsing integer number '': cannot parse integer from empty string", 2, 3),
                new Case("parse_int(\"-9223372036854775809\")", ErrorKind.ARITHMETIC,
                        "number too small to fit in target type", 1, 1),
                new Case("parse_int(\"10\", 1)", ErrorKind.ARITHMETIC, "Invalid radix: '1'", 1, 1),
                new Case("parse_float(\"1.2.3\")", ErrorKind.ARITHMETIC,
                        "Error parsing floating-point number '1.2.3': invalid float literal", 1, 1),
                new Case("parse_float(\"\")", ErrorKind.ARITHMETIC, "cannot parse float from empty string", 1, 1),
                new Case("abs(-9223372036854775807 - 1)", ErrorKind.ARITHMETIC,
                        "Negation overflow: --9223372036854775808", 1, 1),
                new Case("sign(0.0 / 0.0)", ErrorKind.ARITHMETIC, "Sign of NaN is undefined", 1, 1),
                new Case("to_int(-1e300)", ErrorKind.ARITHMETIC, "Integer overflow: to_int(-1", 1, 1),
                new Case("let x = 1;\nx.get_bit(64)", ErrorKind.BIT_FIELD_BOUNDS,
                        "Bit-field index 64 out of bounds: only 64 bits in bit-field", 2, 3),
                new Case("get_bits(1, -65, 1)", ErrorKind.BIT_FIELD_BOUNDS, "Bit-field index -65 out of bounds", 1, 1),
                new Case("[1, 2.0].sort()", ErrorKind.FUNCTION_NOT_FOUND,
                        "Function not found: elements of different types cannot be sorted", 1, 10),
                new Case("[[1], [2]].sort()", ErrorKind.FUNCTION_NOT_FOUND,
                        "Function not found: elements of array cannot be sorted", 1, 12),
                new Case("range(0, 5, 0)", ErrorKind.IN_FUNCTION_CALL, "step value cannot be zero", 1, 1),
                new Case("let t = timestamp() + 60;\nt.elapsed", ErrorKind.ARITHMETIC, "Time-stamp is later than now", 2, 3),
                new Case("timestamp() + 9223372036854775807", ErrorKind.ARITHMETIC,
                        "Timestamp overflow when adding 9223372036854775807 second(s)", 1, 13),
                new Case("parse_json(\"[1, 2]\")", ErrorKind.MISMATCH_OUTPUT_TYPE,
                        "Output type incorrect: array (expecting map)", 1, 1),
                new Case("sqrt(4)", ErrorKind.FUNCTION_NOT_FOUND, "Function not found: sqrt (i64)", 1, 1),
                new Case("\"abc\".pad(3, 1)", ErrorKind.FUNCTION_NOT_FOUND, "Function not found: pad (string, i64, i64)", 1, 7),
                new Case("[1] < [2]", ErrorKind.FUNCTION_NOT_FOUND, "Function not found: < (array, array)", 1, 5));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void errorKindMessageAndPosition(Case c) {
        RhaiException e = assertThrows(RhaiException.class, () -> ENGINE.eval(c.script()));
        RhaiException root = e.root();
        assertEquals(c.kind(), e.kind() == ErrorKind.IN_FUNCTION_CALL && c.kind() != ErrorKind.IN_FUNCTION_CALL
                ? root.kind() : e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(c.message()), e.getMessage());
        assertEquals(c.line(), e.position().line(), e.getMessage());
        assertEquals(c.column(), e.position().column(), e.getMessage());
    }
}
