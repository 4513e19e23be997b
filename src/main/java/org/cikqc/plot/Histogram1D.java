package org.cikqc.plot;

import java.util.Arrays;

/**
 * A 1-D histogram in DISPLAY units, filled while streaming (for a marker histogram, or events per time bin for
 * acquisition QC). Bins are half-open {@code [lo, hi)}; the last bin also takes the upper edge. Out-of-range
 * values are piled into the edge bins and counted in {@link #offScale()}; NaN values are skipped and counted in
 * {@link #skipped()}. Not thread-safe; merge per-thread histograms with {@link #addAll}.
 */
public final class Histogram1D {
    private final double min;
    private final double max;
    private final int bins;
    private final double factor;
    private final long[] counts;
    private long total;
    private long offScale;
    private long skipped;

    /**
     * An empty histogram of {@code bins} equal bins over {@code [min, max]} (display units).
     */
    public Histogram1D(double min, double max, int bins) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && max > min)) {
            throw new IllegalArgumentException("bad range [" + min + ", " + max + "]");
        }
        if (bins < 1 || bins > 1 << 20) throw new IllegalArgumentException("bins must be 1..2^20, got " + bins);
        this.min = min;
        this.max = max;
        this.bins = bins;
        this.factor = bins / (max - min);
        this.counts = new long[bins];
    }

    /**
     * A histogram built from counts computed elsewhere (e.g. the acquisition-QC rate per time bin).
     *
     * @param counts one count per bin, copied
     */
    public static Histogram1D ofCounts(double min, double max, long[] counts) {
        Histogram1D h = new Histogram1D(min, max, counts.length);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) throw new IllegalArgumentException("negative count at bin " + i);
            h.counts[i] = counts[i];
            h.total += counts[i];
        }
        return h;
    }

    /** Adds one value (display units). */
    public void add(double v) {
        if (Double.isNaN(v)) {
            skipped++;
            return;
        }
        int i = (int) Math.floor((v - min) * factor);
        if (i < 0) {
            i = 0;
            if (v < min) offScale++;
        } else if (i >= bins) {
            i = bins - 1;
            if (v > max) offScale++;
        }
        counts[i]++;
        total++;
    }

    /** Adds the first {@code n} values of {@code values} (display units). */
    public void add(double[] values, int n) {
        if (n < 0 || n > values.length) throw new IllegalArgumentException("n=" + n + " exceeds " + values.length);
        for (int i = 0; i < n; i++) add(values[i]);
    }

    /** Adds every count of a histogram with identical geometry. */
    public void addAll(Histogram1D other) {
        if (other.bins != bins || other.min != min || other.max != max) {
            throw new IllegalArgumentException("histograms differ in geometry");
        }
        for (int i = 0; i < bins; i++) counts[i] += other.counts[i];
        total += other.total;
        offScale += other.offScale;
        skipped += other.skipped;
    }

    /** An independent copy (figures keep a snapshot). */
    public Histogram1D copy() {
        Histogram1D h = new Histogram1D(min, max, bins);
        System.arraycopy(counts, 0, h.counts, 0, bins);
        h.total = total;
        h.offScale = offScale;
        h.skipped = skipped;
        return h;
    }

    /** The count of one bin. */
    public long count(int bin) { return counts[bin]; }

    /** A copy of the counts. */
    public long[] counts() { return Arrays.copyOf(counts, bins); }

    /** The largest bin count (0 when empty). */
    public long maxCount() {
        long m = 0;
        for (long c : counts) if (c > m) m = c;
        return m;
    }

    /** The lower edge of a bin, display units. */
    public double binLow(int bin) { return min + (max - min) * bin / bins; }

    /** The upper edge of a bin, display units. */
    public double binHigh(int bin) { return min + (max - min) * (bin + 1) / bins; }

    /** Values counted (including off-scale ones piled on the edges). */
    public long total() { return total; }

    /** Values outside the range piled into an edge bin. */
    public long offScale() { return offScale; }

    /** NaN values skipped. */
    public long skipped() { return skipped; }

    /** Number of bins. */
    public int bins() { return bins; }

    /** Lower bound, display units. */
    public double min() { return min; }

    /** Upper bound, display units. */
    public double max() { return max; }
}
