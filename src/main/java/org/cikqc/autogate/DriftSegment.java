package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import org.cikqc.transform.Transform;

/**
 * Where a signal shift starts and ends, event by event, for {@link AcquisitionQc}'s drift rule: bin medians tell
 * that some bins drifted, but a shift rarely fills whole bins, so whole bins remove good events around it, and a
 * shift that straddles two bins may move neither bin's median enough.
 *
 * <p>The test is a sign test: for each drifting channel an event scores +½ when its value lies on the side of the
 * channel's baseline median the drift went to, −½ on the other side (0 when equal or non-finite); an event's score
 * is the sum over the channels. Without drift the scores have mean 0; their SD is measured on the events of the bins
 * no rule flagged. The segment of consecutive events (in time order) with the largest standardised sum
 * {@code sum / (SD √length)} is the shift; that sum is its z.
 */
final class DriftSegment {
    private DriftSegment() { }

    /** Candidate segment boundaries are at most this many evenly spaced events (the search is quadratic in them). */
    static final int MAX_BOUNDARIES = 512;
    /** Events scored to measure the SD of the scores without drift (evenly spaced over the good bins). */
    static final int NULL_EVENTS = 20_000;
    /** A refined segment must reach this z, else the bins stay as they were flagged. */
    static final double MIN_REFINE_Z = 4;

    /**
     * One drift-checked channel: its baseline per bin (NaN where a bin had too few events) and, per bin, the direction
     * its median departed to: ±1 when the bin test flagged it, ±2 when it lies in a level shift ({@link LevelShift},
     * whose edges are known to a bin or so only), 0 otherwise. {@code medians} are the bin medians (NaN where a bin
     * had too few events), {@code medianSe} the mean sampling error of a bin median.
     */
    record Channel(AcquisitionQc.Channel channel, double[] medians, double[] baseOf, int[] dirOf, double scale,
                   double spread, double medianSe) { }

    /** A segment [start, end) of the time axis with its sign-test z. */
    record Segment(double start, double end, double z) { }

    /** A channel with the direction it drifted to and its baseline level. */
    private record Drifted(double[] values, int dir, double level, double[] baseOf) { }

    /**
     * Refines a drift interval made of bins [b0, b1): the segment is searched from one bin before to one bin after.
     *
     * @return the segment, or null when the channels disagree on the direction, the segment is not clear
     *         ({@link #MIN_REFINE_Z}) or it misses a bin the bin test found departed
     */
    static Segment refine(double[] time, Transform drift, List<Channel> channels, List<EnumSet<AcquisitionQc.Rule>> rules,
                          AcquisitionQc.Grid grid, int b0, int b1) {
        int[] dir = new int[channels.size()];
        for (int c = 0; c < channels.size(); c++) {
            for (int b = b0; b < b1; b++) {
                int d = Integer.signum(channels.get(c).dirOf()[b]);
                if (d == 0) continue;
                if (dir[c] != 0 && dir[c] != d) return null; // up in one bin, down in another: not one shift
                dir[c] = d;
            }
        }
        int lo = Math.max(0, b0 - 1);
        int hi = Math.min(grid.nb(), b1 + 1);
        Segment s = search(time, drift, drifted(channels, dir, lo, hi), rules, grid, grid.start(lo), grid.end(hi - 1));
        if (s == null || s.z() < MIN_REFINE_Z) return null;
        // one segment: it must reach every bin whose median the bin test found departed (two shifts joined by a
        // short good run keep their bins)
        for (int b = b0; b < b1; b++) {
            boolean departed = false;
            for (Channel c : channels) departed |= Math.abs(c.dirOf()[b]) == 1;
            if (departed && !(grid.start(b) < s.end() && grid.end(b) > s.start())) return null;
        }
        return s;
    }

    /**
     * The drift test on bins shifted by half a bin, which see whole a shift that straddles two bins: a run of shifted
     * bins whose median departs (the bin test's thresholds) over bins no rule flagged and no interval covers becomes
     * an interval when its segment reaches z {@link AcquisitionQc.Options#driftZ()}; the bins it overlaps are marked.
     */
    static void shifted(double[] time, Transform drift, List<Channel> channels, List<EnumSet<AcquisitionQc.Rule>> rules,
                        AcquisitionQc.Grid grid, AcquisitionQc.Options o, List<TimeInterval> excluded) {
        int nb = grid.nb();
        int ns = nb - 1;
        if (ns < 3 || channels.isEmpty() || !(grid.shift() > 0)) return; // bins of one Time step: none straddles
        double width = grid.width();
        double off = grid.origin() + grid.shift();
        int[][] dirs = new int[channels.size()][ns];
        boolean[] any = new boolean[ns];
        for (int c = 0; c < channels.size(); c++) {
            Channel ch = channels.get(c);
            double[] v = ch.channel().values();
            int[] fill = new int[ns];
            for (int i = 0; i < time.length; i++) {
                int k = shiftedBin(time[i], off, width, ns);
                if (k >= 0 && Double.isFinite(v[i])) fill[k]++;
            }
            double[][] per = new double[ns][];
            for (int k = 0; k < ns; k++) per[k] = new double[fill[k]];
            int[] at = new int[ns];
            for (int i = 0; i < time.length; i++) {
                int k = shiftedBin(time[i], off, width, ns);
                if (k >= 0 && Double.isFinite(v[i])) per[k][at[k]++] = drift.apply(v[i]);
            }
            for (int k = 0; k < ns; k++) {
                double a = ch.baseOf()[k];
                double b = ch.baseOf()[k + 1];
                if (fill[k] < o.minEventsForMedian() || !Double.isFinite(a) || !Double.isFinite(b)) continue;
                double res = Stats.median(per[k]) - (a + b) / 2;
                double scale = Math.max(ch.scale(), ch.spread() / (0.4 * Math.sqrt(fill[k])));
                if (Math.abs(res) > o.driftZ() * scale && Math.abs(res) > o.minDriftShift()) {
                    dirs[c][k] = res > 0 ? 1 : -1;
                    any[k] = true;
                }
            }
        }
        for (int[] run : AcquisitionQc.runs(any)) {
            int k = run[0];
            int e = run[1];
            int b0 = k;          // shifted bins [k, e) overlap bins [k, e]
            int b1 = e + 1;
            int[] dir = new int[channels.size()];
            boolean consistent = true;
            for (int c = 0; c < channels.size(); c++) {
                for (int j = k; j < e; j++) {
                    int d = dirs[c][j];
                    if (d == 0) continue;
                    consistent &= dir[c] == 0 || dir[c] == d;
                    dir[c] = d;
                }
            }
            if (!consistent || !AcquisitionQc.untouched(rules, excluded, grid, b0, b1)) continue;
            double start = grid.start(b0);
            double end = grid.end(b1 - 1);
            Segment s = search(time, drift, drifted(channels, dir, b0, b1), rules, grid, start, end);
            if (s == null || s.z() < o.driftZ()) continue;
            excluded.add(new TimeInterval(s.start(), s.end(), EnumSet.of(AcquisitionQc.Rule.SIGNAL_DRIFT),
                    String.format(java.util.Locale.ROOT, "half-bin-shifted bins around [%s, %s): median departs from "
                            + "the baseline; refined to the events whose signal departs (sign test z %.1f)",
                            fmt(start), fmt(end), s.z())));
            for (int b = b0; b < b1; b++) {
                if (grid.start(b) < s.end() && grid.end(b) > s.start()) rules.get(b).add(AcquisitionQc.Rule.SIGNAL_DRIFT);
            }
        }
    }

    private static int shiftedBin(double t, double off, double width, int ns) {
        if (!Double.isFinite(t)) return -1;
        double u = (t - off) / width;
        return u >= 0 && u < ns ? (int) u : -1;
    }

    /** The channels with a direction, each with its baseline level over bins [lo, hi). */
    private static List<Drifted> drifted(List<Channel> channels, int[] dir, int lo, int hi) {
        List<Drifted> out = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            if (dir[c] == 0) continue;
            double[] b = channels.get(c).baseOf();
            double[] finite = Stats.finite(Arrays.copyOfRange(b, lo, hi));
            if (finite.length == 0) continue;
            out.add(new Drifted(channels.get(c).channel().values(), dir[c], Stats.median(finite), b));
        }
        return out;
    }

    /** The segment of events in [from, to) with the largest standardised score sum, or null when there is none. */
    private static Segment search(double[] time, Transform drift, List<Drifted> ch, List<EnumSet<AcquisitionQc.Rule>> rules,
                                  AcquisitionQc.Grid grid, double from, double to) {
        if (ch.isEmpty()) return null;
        double sd = nullSd(time, drift, ch, rules, grid);
        if (!(sd > 0)) return null;
        int m = 0;
        for (double t : time) if (t >= from && t < to) m++;
        if (m < 2) return null;
        Integer[] order = new Integer[m]; // the events in [from, to) in time order (stable for equal times)
        for (int i = 0, j = 0; i < time.length; i++) {
            if (time[i] >= from && time[i] < to) order[j++] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(time[a], time[b]));
        double[] prefix = new double[m + 1];
        for (int j = 0; j < m; j++) prefix[j + 1] = prefix[j] + score(ch, drift, order[j]);
        // boundaries: every step-th event and the end; with quantized Time, every step-th place where the time
        // changes (events of one step share its time, so a segment takes whole steps)
        int[] starts = null; // the events a segment may start at: all of them, or where the time changes
        int points = m;
        if (grid.quantized()) {
            starts = new int[m];
            points = 0;
            starts[points++] = 0;
            for (int j = 1; j < m; j++) if (time[order[j]] != time[order[j - 1]]) starts[points++] = j;
        }
        int[] cand = boundaries(starts, points, m);
        int nc = cand.length;
        double best = 0;
        int ba = -1;
        int bb = -1;
        for (int x = 0; x < nc; x++) {
            for (int y = x + 1; y < nc; y++) {
                int a = cand[x];
                int b = cand[y];
                double t = (prefix[b] - prefix[a]) / Math.sqrt(b - a);
                if (t > best) {
                    best = t;
                    ba = a;
                    bb = b;
                }
            }
        }
        if (ba < 0) return null;
        if (grid.quantized()) {
            // events of one Time step share its time: the segment takes whole steps
            return new Segment(grid.stepStart(time[order[ba]]), Math.min(to, grid.stepEnd(time[order[bb - 1]])), best / sd);
        }
        return new Segment(time[order[ba]], bb < m ? time[order[bb]] : to, best / sd);
    }

    /**
     * At most {@link #MAX_BOUNDARIES} + 1 segment boundaries: every stride-th of the {@code points} possible starts
     * ({@code starts[0..points)}, or 0..points−1 when {@code starts} is null), then the end {@code m}.
     */
    static int[] boundaries(int[] starts, int points, int m) {
        int stride = Math.max(1, (points + MAX_BOUNDARIES - 1) / MAX_BOUNDARIES);
        int nc = (points + stride - 1) / stride + 1;
        int[] cand = new int[nc];
        for (int c = 0; c < nc - 1; c++) cand[c] = starts == null ? c * stride : starts[c * stride];
        cand[nc - 1] = m;
        return cand;
    }

    /** An event's score against the channels' baseline levels. */
    private static double score(List<Drifted> ch, Transform drift, int i) {
        double s = 0;
        for (Drifted d : ch) s += sign(d, drift, i, d.level());
        return s;
    }

    /** +½ when event i lies beyond {@code base} in the drift's direction, −½ before it, 0 if equal or non-finite. */
    private static double sign(Drifted d, Transform drift, int i, double base) {
        double v = d.values()[i];
        if (!Double.isFinite(v)) return 0;
        double x = (drift.apply(v) - base) * d.dir();
        return x > 0 ? 0.5 : x < 0 ? -0.5 : 0;
    }

    /** SD of the scores of events in bins no rule flagged, each against its own bin's baseline. */
    private static double nullSd(double[] time, Transform drift, List<Drifted> ch, List<EnumSet<AcquisitionQc.Rule>> rules,
                                 AcquisitionQc.Grid grid) {
        int good = 0;
        for (double t : time) {
            int b = grid.binOf(t);
            if (b >= 0 && rules.get(b).isEmpty()) good++;
        }
        if (good < 2) return Double.NaN;
        int every = Math.max(1, good / NULL_EVENTS);
        double sum = 0;
        double sum2 = 0;
        int n = 0;
        for (int i = 0, seen = 0; i < time.length; i++) {
            int b = grid.binOf(time[i]);
            if (b < 0 || !rules.get(b).isEmpty() || seen++ % every != 0) continue;
            double s = 0;
            for (Drifted d : ch) s += sign(d, drift, i, Double.isFinite(d.baseOf()[b]) ? d.baseOf()[b] : d.level());
            sum += s;
            sum2 += s * s;
            n++;
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sum2 / n - mean * mean) * n / (n - 1.0));
    }

    private static String fmt(double v) { return String.format(java.util.Locale.ROOT, "%.6g", v); }
}
