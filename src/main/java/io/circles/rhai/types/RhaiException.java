package io.circles.rhai.types;

import io.circles.rhai.types.Unit;
import io.circles.rhai.types.Values;

import java.util.TreeMap;

/**
 * Every parse or evaluation error of the engine. {@link #getMessage()} is the Rhai-style message followed by
 * {@code " (line L, position C)"} when the position is known. Never carries a stack trace.
 */
public class RhaiException extends RuntimeException {
    private final ErrorKind kind;
    private final String baseMessage;
    private Position position;
    private final Object thrownValue;
    /** Extra data for the {@code try/catch} error map (e.g. variable, function, index). */
    private final Object detail;

    public RhaiException(ErrorKind kind, String message, Position position, Object thrownValue) {
        this(kind, message, position, thrownValue, null);
    }

    public RhaiException(ErrorKind kind, String message, Position position, Object thrownValue, Object detail) {
        super(message, null, false, false);
        this.kind = kind;
        this.baseMessage = message;
        this.position = position == null ? Position.NONE : position;
        this.thrownValue = thrownValue;
        this.detail = detail;
    }

    public ErrorKind kind() {
        return kind;
    }

    public Position position() {
        return position;
    }

    /** The value given to {@code throw} (or the message string for runtime errors raised by natives). */
    public Object thrownValue() {
        return thrownValue;
    }

    public Object detail() {
        return detail;
    }

    /** The innermost error (unwraps errors wrapped by script function calls). */
    public RhaiException root() {
        return this;
    }

    /** Message without the position suffix. */
    public String baseMessage() {
        return baseMessage;
    }

    /** Sets the position if none is set yet; returns this. */
    public RhaiException at(Position p) {
        if (position.isNone() && p != null) {
            position = p;
        }
        return this;
    }

    @Override
    public String getMessage() {
        return position.isNone() ? baseMessage : baseMessage + " (" + position + ")";
    }

    @Override
    public String toString() {
        return getMessage();
    }

    /** The value a {@code catch (e)} block receives for this error (thrown value, or an error map). */
    public Object toCatchValue() {
        if (kind == ErrorKind.RUNTIME) {
            return thrownValue == null ? Unit.INSTANCE : thrownValue;
        }
        TreeMap<String, Object> m = new TreeMap<>();
        m.put("message", baseMessage);
        m.put("error", kind.rhaiName());
        if (!position.isNone()) {
            m.put("line", (long) position.line());
            m.put("position", (long) position.column());
        }
        if (detail instanceof TreeMap<?, ?> dm) {
            for (var e : dm.entrySet()) {
                m.put((String) e.getKey(), e.getValue());
            }
        }
        return m;
    }

    // ---- factories ----

    /** A runtime error raised by a native function (like Rhai's {@code Err("msg".into())}). */
    public static RhaiException runtime(String message) {
        return new RhaiException(ErrorKind.RUNTIME, message.isEmpty() ? "Runtime error" : "Runtime error: " + message,
                Position.NONE, message);
    }

    /** A value thrown by a script's {@code throw}. */
    public static RhaiException thrown(Object value, Position pos) {
        String d = value == Unit.INSTANCE ? "" : Values.toDisplay(value);
        return new RhaiException(ErrorKind.RUNTIME, d.isEmpty() ? "Runtime error" : "Runtime error: " + d, pos, value);
    }

    public static RhaiException arithmetic(String message) {
        return new RhaiException(ErrorKind.ARITHMETIC, message, Position.NONE, null);
    }

    /** {@code what} is e.g. "Length of string", "Size of array", "Size of object map", "Size of BLOB". */
    public static RhaiException dataTooLarge(String what) {
        return new RhaiException(ErrorKind.DATA_TOO_LARGE, what + " too large", Position.NONE, null, detailMap("type", what));
    }

    public static RhaiException of(ErrorKind kind, String message) {
        return new RhaiException(kind, message, Position.NONE, null);
    }

    public static RhaiException parse(String message, Position pos) {
        return new RhaiException(ErrorKind.PARSING, "Syntax error: " + message, pos, null);
    }

    public static RhaiException variableNotFound(String name) {
        return new RhaiException(ErrorKind.VARIABLE_NOT_FOUND, "Variable not found: " + name, Position.NONE, null,
                detailMap("variable", name));
    }

    /** {@code signature} like {@code "foo (i64, string)"}. */
    public static RhaiException functionNotFound(String signature) {
        return new RhaiException(ErrorKind.FUNCTION_NOT_FOUND, "Function not found: " + signature, Position.NONE, null,
                detailMap("function", signature));
    }

    public static RhaiException mismatchDataType(String expected, String actual) {
        String msg = actual.isEmpty() ? "Data type incorrect, expecting " + expected
                : expected.isEmpty() ? "Data type incorrect: " + actual
                : "Data type incorrect: " + actual + " (expecting " + expected + ")";
        TreeMap<String, Object> d = new TreeMap<>();
        d.put("requested", expected);
        d.put("actual", actual);
        return new RhaiException(ErrorKind.MISMATCH_DATA_TYPE, msg, Position.NONE, null, d);
    }

    public static RhaiException arrayBounds(long len, long index) {
        String msg = len == 0 ? "Array index " + index + " out of bounds: array is empty"
                : len == 1 ? "Array index " + index + " out of bounds: only 1 element in array"
                : "Array index " + index + " out of bounds: only " + len + " elements in array";
        return new RhaiException(ErrorKind.ARRAY_BOUNDS, msg, Position.NONE, null, boundsMap(len, index));
    }

    public static RhaiException stringBounds(long len, long index) {
        String msg = len == 0 ? "String index " + index + " out of bounds: string is empty"
                : len == 1 ? "String index " + index + " out of bounds: only 1 character in string"
                : "String index " + index + " out of bounds: only " + len + " characters in string";
        return new RhaiException(ErrorKind.STRING_BOUNDS, msg, Position.NONE, null, boundsMap(len, index));
    }

    public static RhaiException bitFieldBounds(long len, long index) {
        return new RhaiException(ErrorKind.BIT_FIELD_BOUNDS,
                "Bit-field index " + index + " out of bounds: only " + len + " bits in bit-field", Position.NONE, null,
                boundsMap(len, index));
    }

    private static TreeMap<String, Object> boundsMap(long len, long index) {
        TreeMap<String, Object> d = new TreeMap<>();
        d.put("length", len);
        d.put("index", index);
        return d;
    }

    static TreeMap<String, Object> detailMap(String k, Object v) {
        TreeMap<String, Object> d = new TreeMap<>();
        d.put(k, v);
        return d;
    }
}
