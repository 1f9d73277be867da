package io.circles.rhai.types;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** The iterable returned by {@code range(from, to, step)}: from (inclusive) towards to (exclusive) by step. */
public record StepRange(long from, long to, long step) implements Iterable<Object> {
    public StepRange {
        if (step == 0) throw new IllegalArgumentException("step value cannot be zero");
    }

    @Override
    public Iterator<Object> iterator() {
        return new Iterator<>() {
            long cur = from;

            @Override
            public boolean hasNext() {
                return step > 0 ? cur < to : cur > to;
            }

            @Override
            public Object next() {
                if (!hasNext()) throw new NoSuchElementException();
                long v = cur;
                try {
                    cur = Math.addExact(cur, step);
                } catch (ArithmeticException e) {
                    cur = to;
                }
                return v;
            }
        };
    }

    @Override
    public String toString() {
        return "range(" + from + ", " + to + ", " + step + ")";
    }
}
