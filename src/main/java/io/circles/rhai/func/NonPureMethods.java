package io.circles.rhai.func;

import java.util.Set;

/**
 * Standard-library methods that change their receiver (the reference's non-pure functions: a {@code &mut} first
 * parameter not marked pure). Calling one on a constant is an error, as in the reference, rather than a silent
 * change to the constant.
 */
public final class NonPureMethods {
    private static final Set<String> NAMES = Set.of(
            // arrays and BLOBs
            "push", "append", "insert", "pop", "shift", "remove", "clear", "truncate", "chop", "reverse", "sort",
            "sort_by", "sort_desc", "dedup", "drain", "retain", "splice", "extract", "pad", "set", "for_each",
            "write_le", "write_be", "write_ascii", "write_utf8",
            // strings
            "crop", "make_upper", "make_lower", "replace", "trim",
            // maps
            "mixin", "fill_with",
            // integers and values
            "set_bit", "set_bits", "set_tag");

    private NonPureMethods() {
    }

    public static boolean changesReceiver(String name) {
        return NAMES.contains(name);
    }
}
