package org.cikqc.qc;

import java.util.Locale;
import java.util.Objects;

/**
 * A one-sided acceptance limit: {@code value op limit}, e.g. viability {@code >= 80} (percent) or events
 * {@code >= 10000}.
 *
 * @param op    the comparison
 * @param value the limit
 */
public record Limit(Op op, double value) {

    /** The comparison of a one-sided limit. */
    public enum Op {
        /** The value must be at least the limit. */
        AT_LEAST(">=", "≥"),
        /** The value must be at most the limit. */
        AT_MOST("<=", "≤");

        private final String symbol;
        private final String pretty;

        Op(String symbol, String pretty) {
            this.symbol = symbol;
            this.pretty = pretty;
        }

        /** The spec/result spelling: {@code >=} or {@code <=}. */
        public String symbol() { return symbol; }

        /** The display sign: ≥ or ≤. */
        public String pretty() { return pretty; }

        /** Parses {@code >=} / {@code <=}; null when unknown. */
        public static Op parse(String s) {
            for (Op o : values()) {
                if (o.symbol.equals(s)) return o;
            }
            return null;
        }
    }

    public Limit {
        Objects.requireNonNull(op, "op");
        if (!Double.isFinite(value)) throw new IllegalArgumentException("limit must be finite: " + value);
    }

    /** "≥ 80 %" style text; {@code unit} may be empty. */
    public String describe(String unit) {
        String v = value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.format(Locale.ROOT, "%,d", (long) value)
                : String.format(Locale.ROOT, "%s", value);
        return op.pretty() + " " + v + (unit == null || unit.isEmpty() ? "" : " " + unit);
    }
}
