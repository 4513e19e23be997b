package org.cikqc.compensation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cikqc.common.CikqcException;
import org.cikqc.fcs.FcsParameter;

/**
 * Applies a {@link SpilloverMatrix} (or an already inverted unmixing matrix) to column-major event data.
 *
 * <p>With U the detectors × outputs unmixing matrix, output k of event i is {@code sum_d x[det_d][i] · U[d][k]}:
 * U = S⁻¹ for a square spillover matrix (computed once with LU), U = pinv(S) for a non-square Gating-ML
 * {@code spectrumMatrix} (ordinary least squares), U = M for {@code transforms:matrix-inverted-already="true"}.
 * Zero coefficients are skipped, so a NaN in one detector only reaches the outputs that actually use it.
 *
 * <p>Detector names are matched to $PnN exactly, then case-insensitively, then with/without an {@code -A}/{@code -H}
 * suffix when that is unambiguous; an unknown or ambiguous detector raises {@link CikqcException#input}.
 * Output names are the matrix's sources (fluorochromes); for a square FCS or CSV spillover matrix these are the
 * detector names. When the sources of a square matrix are its detectors in another order, rows are reordered so
 * output k belongs to detector k.
 *
 * <p>Instances are immutable and thread-safe; {@code apply} writes straight into separate output arrays and
 * allocates a per-call scratch buffer (outputs × {@value #CHUNK} doubles) only when compensating in place; never
 * anything per event.
 */
public final class Compensator {

    /** Events processed per inner block (keeps the scratch buffer in cache). */
    static final int CHUNK = 2048;
    /**
     * Events per tile when writing to separate outputs: every output re-reads its detectors' columns, and a tile of
     * them (detectors × TILE doubles, 32 KiB for 8 detectors) stays in L1 across the outputs.
     */
    static final int TILE = 512;

    private final String[] outputNames;
    private final String[] detectorNames;
    private final int[] detectorColumns;
    private final double[][] unmix;       // [detector][output]
    private final boolean inPlaceCapable;
    private final String origin;
    private final int[][] nzDet;          // per output: the detectors with a non-zero coefficient
    private final double[][] nzCoef;      // per output: those coefficients

    private Compensator(String[] outputNames, String[] detectorNames, int[] detectorColumns, double[][] unmix,
                        boolean inPlaceCapable, String origin) {
        this.outputNames = outputNames;
        this.detectorNames = detectorNames;
        this.detectorColumns = detectorColumns;
        this.unmix = unmix;
        this.inPlaceCapable = inPlaceCapable;
        this.origin = origin;
        int k = outputNames.length;
        this.nzDet = new int[k][];
        this.nzCoef = new double[k][];
        for (int j = 0; j < k; j++) {
            List<Integer> ds = new ArrayList<>();
            for (int d = 0; d < detectorColumns.length; d++) if (unmix[d][j] != 0) ds.add(d);
            nzDet[j] = new int[ds.size()];
            nzCoef[j] = new double[ds.size()];
            for (int q = 0; q < ds.size(); q++) {
                nzDet[j][q] = ds.get(q);
                nzCoef[j][q] = unmix[ds.get(q)][j];
            }
        }
    }

    /**
     * A compensator for {@code m} over data whose columns are {@code params} (column c = params.get(c)).
     *
     * @throws CikqcException INVALID_INPUT when a detector is unknown/ambiguous or the matrix cannot be inverted
     */
    public static Compensator of(SpilloverMatrix m, List<FcsParameter> params) {
        Objects.requireNonNull(m, "m");
        Objects.requireNonNull(params, "params");
        SpilloverMatrix mm = m;
        if (m.isSquare() && !m.sources().equals(m.detectors())
                && new java.util.HashSet<>(m.sources()).equals(new java.util.HashSet<>(m.detectors()))) {
            mm = reorderRows(m);
        }
        int[] cols = columns(mm.detectors(), params, mm.origin());
        double[][] u = mm.unmixing();
        boolean inPlace = mm.isSquare();
        return new Compensator(mm.sources().toArray(String[]::new), mm.detectors().toArray(String[]::new), cols, u,
                inPlace, mm.origin());
    }

    /**
     * {@link #of} for callers that compensate in place ({@link #apply(double[][], int)}): a matrix file whose source
     * rows do not match its detector columns one to one (a row left out, an extra row) is an input error naming
     * {@code file}, not a state error at the first batch.
     */
    public static Compensator squareOf(SpilloverMatrix m, List<FcsParameter> params, String file) {
        Compensator c = of(m, params);
        if (!c.isInPlaceCapable()) {
            throw CikqcException.input(file + ": the matrix has " + m.sources().size() + " source row(s) for "
                    + m.detectors().size() + " detector column(s); a spillover matrix needs one row per detector");
        }
        return c;
    }

    /**
     * A compensator from an already inverted matrix ({@code transforms:matrix-inverted-already="true"}):
     * {@code coefficients[d][k]} multiplies detector d into output (fluorochrome) k, i.e. rows = detectors,
     * columns = fluorochromes, and output = x[:, detectors] · M.
     */
    public static Compensator ofUnmixing(List<String> detectors, List<String> fluorochromes, double[][] coefficients,
                                         List<FcsParameter> params, String origin) {
        // reuse SpilloverMatrix's validation: rows = detectors, columns = fluorochromes
        SpilloverMatrix asMatrix = new SpilloverMatrix(detectors, fluorochromes, coefficients, origin);
        int[] cols = columns(detectors, params, origin);
        return new Compensator(fluorochromes.toArray(String[]::new), detectors.toArray(String[]::new), cols,
                asMatrix.values(), detectors.size() == fluorochromes.size(), origin);
    }

    private static SpilloverMatrix reorderRows(SpilloverMatrix m) {
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < m.sources().size(); i++) row.put(m.sources().get(i), i);
        double[][] v = new double[m.detectorCount()][];
        double[][] src = m.values();
        for (int d = 0; d < v.length; d++) v[d] = src[row.get(m.detectors().get(d))];
        return new SpilloverMatrix(m.detectors(), m.detectors(), v, m.origin());
    }

    private static int[] columns(List<String> detectors, List<FcsParameter> params, String origin) {
        int[] cols = new int[detectors.size()];
        Map<Integer, String> used = new HashMap<>();
        for (int d = 0; d < cols.length; d++) {
            ChannelMatcher.Match match = ChannelMatcher.find(detectors.get(d), params);
            if (!match.found()) {
                throw CikqcException.input("compensation (" + origin + "): detector '" + detectors.get(d) + "' "
                        + match.reason() + "; parameters are " + ChannelMatcher.allNames(params));
            }
            String prev = used.put(match.position(), detectors.get(d));
            if (prev != null) {
                throw CikqcException.input("compensation (" + origin + "): detectors '" + prev + "' and '"
                        + detectors.get(d) + "' both map to parameter " + params.get(match.position()).name());
            }
            cols[d] = match.position();
        }
        return cols;
    }

    /** Names of the outputs, in output order (the matrix's sources / fluorochromes). */
    public String[] outputNames() { return outputNames.clone(); }

    /** Names of the detectors read, in matrix column order. */
    public String[] detectorNames() { return detectorNames.clone(); }

    /** 0-based data columns of the detectors, in matrix column order. */
    public int[] detectorColumns() { return detectorColumns.clone(); }

    /** The unmixing matrix U, detectors × outputs (a copy). */
    public double[][] unmixingMatrix() {
        double[][] c = new double[unmix.length][];
        for (int i = 0; i < unmix.length; i++) c[i] = unmix[i].clone();
        return c;
    }

    /** True when outputs correspond one-to-one to detectors, so {@link #apply(double[][], int)} can work in place. */
    public boolean isInPlaceCapable() { return inPlaceCapable; }

    /** Where the matrix came from. */
    public String origin() { return origin; }

    /**
     * Compensates in place: output k overwrites the column of detector k; other columns are untouched.
     *
     * @param columns all data columns (column c = parameter c), each of length &gt;= n
     * @throws IllegalStateException for a non-square (unmixing) matrix
     */
    public void apply(double[][] columns, int n) {
        if (!inPlaceCapable) {
            throw new IllegalStateException("compensation (" + origin + ") maps " + detectorNames.length
                    + " detectors to " + outputNames.length + " fluorochromes: use apply(in, n, out)");
        }
        double[][] out = new double[detectorColumns.length][];
        for (int d = 0; d < out.length; d++) out[d] = columns[detectorColumns[d]];
        apply(columns, n, out);
    }

    /**
     * Compensates/unmixes events [0, n): {@code out[k][i] = sum_d in[detectorColumns[d]][i] · U[d][k]}. The
     * {@code out} arrays may be the input columns themselves (in-place use).
     *
     * @param in  all data columns (column c = parameter c), each of length &gt;= n
     * @param out {@code outputNames().length} arrays of length &gt;= n
     */
    public void apply(double[][] in, int n, double[][] out) { apply(in, 0, n, out); }

    /**
     * Compensates/unmixes events [from, to): {@code out[k][i] = sum_d in[detectorColumns[d]][i] · U[d][k]} for i
     * in that range (the rest of {@code out} is untouched). The {@code out} arrays may be the input columns
     * themselves (in-place use).
     *
     * @param in  all data columns (column c = parameter c), each of length &gt;= to
     * @param out {@code outputNames().length} arrays of length &gt;= to
     */
    public void apply(double[][] in, int from, int to, double[][] out) {
        int m = detectorColumns.length;
        int k = outputNames.length;
        if (from < 0 || from > to) throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
        int n = to;
        if (out.length != k) throw new IllegalArgumentException("out has " + out.length + " columns, expected " + k);
        double[][] x = new double[m][];
        for (int d = 0; d < m; d++) {
            if (detectorColumns[d] >= in.length) {
                throw new IllegalArgumentException("input has " + in.length + " columns; detector " + detectorNames[d]
                        + " is column " + detectorColumns[d]);
            }
            x[d] = in[detectorColumns[d]];
            if (x[d].length < n) throw new IllegalArgumentException("column " + detectorColumns[d] + " shorter than n=" + n);
        }
        for (int j = 0; j < k; j++) {
            if (out[j].length < n) throw new IllegalArgumentException("out[" + j + "] shorter than n=" + n);
        }
        boolean aliased = false;
        for (int j = 0; j < k && !aliased; j++) {
            for (int d = 0; d < m && !aliased; d++) aliased = out[j] == x[d];
        }
        if (!aliased) {
            // in tiles, so that the detector columns every output re-reads stay in L1
            for (int start = from; start < to; start += TILE) {
                int end = Math.min(to, start + TILE);
                for (int j = 0; j < k; j++) combine(x, nzDet[j], nzCoef[j], start, end, out[j]);
            }
            return;
        }
        // in place: outputs overwrite inputs other outputs still need, so work on a copy of each chunk's inputs
        int chunk = Math.min(CHUNK, Math.max(to - from, 1));
        double[][] xs = new double[m][chunk];
        double[][] acc = new double[k][chunk];
        for (int start = from; start < to; start += CHUNK) {
            int len = Math.min(CHUNK, to - start);
            for (int d = 0; d < m; d++) System.arraycopy(x[d], start, xs[d], 0, len);
            for (int j = 0; j < k; j++) combine(xs, nzDet[j], nzCoef[j], 0, len, acc[j]);
            for (int j = 0; j < k; j++) System.arraycopy(acc[j], 0, out[j], start, len);
        }
    }

    /**
     * {@code a[i] = sum_q x[ds[q]][i] · cs[q]} for i in [start, end): the detectors are taken four
     * at a time in one fused, vectorisable pass (one store per output value per four products, not one per product). The sums
     * are formed left to right in detector order, so results are bit-identical to one product at a time. Input and
     * output share the index (an offset between them keeps C2 from vectorising the loop).
     */
    private static void combine(double[][] x, int[] ds, double[] cs, int start, int end, double[] a) {
        if (ds.length == 0) {
            java.util.Arrays.fill(a, start, end, 0.0);
            return;
        }
        int q = 0;
        boolean first = true;
        while (q < ds.length) {
            int left = ds.length - q;
            if (left >= 4) {
                double[] x0 = x[ds[q]];
                double[] x1 = x[ds[q + 1]];
                double[] x2 = x[ds[q + 2]];
                double[] x3 = x[ds[q + 3]];
                double c0 = cs[q];
                double c1 = cs[q + 1];
                double c2 = cs[q + 2];
                double c3 = cs[q + 3];
                if (first) {
                    for (int i = start; i < end; i++) a[i] = x0[i] * c0 + x1[i] * c1 + x2[i] * c2 + x3[i] * c3;
                } else {
                    for (int i = start; i < end; i++) a[i] = a[i] + x0[i] * c0 + x1[i] * c1 + x2[i] * c2 + x3[i] * c3;
                }
                q += 4;
            } else if (left >= 2) {
                double[] x0 = x[ds[q]];
                double[] x1 = x[ds[q + 1]];
                double c0 = cs[q];
                double c1 = cs[q + 1];
                if (first) {
                    for (int i = start; i < end; i++) a[i] = x0[i] * c0 + x1[i] * c1;
                } else {
                    for (int i = start; i < end; i++) a[i] = a[i] + x0[i] * c0 + x1[i] * c1;
                }
                q += 2;
            } else {
                double[] x0 = x[ds[q]];
                double c0 = cs[q];
                if (first) {
                    for (int i = start; i < end; i++) a[i] = x0[i] * c0;
                } else {
                    for (int i = start; i < end; i++) a[i] = a[i] + x0[i] * c0;
                }
                q += 1;
            }
            first = false;
        }
    }

    @Override
    public String toString() {
        return "Compensator[" + origin + ", " + detectorNames.length + " detectors -> " + outputNames.length + " outputs]";
    }
}
