package io.circles.rhai.func;

import io.circles.rhai.types.Position;
import io.circles.rhai.types.FnPtr;

/** What a native function can ask of the running evaluation. */
public interface NativeCallContext {
    /** Calls a Rhai function pointer / closure with the given arguments (curried arguments are prepended). */
    Object callFn(FnPtr fn, Object... args);

    /**
     * Number of declared parameters (not counting curried arguments) of the script function / closure the pointer
     * refers to, or -1 when it resolves to a native function or is unknown.
     */
    int fnParamCount(FnPtr fn);

    /**
     * Calls with {@code this} bound to {@code thisRef[0]}; afterwards {@code thisRef[0]} holds the (possibly
     * modified) {@code this}. Same as {@link #callFn} when {@code thisRef} is null.
     */
    Object callFnWithThis(FnPtr fn, Object[] thisRef, Object... args);

    /** The host's tag of this evaluation ({@code Engine.evalWithTag}), or null when none was given. */
    Object tag();

    void print(String s);

    void debug(String s);

    void checkStringSize(long chars);

    void checkArraySize(long len);

    void checkMapSize(long len);

    void checkBlobSize(long len);

    /** Counts one operation; checks the operation limit, the deadline and cancellation. */
    void tick();

    /**
     * Checks the deadline, external cancellation and the progress listener without counting an operation
     * (for long-running natives such as {@code sleep}). Throws the corresponding RhaiException.
     */
    default void checkInterrupts() {
        tick();
    }

    /** Absolute {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} when none. */
    long deadlineNanos();

    boolean isMethodCall();

    Position position();

    String fnName();
}
