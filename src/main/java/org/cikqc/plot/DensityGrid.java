package org.cikqc.plot;

import java.util.Arrays;

/**
 * A 2-D histogram of events in DISPLAY units (already transformed), filled while streaming and drawn as a
 * pseudo-colour density plot. Bins are half-open {@code [lo, hi)}; the last bin also takes the upper edge.
 *
 * <p>Events outside the range are piled into the edge bins (as FlowJo does, so off-scale events stay visible
 * on the axes) and counted in {@link #offScale()}; events with a NaN coordinate are skipped and counted in
 * {@link #skipped()}. Filling allocates nothing per event.
 *
 * <p>Not thread-safe: fill one grid per thread and {@link #addAll merge} them.
 */
public final class DensityGrid {
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private final int nx;
    private final int ny;
    private final double xFactor;
    private final double yFactor;
    private final long[] counts;
    private long total;
    private long offScale;
    private long skipped;

    /**
     * An empty grid.
     *
     * @param xMin lower display bound of x
     * @param xMax upper display bound of x (greater than xMin)
     * @param nx   number of x bins (1..4096)
     * @param yMin lower display bound of y
     * @param yMax upper display bound of y (greater than yMin)
     * @param ny   number of y bins (1..4096)
     */
    public DensityGrid(double xMin, double xMax, int nx, double yMin, double yMax, int ny) {
        if (!(Double.isFinite(xMin) && Double.isFinite(xMax) && xMax > xMin)) {
            throw new IllegalArgumentException("bad x range [" + xMin + ", " + xMax + "]");
        }
        if (!(Double.isFinite(yMin) && Double.isFinite(yMax) && yMax > yMin)) {
            throw new IllegalArgumentException("bad y range [" + yMin + ", " + yMax + "]");
        }
        if (nx < 1 || nx > 4096 || ny < 1 || ny > 4096) {
            throw new IllegalArgumentException("bin counts must be 1..4096, got " + nx + "x" + ny);
        }
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
        this.nx = nx;
        this.ny = ny;
        this.xFactor = nx / (xMax - xMin);
        this.yFactor = ny / (yMax - yMin);
        this.counts = new long[nx * ny];
    }

    /** Adds one event (display units). */
    public void add(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            skipped++;
            return;
        }
        int ix = (int) Math.floor((x - xMin) * xFactor);
        int iy = (int) Math.floor((y - yMin) * yFactor);
        boolean off = false;
        if (ix < 0) { ix = 0; off = x < xMin; }
        else if (ix >= nx) { ix = nx - 1; off = x > xMax; }
        if (iy < 0) { iy = 0; off |= y < yMin; }
        else if (iy >= ny) { iy = ny - 1; off |= y > yMax; }
        if (off) offScale++;
        counts[iy * nx + ix]++;
        total++;
    }

    /** Adds the first {@code n} events of two coordinate arrays (display units). */
    public void add(double[] xDisplay, double[] yDisplay, int n) {
        if (n < 0 || n > xDisplay.length || n > yDisplay.length) {
            throw new IllegalArgumentException("n=" + n + " exceeds the arrays (" + xDisplay.length + ", "
                    + yDisplay.length + ")");
        }
        for (int i = 0; i < n; i++) add(xDisplay[i], yDisplay[i]);
    }

    /** Adds every count of a grid with identical geometry (for per-thread grids). */
    public void addAll(DensityGrid other) {
        if (other.nx != nx || other.ny != ny || other.xMin != xMin || other.xMax != xMax || other.yMin != yMin
                || other.yMax != yMax) {
            throw new IllegalArgumentException("grids differ in geometry");
        }
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
        total += other.total;
        offScale += other.offScale;
        skipped += other.skipped;
    }

    /** An independent copy (figures keep a snapshot, so the pipeline may go on filling its grid). */
    public DensityGrid copy() {
        DensityGrid g = new DensityGrid(xMin, xMax, nx, yMin, yMax, ny);
        System.arraycopy(counts, 0, g.counts, 0, counts.length);
        g.total = total;
        g.offScale = offScale;
        g.skipped = skipped;
        return g;
    }

    /** The count of bin (ix, iy); iy = 0 is the bottom row. */
    public long count(int ix, int iy) {
        if (ix < 0 || ix >= nx || iy < 0 || iy >= ny) {
            throw new IndexOutOfBoundsException("bin (" + ix + ", " + iy + ") outside " + nx + "x" + ny);
        }
        return counts[iy * nx + ix];
    }

    /** The largest bin count (0 for an empty grid). */
    public long maxCount() {
        long m = 0;
        for (long c : counts) if (c > m) m = c;
        return m;
    }

    /** A copy of the counts, row-major from the bottom row: index {@code iy * nx + ix}. */
    public long[] counts() { return Arrays.copyOf(counts, counts.length); }

    /** Events counted (including off-scale ones piled on the edges). */
    public long total() { return total; }

    /** Events outside the range that were piled into an edge bin. */
    public long offScale() { return offScale; }

    /** Events skipped because a coordinate was NaN. */
    public long skipped() { return skipped; }

    /** Number of x bins. */
    public int nx() { return nx; }

    /** Number of y bins. */
    public int ny() { return ny; }

    /** Lower x bound, display units. */
    public double xMin() { return xMin; }

    /** Upper x bound, display units. */
    public double xMax() { return xMax; }

    /** Lower y bound, display units. */
    public double yMin() { return yMin; }

    /** Upper y bound, display units. */
    public double yMax() { return yMax; }
}
