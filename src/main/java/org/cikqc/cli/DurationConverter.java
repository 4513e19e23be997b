package org.cikqc.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/**
 * Reads a duration option: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 2m}, {@code 1h}, a plain number of
 * seconds ({@code 120}) or ISO-8601 ({@code PT2M}). Zero and negative durations are refused.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        Duration d = parse(value);
        if (d.isZero() || d.isNegative()) throw new CommandLine.TypeConversionException("must be positive: " + value);
        return d;
    }

    /** As the enclosing converter, zero allowed (an option where 0 switches a time limit off). */
    static final class OrZero implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = parse(value);
            if (d.isNegative()) throw new CommandLine.TypeConversionException("must not be negative: " + value);
            return d;
        }
    }

    static Duration parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double ms = switch (unit) {
                case "ms" -> n;
                case "m" -> n * 60_000;
                case "h" -> n * 3_600_000;
                default -> n * 1000;
            };
            return Duration.ofMillis(Math.round(ms));
        }
        try {
            return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 2s, 2m, PT2M)");
        }
    }
}
