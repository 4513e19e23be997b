package org.cikqc.qc;

/**
 * A closed interval [lo, hi].
 *
 * @param lo lower bound
 * @param hi upper bound (≥ lo)
 */
public record Interval(double lo, double hi) {
    public Interval {
        if (Double.isNaN(lo) || Double.isNaN(hi) || hi < lo) {
            throw new IllegalArgumentException("bad interval [" + lo + ", " + hi + "]");
        }
    }

    /** This interval multiplied by {@code f} (f ≥ 0), e.g. a proportion interval to percent. */
    public Interval scale(double f) { return new Interval(lo * f, hi * f); }

    /** True when {@code x} lies in [lo, hi]. */
    public boolean contains(double x) { return x >= lo && x <= hi; }
}
