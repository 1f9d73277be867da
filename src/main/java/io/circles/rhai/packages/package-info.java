/**
 * The Rhai standard library (the reference engine's standard packages), registered into every engine by
 * {@link io.circles.rhai.packages.StandardPackages#registerAll(io.circles.rhai.func.FunctionRegistry)}.
 *
 * <ul>
 *   <li>{@link io.circles.rhai.packages.MathPackage}: abs, sign, min/max, floor/ceiling/round/int/fraction, sqrt, exp,
 *       ln, log, trigonometry, is_nan/is_finite/is_infinite, is_odd/is_even/is_zero, to_int/to_float, parse_int
 *       (radix), parse_float, PI/E, to_hex/to_octal/to_binary, bit fields (get_bit, set_bit, get_bits, set_bits,
 *       bits).</li>
 *   <li>{@link io.circles.rhai.packages.StringPackage}: len/bytes/is_empty, case, trim, contains, starts/ends_with,
 *       index_of, get/set, sub_string, crop, replace, pad, truncate, remove, pop, clear, split/split_rev (all
 *       overloads), chars/to_chars, to_blob, append.</li>
 *   <li>{@link io.circles.rhai.packages.ArrayPackage}: the array functions, including the callback ones (map, filter,
 *       reduce, sort, …) which follow the reference engine's calling convention for closures: the element is offered
 *       as {@code this}, or moved into the first parameter, and the index is an optional extra argument.</li>
 *   <li>{@link io.circles.rhai.packages.MapPackage}, {@link io.circles.rhai.packages.BlobPackage},
 *       {@link io.circles.rhai.packages.TimePackage}, {@link io.circles.rhai.packages.RangePackage},
 *       {@link io.circles.rhai.packages.FnPtrPackage}, {@link io.circles.rhai.packages.JsonPackage}
 *       ({@code parse_json}, {@code to_json}), {@link io.circles.rhai.packages.IteratorPackage} ({@code range}),
 *       {@link io.circles.rhai.packages.MiscPackage} ({@code sleep}, which honours the deadline and cancellation,
 *       and {@code take}), {@link io.circles.rhai.packages.OperatorPackage} (operator overloads the core reaches
 *       when its own operators do not apply).</li>
 * </ul>
 *
 * <p>Property getters are registered as {@code get$name} (so {@code s.len} works); functions that change an immutable
 * receiver (strings, numbers) assign {@code args[0]}. All functions are stateless: one engine can be shared by many
 * threads.
 */
package io.circles.rhai.packages;
