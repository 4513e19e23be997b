package org.cikqc.transform;

import org.cikqc.common.CikqcException;

/**
 * FlowJo 10's "biex" transform, reproduced from its lookup-table algorithm (the legacy TreeStar code as ported to
 * cytolib/flowWorkspace {@code biexpTrans} and FlowKit {@code generate_biex_lut}): a table of
 * {@value #CHANNEL_RANGE}+1 data values, one per display channel 0..{@value #CHANNEL_RANGE}, built from a
 * hyperlog-style difference of exponentials and mirrored about the zero channel; data are mapped to channels by
 * linear interpolation in that table, and clamped to the table's first/last channel outside it.
 *
 * <p>{@link #apply} returns the channel divided by {@value #CHANNEL_RANGE}, i.e. a [0, 1] display scale like the
 * Gating-ML transforms ({@link #channel} gives FlowJo's 0..4096 channel). {@link #inverse} interpolates the table
 * (clamping y to [0, 1]). The workspace attribute {@code length} (e.g. 256) only sets FlowJo's display
 * resolution and does not change the table.
 *
 * <p>Against a table exported by FlowJo (width -7.943282, negative 1, positive 4.41854, max range 262144) the
 * entries agree to FlowJo's printed 6 significant digits (|difference| &lt;= 0.77 unit of the 6th digit, relative
 * &lt; 5e-6).
 *
 * <p>Constraints: width &lt;= -1 (FlowJo's negative "width basis"), negative &gt;= 0, positive &gt; 0,
 * positive &gt; log10(-width)/2, maxRange &gt; 0; all finite.
 *
 * @param width    FlowJo width basis (negative, e.g. -10)
 * @param negative extra negative decades (e.g. 0 or 1)
 * @param positive positive decades (e.g. 4.418540)
 * @param maxRange top of the data scale (e.g. 262144)
 */
public record FlowJoBiexTransform(double width, double negative, double positive, double maxRange)
        implements Transform {

    /** FlowJo's internal channel range: the table has CHANNEL_RANGE + 1 entries. */
    public static final int CHANNEL_RANGE = 4096;

    private static final ParamCache<FlowJoBiexTransform, double[]> CACHE =
            new ParamCache<>(FlowJoBiexTransform::buildTable);

    public FlowJoBiexTransform {
        TMath.finite("flowjo-biex", "width", width);
        TMath.finite("flowjo-biex", "negative", negative);
        TMath.positive("flowjo-biex", "positive", positive);
        TMath.positive("flowjo-biex", "maxRange", maxRange);
        if (!(width <= -1)) {
            throw CikqcException.spec("flowjo-biex: width=" + TMath.fmt(width) + " must be <= -1 (FlowJo width basis)");
        }
        if (!(negative >= 0)) {
            throw CikqcException.spec("flowjo-biex: negative=" + TMath.fmt(negative) + " must be >= 0");
        }
        if (!(positive > Math.log10(-width) / 2)) {
            throw CikqcException.spec("flowjo-biex: positive=" + TMath.fmt(positive)
                    + " must exceed log10(-width)/2 = " + TMath.fmt(Math.log10(-width) / 2));
        }
    }

    private double[] table() { return CACHE.get(this); }

    /** A copy of the lookup table: entry k is the data value of channel k, k = 0..{@value #CHANNEL_RANGE}. */
    public double[] lookupTable() { return table().clone(); }

    /** FlowJo's display channel (0..4096) of data value x: {@code apply(x) * 4096}. */
    public double channel(double x) { return channelOf(table(), x); }

    @Override
    public double apply(double x) { return channelOf(table(), x) / CHANNEL_RANGE; }

    @Override
    public double inverse(double y) {
        double[] tab = table();
        if (Double.isNaN(y)) return y;
        double ch = y * CHANNEL_RANGE;
        if (ch <= 0) return tab[0];
        if (ch >= CHANNEL_RANGE) return tab[CHANNEL_RANGE];
        int k = (int) ch;
        double frac = ch - k;
        return tab[k] + frac * (tab[k + 1] - tab[k]);
    }

    @Override
    public void applyInPlace(double[] v, int n) {
        if (n > v.length) throw new IndexOutOfBoundsException("n=" + n + " > length " + v.length);
        double[] tab = table();
        for (int i = 0; i < n; i++) v[i] = channelOf(tab, v[i]) / CHANNEL_RANGE;
    }

    @Override
    public String describe() {
        return "flowjo-biex(width=" + TMath.fmt(width) + ", negative=" + TMath.fmt(negative) + ", positive="
                + TMath.fmt(positive) + ", maxRange=" + TMath.fmt(maxRange) + ")";
    }

    private static double channelOf(double[] tab, double x) {
        if (Double.isNaN(x)) return x;
        if (x <= tab[0]) return 0;
        int last = tab.length - 1;
        if (x >= tab[last]) return last;
        // largest k with tab[k] <= x (tab strictly increasing)
        int lo = 0;
        int hi = last;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (tab[mid] <= x) lo = mid; else hi = mid;
        }
        return lo + (x - tab[lo]) / (tab[lo + 1] - tab[lo]);
    }

    /** The table as FlowJo builds it (variable names follow the legacy code). */
    static double[] buildTable(FlowJoBiexTransform p) {
        final int channelRange = CHANNEL_RANGE;
        double ln10 = Math.log(10.0);
        double w = Math.log10(-p.width());
        double decades = p.positive() - w / 2;
        double extra = Math.max(p.negative(), 0) + w / 2;
        int zeroPoint = (int) ((extra * channelRange) / (extra + decades));
        zeroPoint = Math.min(zeroPoint, channelRange / 2);
        if (zeroPoint > 0) decades = extra * channelRange / zeroPoint;
        w = w / (2 * decades);
        double positiveRange = ln10 * decades;
        double minimum = p.maxRange() / Math.exp(positiveRange);
        double negativeRange = logRoot(positiveRange, w);
        int nPoints = channelRange + 1;
        double[] pos = new double[nPoints];
        double[] neg = new double[nPoints];
        for (int j = 0; j < nPoints; j++) {
            pos[j] = Math.exp((double) j / nPoints * positiveRange);
            neg[j] = Math.exp((double) j / nPoints * -negativeRange);
        }
        double s = Math.exp((positiveRange + negativeRange) * (w + extra / decades));
        for (int j = 0; j < nPoints; j++) neg[j] *= s;
        s = pos[zeroPoint] - neg[zeroPoint];
        for (int j = zeroPoint; j < nPoints; j++) pos[j] = minimum * ((pos[j] - neg[j]) - s);
        for (int j = 0; j < zeroPoint; j++) pos[j] = -pos[2 * zeroPoint - j];
        for (int j = 1; j < nPoints; j++) {
            if (!(pos[j] > pos[j - 1])) {
                throw CikqcException.spec("flowjo-biex: parameters " + p.describe()
                        + " give a non-increasing lookup table at channel " + j);
            }
        }
        return pos;
    }

    /** Root d in (0, b] of 2 ln d + w d - 2 ln b + w b = 0 (safeguarded Newton, as in the legacy code). */
    static double logRoot(double b, double w) {
        if (w == 0) return b;
        double xLo = 0;
        double xHi = b;
        double d = (xLo + xHi) / 2;
        double dxLast = Math.abs((double) (long) (xLo - xHi)); // legacy code truncates to int here
        double fb = -2 * Math.log(b) + w * b;
        double f = 2 * Math.log(d) + w * b + fb;
        double df = 2 / d + w;
        double dx;
        for (int i = 0; i < 100; i++) {
            if (((d - xHi) * df - f) - ((d - xLo) * df - f) > 0 || Math.abs(2 * f) > Math.abs(dxLast * df)) {
                dx = (xHi - xLo) / 2;
                d = xLo + dx;
                if (d == xLo) return d;
            } else {
                dx = f / df;
                double prev = d;
                d -= dx;
                if (d == prev) return d;
            }
            if (Math.abs(dx) < 1.0e-12) return d;
            dxLast = dx;
            f = 2 * Math.log(d) + w * d + fb;
            df = 2 / d + w;
            if (f < 0) xLo = d; else xHi = d;
        }
        return d;
    }
}
