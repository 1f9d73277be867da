package io.circles.rhai.types;

/** Kinds of Rhai errors (mirrors the reference engine's {@code EvalAltResult} variants). */
public enum ErrorKind {
    SYSTEM("ErrorSystem"),
    PARSING("ErrorParsing"),
    IN_FUNCTION_CALL("ErrorInFunctionCall"),
    IN_MODULE("ErrorInModule"),
    VARIABLE_EXISTS("ErrorVariableExists"),
    FORBIDDEN_VARIABLE("ErrorForbiddenVariable"),
    VARIABLE_NOT_FOUND("ErrorVariableNotFound"),
    PROPERTY_NOT_FOUND("ErrorPropertyNotFound"),
    INDEX_NOT_FOUND("ErrorIndexNotFound"),
    FUNCTION_NOT_FOUND("ErrorFunctionNotFound"),
    MODULE_NOT_FOUND("ErrorModuleNotFound"),
    DATA_RACE("ErrorDataRace"),
    DOT_EXPR("ErrorDotExpr"),
    INDEXING_TYPE("ErrorIndexingType"),
    UNBOUND_THIS("ErrorUnboundThis"),
    FOR("ErrorFor"),
    TOO_MANY_OPERATIONS("ErrorTooManyOperations"),
    TOO_MANY_VARIABLES("ErrorTooManyVariables"),
    TOO_MANY_FUNCTIONS("ErrorTooManyFunctions"),
    TOO_MANY_MODULES("ErrorTooManyModules"),
    STACK_OVERFLOW("ErrorStackOverflow"),
    /** Cancelled by the embedder (progress hook / cancel flag). */
    TERMINATED("ErrorTerminated"),
    /** Wall-clock deadline exceeded. */
    TIMEOUT("ErrorTimeout"),
    RUNTIME("ErrorRuntime"),
    NON_PURE_METHOD_ON_CONSTANT("ErrorNonPureMethodCallOnConstant"),
    ASSIGNMENT_TO_CONSTANT("ErrorAssignmentToConstant"),
    MISMATCH_OUTPUT_TYPE("ErrorMismatchOutputType"),
    MISMATCH_DATA_TYPE("ErrorMismatchDataType"),
    ARITHMETIC("ErrorArithmetic"),
    ARRAY_BOUNDS("ErrorArrayBounds"),
    STRING_BOUNDS("ErrorStringBounds"),
    BIT_FIELD_BOUNDS("ErrorBitFieldBounds"),
    DATA_TOO_LARGE("ErrorDataTooLarge"),
    LOOP_BREAK("LoopBreak");

    private final String rhaiName;

    ErrorKind(String rhaiName) {
        this.rhaiName = rhaiName;
    }

    /** The reference engine's variant name (used in the {@code error} field of caught error maps). */
    public String rhaiName() {
        return rhaiName;
    }
}
