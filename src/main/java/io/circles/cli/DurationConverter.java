package io.circles.cli;

import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a plain number of seconds. */
public class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = seconds(v.substring(0, v.length() - 1));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = seconds(v);
            }
            if (d.isNegative() || d.isZero()) {
                throw new TypeConversionException("must be positive: " + value);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("not a duration (e.g. 30s, 500ms, 2m): " + value);
        }
    }

    private static Duration seconds(String number) {
        return Duration.ofMillis(Math.round(Double.parseDouble(number) * 1000));
    }
}
