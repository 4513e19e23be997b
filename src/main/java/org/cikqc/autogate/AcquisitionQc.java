package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.cikqc.transform.AsinhTransform;
import org.cikqc.transform.Transform;

/**
 * Acquisition QC over Time, in the spirit of flowAI and PeacoQC: flow-rate anomalies (clogs, bursts, gaps),
 * signal drift of each fluorescence channel, and margin (saturated or below-range) events.
 *
 * <ol>
 *   <li>Bins: the Time range is cut into equal bins, about {@link Options#eventsPerBin()} events each
 *       (between {@link Options#minBins()} and {@link Options#maxBins()} bins).</li>
 *   <li>{@link Rule#FLOW_RATE}: a bin's count is compared with a running median of the counts (window
 *       {@link Options#baselineWindow()} of the bins, so slow changes of concentration are not anomalies); it is
 *       anomalous when it differs by more than {@link Options#rateZ()} robust SDs (1.4826 × MAD of the residuals,
 *       at least the Poisson SD √baseline) <em>and</em> by more than {@link Options#minRateChange()} of the
 *       baseline. Empty bins inside the run (gaps) are caught by the same rule.</li>
 *   <li>{@link Rule#SIGNAL_DRIFT}: per channel marked for drift, the median of asinh(x / cofactor) / ln 10 per bin
 *       (about decades for bright signals; bins with at least {@link Options#minEventsForMedian()} events) against a
 *       running median of those medians; a bin is anomalous beyond {@link Options#driftZ()} robust SDs (at least the sampling error of a bin median,
 *       1 / (2 f √n) with the pooled density f at the median) and
 *       {@link Options#minDriftShift()} (0.05 ≈ a 12 % change of a bright signal).</li>
 *   <li>Runs of fewer than {@link Options#consecutiveBins()} good bins between anomalous bins are excluded too.
 *       Consecutive anomalous bins form the excluded {@link TimeInterval}s. An interval found by the flow-rate rule
 *       alone is refined to the sub-bins (1/{@value #SUB_BINS} of a bin) whose rate clearly departs from the
 *       baseline, looking one bin beyond each end, so it follows the clog rather than the bin edges. The flow-rate
 *       test also runs on bins shifted by half a bin, which see whole a clog that straddles two bins; such a finding
 *       counts only when its sub-bins confirm it. Likewise an interval found by the drift rule alone is refined to
 *       the events whose signal departs, by a sign test over the drifting channels ({@link DriftSegment}), and the
 *       drift test also runs on half-bin-shifted bins, a finding counting only when its sign test reaches
 *       {@link Options#driftZ()}. Events are removed by interval.</li>
 *   <li>Level shifts: both baselines are running medians over {@link Options#baselineWindow()} of the bins, so a
 *       change lasting longer than about half that window (7 % of the run by default) becomes the baseline. The
 *       bin counts and each channel's bin medians are therefore also scanned for long sharp-edged shifts
 *       ({@link LevelShift}: a straight course plus shifted segments, the same z threshold and
 *       {@value #LONG_CHANGE} × the minimum change of the bin test, at most 45 % of the run each), over the bins
 *       clear of every bin-test finding and of their neighbours (a change rarely fills whole bins); a signal shift
 *       must show in two channels or more over at least half its bins, in the same direction. Their bins are
 *       flagged by the same rule, with the course as their baseline, so a drift interval is refined by the sign
 *       test against the level outside the shift. Slow trends and gentle curves (a U-shaped drift, a warm-up) are
 *       not shifts; a run made of two halves is not decided.</li>
 *   <li>Quantized Time (coarse steps, see {@link Grid#of}): bins, sub-bins and refined segments are whole steps,
 *       and the first and last bins may be short by one step's events (the acquisition starts and stops between
 *       ticks) without being a flow-rate anomaly.</li>
 *   <li>{@link Rule#MARGIN}: per event, a value ≥ the channel's upper limit (e.g. $PnR − 1) or ≤ its lower limit,
 *       or a non-finite value or time.</li>
 * </ol>
 * The percentage removed by each rule and in total is reported; more than {@link Options#maxRemovedFraction()}
 * in total flags the result ({@link FitIssue.Code#EXCESSIVE_REMOVAL}). Works on a sample as well as on all events
 * (rates are then relative). Never throws on data; inconsistent input gives a failed result.
 */
public final class AcquisitionQc {
    private AcquisitionQc() { }

    /** The rules of the acquisition QC. */
    public enum Rule { FLOW_RATE, SIGNAL_DRIFT, MARGIN }

    /** Per-event flag bits of {@link Result#eventFlags()}. */
    public static final byte FLAG_FLOW_RATE = 1;
    public static final byte FLAG_SIGNAL_DRIFT = 2;
    public static final byte FLAG_MARGIN = 4;

    /**
     * One parameter to check.
     *
     * @param name       $PnN
     * @param values     one value per event (same order and length as Time)
     * @param lowerLimit values ≤ this are margin events (NaN: no lower check)
     * @param upperLimit values ≥ this are margin events, usually $PnR − 1 (NaN: no upper check)
     * @param drift      whether to check this channel's signal drift (fluorescence channels)
     */
    public record Channel(String name, double[] values, double lowerLimit, double upperLimit, boolean drift) {
        public Channel {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(values, "values");
        }

        /** A scatter channel: margin at ≤ 0 and ≥ range − 1, no drift check. */
        public static Channel scatter(String name, double[] values, double range) {
            return new Channel(name, values, 0, range - 1, false);
        }

        /** A fluorescence channel: margin at ≥ range − 1 only, drift checked. */
        public static Channel fluorescence(String name, double[] values, double range) {
            return new Channel(name, values, Double.NaN, range - 1, true);
        }
    }

    /**
     * Options; see the class description. Defaults: 500 events per bin, 20–500 bins, running-median window 15 %
     * of the bins (at least 5), rate z 5 and change 20 %, drift z 6 and shift 0.05 on asinh(x/150)/ln 10, 50 events per
     * bin for a median, fill runs shorter than 3 good bins, flag above 10 % removed.
     */
    public record Options(int eventsPerBin, int minBins, int maxBins, double baselineWindow, double rateZ,
                          double minRateChange, double driftZ, double minDriftShift, double driftCofactor,
                          int minEventsForMedian, int consecutiveBins, double maxRemovedFraction) {
        public Options {
            if (eventsPerBin < 1 || minBins < 3 || maxBins < minBins || !(baselineWindow > 0) || !(rateZ > 0)
                    || !(driftZ > 0) || !(driftCofactor > 0) || consecutiveBins < 0) {
                throw new IllegalArgumentException("invalid acquisition-QC options");
            }
        }

        public static Options defaults() {
            return new Options(500, 20, 500, 0.15, 5, 0.2, 6, 0.05, 150, 50, 3, 0.10);
        }
    }

    /**
     * One time bin.
     *
     * @param start      first time of the bin
     * @param end        end of the bin (exclusive; the last bin includes the last event)
     * @param events     events in the bin
     * @param baseline   running-median count around it
     * @param rateZ      (events − baseline) / robust SD
     * @param rules      rules that flagged the bin (empty when good)
     */
    public record Bin(double start, double end, int events, double baseline, double rateZ, Set<Rule> rules) {
        public Bin {
            rules = Set.copyOf(rules);
        }
    }

    /**
     * One drift-checked channel over the bins, on the drift scale asinh(x / cofactor) / ln 10 (about decades).
     *
     * @param channel  $PnN
     * @param medians  per bin, the median of its events (NaN when the bin had too few)
     * @param baseline per bin, what the median was compared with: the running median, or the course of a level
     *                 shift (NaN when the bin had too few events)
     */
    public record Trace(String channel, double[] medians, double[] baseline) {
        public Trace {
            Objects.requireNonNull(channel, "channel");
            medians = medians.clone();
            baseline = baseline.clone();
        }

        @Override
        public double[] medians() { return medians.clone(); }

        @Override
        public double[] baseline() { return baseline.clone(); }
    }

    /**
     * The QC outcome.
     *
     * @param excluded        time intervals to exclude, ascending
     * @param bins            every bin with its count and flags (empty when time checks were skipped)
     * @param traces          per drift-checked channel, its bin medians and baseline (empty when time checks were
     *                        skipped)
     * @param marginLimits    per checked channel, the limits used (name, lower, upper)
     * @param marginCounts    per checked channel, events at or beyond a limit (same order as marginLimits)
     * @param eventFlags      per event: {@link #FLAG_FLOW_RATE} | {@link #FLAG_SIGNAL_DRIFT} | {@link #FLAG_MARGIN}
     * @param removedByRule   events removed by each rule (index {@link Rule#ordinal()}); an event may count under
     *                        several rules
     * @param removedTotal    events removed by any rule
     * @param events          events examined
     * @param issues          issues
     */
    public record Result(List<TimeInterval> excluded, List<Bin> bins, List<Trace> traces, List<Channel> marginLimits,
                         long[] marginCounts, byte[] eventFlags, long[] removedByRule, long removedTotal, int events,
                         List<FitIssue> issues) implements FitResult {
        public Result {
            excluded = List.copyOf(excluded);
            bins = List.copyOf(bins);
            traces = List.copyOf(traces);
            marginLimits = List.copyOf(marginLimits);
            marginCounts = marginCounts.clone();
            eventFlags = eventFlags.clone();
            removedByRule = removedByRule.clone();
            issues = List.copyOf(issues);
        }

        @Override
        public byte[] eventFlags() { return eventFlags.clone(); }

        @Override
        public long[] marginCounts() { return marginCounts.clone(); }

        @Override
        public long[] removedByRule() { return removedByRule.clone(); }

        /** Whether event i is removed by any rule. */
        public boolean removed(int i) { return eventFlags[i] != 0; }

        /** Whether event i is removed by a rule over Time (flow rate, signal drift), not only as a margin event. */
        public boolean removedOverTime(int i) { return (eventFlags[i] & (FLAG_FLOW_RATE | FLAG_SIGNAL_DRIFT)) != 0; }

        /** Percentage of events removed by {@code rule}. */
        public double removedPct(Rule rule) {
            return events == 0 ? 0 : 100.0 * removedByRule[rule.ordinal()] / events;
        }

        /** Percentage of events removed by any rule. */
        public double removedTotalPct() {
            return events == 0 ? 0 : 100.0 * removedTotal / events;
        }
    }

    /** Runs with the defaults. */
    public static Result run(double[] time, List<Channel> channels) {
        return run(time, channels, Options.defaults());
    }

    /**
     * Runs the acquisition QC. The channels' values arrays must have the time array's length; a mismatch gives a
     * failed result (ERROR {@link FitIssue.Code#INVALID_INPUT}).
     */
    public static Result run(double[] time, List<Channel> channels, Options o) {
        List<FitIssue> issues = new ArrayList<>();
        int n = time.length;
        Transform drift = new AsinhTransform(o.driftCofactor() * Math.sinh(Math.log(10)), 1, 0);
        for (Channel c : channels) {
            if (c.values().length != n) {
                issues.add(FitIssue.error(FitIssue.Code.INVALID_INPUT, "channel " + c.name() + " has "
                        + c.values().length + " values, Time has " + n));
                return new Result(List.of(), List.of(), List.of(), channels, new long[channels.size()], new byte[0],
                        new long[Rule.values().length], 0, n, issues);
            }
        }
        byte[] flags = new byte[n];
        long[] marginCounts = new long[channels.size()];
        for (int c = 0; c < channels.size(); c++) {
            Channel ch = channels.get(c);
            double[] v = ch.values();
            for (int i = 0; i < n; i++) {
                double x = v[i];
                if (!Double.isFinite(x) || x >= ch.upperLimit() || x <= ch.lowerLimit()) {
                    flags[i] |= FLAG_MARGIN;
                    marginCounts[c]++;
                }
            }
        }
        int badTime = 0;
        int decreases = 0;
        double tmin = Double.POSITIVE_INFINITY;
        double tmax = Double.NEGATIVE_INFINITY;
        double prev = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double t = time[i];
            if (!Double.isFinite(t)) {
                flags[i] |= FLAG_MARGIN;
                badTime++;
                continue;
            }
            if (t < prev) decreases++;
            prev = t;
            tmin = Math.min(tmin, t);
            tmax = Math.max(tmax, t);
        }
        if (badTime > 0) {
            issues.add(FitIssue.warning(FitIssue.Code.NON_FINITE_IGNORED, badTime + " events with non-finite Time removed"));
        }
        if (decreases > 0) {
            issues.add(FitIssue.warning(FitIssue.Code.TIME_NOT_MONOTONIC, "Time decreases " + decreases
                    + " times; bins are cut by value"));
        }
        List<Bin> bins = new ArrayList<>();
        List<Trace> traces = new ArrayList<>();
        List<TimeInterval> excluded = new ArrayList<>();
        int usable = n - badTime;
        if (usable < o.minBins() * o.minEventsForMedian()) {
            issues.add(FitIssue.warning(FitIssue.Code.TOO_FEW_EVENTS, usable + " events with a time: too few for "
                    + o.minBins() + " bins of " + o.minEventsForMedian() + "; flow-rate and drift checks skipped"));
        } else if (!(tmax > tmin)) {
            issues.add(FitIssue.warning(FitIssue.Code.DEGENERATE_DATA,
                    "all events have the same Time; flow-rate and drift checks skipped"));
        } else {
            Grid grid = Grid.of(time, tmin, tmax, usable, o);
            if (grid == null) {
                double q = resolution(time);
                issues.add(FitIssue.info(FitIssue.Code.TIME_TOO_COARSE, String.format(java.util.Locale.ROOT,
                        "Time counts in steps of %s over a run of %s: fewer than %d bins of whole steps; flow-rate"
                        + " and drift checks skipped", fmt(q), fmt(tmax - tmin), o.minBins())));
            } else {
                timeChecks(time, channels, o, drift, grid, flags, bins, traces, excluded);
            }
        }
        long[] byRule = new long[Rule.values().length];
        long total = 0;
        for (byte f : flags) {
            if ((f & FLAG_FLOW_RATE) != 0) byRule[Rule.FLOW_RATE.ordinal()]++;
            if ((f & FLAG_SIGNAL_DRIFT) != 0) byRule[Rule.SIGNAL_DRIFT.ordinal()]++;
            if ((f & FLAG_MARGIN) != 0) byRule[Rule.MARGIN.ordinal()]++;
            if (f != 0) total++;
        }
        if (n > 0 && total > o.maxRemovedFraction() * n) {
            issues.add(FitIssue.warning(FitIssue.Code.EXCESSIVE_REMOVAL, String.format(java.util.Locale.ROOT,
                    "%.1f %% of events removed (flow rate %.1f %%, drift %.1f %%, margin %.1f %%), more than %.1f %%",
                    100.0 * total / n, 100.0 * byRule[0] / n, 100.0 * byRule[1] / n, 100.0 * byRule[2] / n,
                    100 * o.maxRemovedFraction())));
        }
        return new Result(excluded, bins, traces, channels, marginCounts, flags, byRule, total, n, issues);
    }

    private static void timeChecks(double[] time, List<Channel> channels, Options o, Transform drift, Grid grid,
                                   byte[] flags, List<Bin> binsOut, List<Trace> tracesOut,
                                   List<TimeInterval> excludedOut) {
        int nb = grid.nb();
        double width = grid.width();
        int n = time.length;
        int[] binOf = new int[n];
        int[] counts = new int[nb];
        for (int i = 0; i < n; i++) {
            binOf[i] = grid.binOf(time[i]);
            if (binOf[i] >= 0) counts[binOf[i]]++;
        }
        int window = Math.max(5, (int) Math.round(o.baselineWindow() * nb)) | 1;
        double[] c = new double[nb];
        for (int b = 0; b < nb; b++) c[b] = counts[b];
        // a last bin holding fewer whole Time steps than the others (quantized Time) is compared at its full rate
        c[nb - 1] /= grid.lastExposure();
        // quantized Time: the acquisition starts and stops between ticks, so the first and last steps are partly
        // exposed
        RateTest rate = RateTest.of(c, window, o, grid.quantized() ? grid.step() / width : 0);
        double[] base = rate.base();
        double[] z = rate.z();
        List<EnumSet<Rule>> binRules = new ArrayList<>();
        String[] why = new String[nb];
        for (int b = 0; b < nb; b++) {
            EnumSet<Rule> r = EnumSet.noneOf(Rule.class);
            if (rate.anomalous()[b]) {
                r.add(Rule.FLOW_RATE);
                why[b] = String.format(java.util.Locale.ROOT, "%d events vs baseline %.0f (z %.1f)", counts[b],
                        base[b], z[b]);
            }
            binRules.add(r);
        }
        // signal drift: per-bin medians of asinh-scaled values
        List<DriftSegment.Channel> driftChannels = new ArrayList<>();
        for (Channel ch : channels) {
            if (!ch.drift()) continue;
            double[][] perBin = new double[nb][];
            int[] fill = new int[nb];
            for (int b = 0; b < nb; b++) perBin[b] = new double[counts[b]];
            double[] v = ch.values();
            for (int i = 0; i < n; i++) {
                int b = binOf[i];
                if (b >= 0 && Double.isFinite(v[i])) perBin[b][fill[b]++] = drift.apply(v[i]);
            }
            double[] med = new double[nb];
            List<Integer> valid = new ArrayList<>();
            for (int b = 0; b < nb; b++) {
                if (fill[b] >= o.minEventsForMedian()) {
                    med[b] = Stats.median(Arrays.copyOf(perBin[b], fill[b]));
                    valid.add(b);
                } else {
                    med[b] = Double.NaN;
                }
            }
            if (valid.size() < 3) continue;
            double[] vm = new double[valid.size()];
            for (int k = 0; k < vm.length; k++) vm[k] = med[valid.get(k)];
            double[] vbase = runningMedian(vm, Math.min(window, (vm.length - 1) | 1));
            double[] vres = new double[vm.length];
            for (int k = 0; k < vm.length; k++) vres[k] = vm[k] - vbase[k];
            double s = Math.max(Stats.mad(vres, Stats.median(vres)) * Stats.MAD_TO_SD, 1e-6);
            // sampling error of a bin median, 1 / (2 f(m) √n), with the pooled density at the median
            // f(m) ≈ 0.2 / (q60 − q40): with few bins the MAD of the medians alone is unreliable
            int np = 0;
            for (int b = 0; b < nb; b++) np += fill[b];
            double[] ps = new double[np];
            for (int b = 0, at = 0; b < nb; at += fill[b], b++) System.arraycopy(perBin[b], 0, ps, at, fill[b]);
            Arrays.sort(ps);
            double spread = Stats.quantileSorted(ps, 0.6) - Stats.quantileSorted(ps, 0.4);
            double[] baseOf = new double[nb];
            int[] dirOf = new int[nb];
            Arrays.fill(baseOf, Double.NaN);
            double seSum = 0;
            for (int k = 0; k < vm.length; k++) {
                int b = valid.get(k);
                baseOf[b] = vbase[k];
                double se = spread / (0.4 * Math.sqrt(fill[b]));
                seSum += se;
                double scale = Math.max(s, se);
                if (Math.abs(vres[k]) > o.driftZ() * scale && Math.abs(vres[k]) > o.minDriftShift()) {
                    binRules.get(b).add(Rule.SIGNAL_DRIFT);
                    dirOf[b] = vres[k] > 0 ? 1 : -1;
                    String msg = String.format(java.util.Locale.ROOT, "%s median %.3f vs %.3f (asinh decades)", ch.name(),
                            vm[k], vbase[k]);
                    why[b] = why[b] == null ? msg : why[b] + "; " + msg;
                }
            }
            driftChannels.add(new DriftSegment.Channel(ch, med, baseOf, dirOf, s, spread, seSum / vm.length));
        }
        // changes the running medians take in (longer than about half their window): level shifts of the counts
        // and of each channel's medians, scanned over the bins clear of every bin-test finding
        int minShiftBins = Math.max(3, o.consecutiveBins());
        boolean[] local = new boolean[nb];
        for (int b = 0; b < nb; b++) local[b] = !binRules.get(b).isEmpty();
        boolean[] clear = clearOf(local);
        double[] clearCounts = select(c, clear);
        LevelShift.Fit rateShifts = LevelShift.find(positions(clear), clearCounts,
                Math.sqrt(Math.max(1, Stats.median(clearCounts))), o.rateZ(),
                level -> LONG_CHANGE * o.minRateChange() * Math.max(level, 1), minShiftBins);
        for (int[] span : shiftedBins(rateShifts, clear)) {
            LevelShift.Shift sh = rateShifts.shifts().get(span[2]);
            for (int b = span[0]; b < span[1]; b++) {
                base[b] = rateShifts.course(b);
                z[b] = (c[b] - base[b]) / Math.sqrt(Math.max(base[b], 1));
                binRules.get(b).add(Rule.FLOW_RATE);
                if (why[b] == null) {
                    why[b] = String.format(java.util.Locale.ROOT, "level shift of bins %d-%d: %+.0f %% of the rate "
                            + "around them (z %.1f)", span[0], span[1] - 1, 100 * sh.shift() / Math.max(1, base[b]),
                            sh.z());
                }
            }
        }
        // a long signal shift must show in two channels or more: a change of the sample stream moves every signal,
        // while one channel alone is more likely its own median flipping between two populations (a viability dye
        // with about half the cells dead)
        List<LevelShift.Fit> channelShifts = new ArrayList<>();
        List<List<int[]>> channelSpans = new ArrayList<>();
        for (int k = 0; k < driftChannels.size(); k++) {
            double[] med = driftChannels.get(k).medians();
            boolean[] kept = clear.clone();
            for (int b = 0; b < nb; b++) kept[b] &= !Double.isNaN(med[b]);
            LevelShift.Fit shifts = LevelShift.find(positions(kept), select(med, kept), driftChannels.get(k).medianSe(),
                    o.driftZ(), level -> LONG_CHANGE * o.minDriftShift(), minShiftBins);
            channelShifts.add(shifts);
            channelSpans.add(shiftedBins(shifts, kept));
        }
        for (int k = 0; k < driftChannels.size(); k++) {
            DriftSegment.Channel dc = driftChannels.get(k);
            for (int[] span : channelSpans.get(k)) {
                LevelShift.Shift sh = channelShifts.get(k).shifts().get(span[2]);
                if (!corroborated(span, sh, k, channelShifts, channelSpans)) continue;
                for (int b = span[0]; b < span[1]; b++) {
                    dc.baseOf()[b] = channelShifts.get(k).course(b);
                    if (dc.dirOf()[b] == 0) dc.dirOf()[b] = sh.shift() > 0 ? 2 : -2;
                    binRules.get(b).add(Rule.SIGNAL_DRIFT);
                    String msg = String.format(java.util.Locale.ROOT, "%s level shift of bins %d-%d: %+.3f asinh "
                            + "decades (z %.1f)", dc.channel().name(), span[0], span[1] - 1, sh.shift(), sh.z());
                    why[b] = why[b] == null ? msg : why[b] + "; " + msg;
                }
            }
        }
        // fill short good runs between bad bins
        int lastBad = -1;
        for (int b = 0; b < nb; b++) {
            if (binRules.get(b).isEmpty()) continue;
            if (lastBad >= 0 && b - lastBad - 1 > 0 && b - lastBad - 1 < o.consecutiveBins()) {
                EnumSet<Rule> both = EnumSet.copyOf(binRules.get(lastBad));
                both.addAll(binRules.get(b));
                for (int k = lastBad + 1; k < b; k++) {
                    binRules.get(k).addAll(both);
                    why[k] = "short good run between anomalous bins";
                }
            }
            lastBad = b;
        }
        int b = 0;
        while (b < nb) {
            if (binRules.get(b).isEmpty()) {
                b++;
                continue;
            }
            int e = b;
            EnumSet<Rule> rules = EnumSet.copyOf(binRules.get(b));
            StringBuilder detail = new StringBuilder();
            while (e < nb && !binRules.get(e).isEmpty()) {
                rules.addAll(binRules.get(e));
                if (why[e] != null && detail.length() < 400) {
                    if (detail.length() > 0) detail.append(" | ");
                    detail.append("bin ").append(e).append(": ").append(why[e]);
                }
                e++;
            }
            double start = grid.start(b);
            double end = grid.end(e - 1);
            if (rules.equals(EnumSet.of(Rule.FLOW_RATE))) {
                double[] refined = refine(time, start, end, width, grid.sub(), !grid.quantized(), base, b, e, grid.start(0),
                        grid.end(nb - 1));
                if (refined != null) {
                    detail.append(String.format(java.util.Locale.ROOT, " | bins [%s, %s) refined to the sub-bins "
                            + "whose rate departs from the baseline", fmt(start), fmt(end)));
                    start = refined[0];
                    end = refined[1];
                }
            } else if (rules.equals(EnumSet.of(Rule.SIGNAL_DRIFT))) {
                DriftSegment.Segment seg = DriftSegment.refine(time, drift, driftChannels, binRules, grid, b, e);
                if (seg != null) {
                    detail.append(String.format(java.util.Locale.ROOT, " | bins [%s, %s) refined to the events whose "
                            + "signal departs from the baseline (sign test z %.1f)", fmt(start), fmt(end), seg.z()));
                    start = seg.start();
                    end = seg.end();
                }
            }
            excludedOut.add(new TimeInterval(start, end, rules, detail.toString()));
            b = e;
        }
        shiftedWindows(time, grid, window, o, binRules, base, excludedOut);
        DriftSegment.shifted(time, drift, driftChannels, binRules, grid, o, excludedOut);
        excludedOut.sort(java.util.Comparator.comparingDouble(TimeInterval::start));
        for (int k = 0; k < nb; k++) {
            binsOut.add(new Bin(grid.start(k), grid.end(k), counts[k], base[k], z[k], binRules.get(k)));
        }
        for (DriftSegment.Channel dc : driftChannels) tracesOut.add(new Trace(dc.channel().name(), dc.medians(), dc.baseOf()));
        // events are removed by the intervals, which need not follow bin edges once refined
        for (int i = 0; i < n; i++) {
            if (binOf[i] < 0) continue;
            for (TimeInterval iv : excludedOut) {
                if (!iv.contains(time[i])) continue;
                if (iv.rules().contains(Rule.FLOW_RATE)) flags[i] |= FLAG_FLOW_RATE;
                if (iv.rules().contains(Rule.SIGNAL_DRIFT)) flags[i] |= FLAG_SIGNAL_DRIFT;
            }
        }
    }

    /**
     * The bins a level-shift scan may use: those the bin test did not flag and that are not next to one it flagged
     * (a flagged change rarely fills whole bins, so its neighbours hold part of it: a short shift, not a long one).
     */
    private static boolean[] clearOf(boolean[] flagged) {
        int nb = flagged.length;
        boolean[] keep = new boolean[nb];
        for (int b = 0; b < nb; b++) {
            keep[b] = !flagged[b] && (b == 0 || !flagged[b - 1]) && (b == nb - 1 || !flagged[b + 1]);
        }
        return keep;
    }

    /**
     * Whether another channel than {@code k} has a level shift in the same direction over at least half of the bins
     * of {@code span} (the shift {@code sh} of channel k).
     */
    private static boolean corroborated(int[] span, LevelShift.Shift sh, int k, List<LevelShift.Fit> fits,
                                        List<List<int[]>> spans) {
        for (int j = 0; j < fits.size(); j++) {
            if (j == k) continue;
            for (int[] other : spans.get(j)) {
                LevelShift.Shift os = fits.get(j).shifts().get(other[2]);
                int overlap = Math.min(span[1], other[1]) - Math.max(span[0], other[0]);
                if (Math.signum(os.shift()) == Math.signum(sh.shift()) && 2 * overlap >= span[1] - span[0]) return true;
            }
        }
        return false;
    }

    /**
     * Whether bins [b0, b1) are unflagged and no interval found so far overlaps them: a half-bin-shifted finding is
     * new only there (a refined interval may reach a bin beyond its own, and the same clog or shift is never
     * reported twice).
     */
    static boolean untouched(List<EnumSet<Rule>> rules, List<TimeInterval> excluded, Grid grid, int b0, int b1) {
        for (int b = b0; b < b1; b++) if (!rules.get(b).isEmpty()) return false;
        double start = grid.start(b0);
        double end = grid.end(b1 - 1);
        for (TimeInterval iv : excluded) if (iv.start() < end && iv.end() > start) return false;
        return true;
    }

    /** The values of v where keep is true. */
    private static double[] select(double[] v, boolean[] keep) {
        int m = 0;
        for (boolean k : keep) if (k) m++;
        double[] out = new double[m];
        for (int b = 0, j = 0; b < keep.length; b++) if (keep[b]) out[j++] = v[b];
        return out;
    }

    /** The bin indices where keep is true, as positions. */
    private static double[] positions(boolean[] keep) {
        double[] v = new double[keep.length];
        for (int b = 0; b < v.length; b++) v[b] = b;
        return select(v, keep);
    }

    /**
     * The bins each shift of {@code fit} spans, as {from, to, shift index}: from its first point's bin to its last
     * point's bin, with the bins left out of the series between them (flagged by the bin test, or too few events).
     */
    private static List<int[]> shiftedBins(LevelShift.Fit fit, boolean[] kept) {
        List<int[]> out = new ArrayList<>();
        if (fit == null) return out;
        int[] binOfPoint = new int[kept.length];
        int m = 0;
        for (int b = 0; b < kept.length; b++) if (kept[b]) binOfPoint[m++] = b;
        for (int k = 0; k < fit.shifts().size(); k++) {
            LevelShift.Shift sh = fit.shifts().get(k);
            out.add(new int[] {binOfPoint[sh.from()], binOfPoint[sh.to() - 1] + 1, k});
        }
        return out;
    }

    /**
     * A level shift (a change the running medians take in) must be this many times the bin tests' minimum change
     * ({@link Options#minRateChange()}, {@link Options#minDriftShift()}): it removes a long stretch of the run at
     * once, and real runs drift and settle by more than a transient would.
     */
    static final double LONG_CHANGE = 2;

    /** Sub-bins per bin when a flow-rate interval's edges are narrowed. */
    static final int SUB_BINS = 8;

    /**
     * Refines a flow-rate interval [start, end) made of bins [b0, b1) to the hull of the sub-bins (1/{@value
     * #SUB_BINS} of a bin) whose count departs from the baseline rate by more than 4 Poisson SDs and by half the
     * expected count, looking up to one bin beyond each end (within [lo, hi)) and, when {@code grow}, growing the
     * hull by one sub-bin either side: a clog or burst rarely fills whole bins, so whole bins remove good events
     * around it and can miss its tail in a neighbouring bin.
     *
     * @return the refined [start, end), or null when no sub-bin departs that clearly (a rate change spread evenly
     *         over the bins: the caller keeps the bins)
     */
    private static double[] refine(double[] time, double start, double end, double width, double sw, boolean grow,
                                   double[] base, int b0, int b1, double lo, double hi) {
        double[] rates = new double[b1 - b0];
        for (int k = b0; k < b1; k++) rates[k - b0] = base[k] / width;
        double rate = Stats.median(rates);
        double from = Math.max(lo, start - width);
        double to = Math.min(hi, end + width);
        int ns = Math.max(1, (int) Math.ceil((to - from) / sw - 1e-9));
        int[] c = new int[ns];
        for (double t : time) {
            if (t >= from && t < to) c[Math.min(ns - 1, (int) ((t - from) / sw))]++;
        }
        int first = -1;
        int last = -1;
        for (int k = 0; k < ns; k++) {
            double w = Math.min(sw, to - (from + k * sw));
            double expected = rate * w;
            double d = Math.abs(c[k] - expected);
            if (d > 4 * Math.sqrt(Math.max(expected, 1)) && d > 0.5 * expected) {
                if (first < 0) first = k;
                last = k;
            }
        }
        if (first < 0) return null;
        // one more sub-bin either side: the edge sub-bins of a clog are only partly anomalous (not with quantized
        // Time, whose sub-bins are whole steps: a step is kept or removed whole)
        if (grow) {
            first = first - 1;
            last = last + 1;
        }
        return new double[] {first <= 0 ? from : from + first * sw, last >= ns - 1 ? to : from + (last + 1) * sw};
    }

    /**
     * The flow-rate test on bins shifted by half a bin: a clog that straddles two bins may raise each by too little,
     * while the shifted bin around it sees it whole. A run of anomalous shifted bins over bins no interval covers yet
     * becomes an interval only when {@link #refine} confirms it (some sub-bin departs clearly), and then has the
     * refined extent; the bins it spans are marked FLOW_RATE.
     */
    private static void shiftedWindows(double[] time, Grid grid, int window, Options o, List<EnumSet<Rule>> binRules,
                                       double[] base, List<TimeInterval> excludedOut) {
        int nb = grid.nb();
        double width = grid.width();
        int ns = nb - 1;
        if (ns < 3 || !(grid.shift() > 0)) return;   // bins of one Time step: nothing can straddle two bins
        double off = grid.origin() + grid.shift();
        double[] sc = new double[ns];
        for (double t : time) {
            if (!Double.isFinite(t)) continue;
            double u = (t - off) / width;
            if (u >= 0 && u < ns) sc[(int) u]++;
        }
        RateTest rate = RateTest.of(sc, window, o, 0);
        for (int[] run : runs(rate.anomalous())) {
            int b0 = run[0];          // shifted bins [from, to) overlap bins [from, to]
            int b1 = run[1] + 1;
            if (!untouched(binRules, excludedOut, grid, b0, b1)) continue;
            double start = grid.start(b0);
            double end = grid.end(b1 - 1);
            double lo = b0 > 0 && binRules.get(b0 - 1).isEmpty() ? grid.start(0) : start;
            double hi = b1 < nb && binRules.get(b1).isEmpty() ? grid.end(nb - 1) : end;
            double[] refined = refine(time, start, end, width, grid.sub(), !grid.quantized(), base, b0, b1, lo, hi);
            if (refined == null) continue;
            String detail = String.format(java.util.Locale.ROOT, "half-bin-shifted bins around [%s, %s): %d events vs "
                    + "baseline %.0f; refined to the sub-bins whose rate departs from the baseline", fmt(start),
                    fmt(end), (int) sc[b0], rate.base()[b0]);
            excludedOut.add(new TimeInterval(refined[0], refined[1], EnumSet.of(Rule.FLOW_RATE), detail));
            for (int b = b0; b < b1; b++) binRules.get(b).add(Rule.FLOW_RATE);
        }
    }

    /**
     * The time bins: bin b is [start(b), end(b)); the last one ends just above the last time. {@code sub} is the
     * width of a refinement sub-bin, {@code shift} the offset of the half-bin-shifted bins (0: none), and
     * {@code lastExposure} the fraction of a full bin the last bin covers (1 unless Time is quantized), {@code step}
     * the Time step of quantized Time (0 otherwise).
     */
    record Grid(double origin, double tmax, double width, int nb, double sub, double shift,
                        double lastExposure, boolean quantized, double step) {
        double start(int b) { return origin + b * width; }

        /** Quantized Time: the start of the step holding t (edges lie halfway between steps); else t. */
        double stepStart(double t) {
            return quantized ? origin + Math.floor((t - origin) / step) * step : t;
        }

        /** Quantized Time: the end of the step holding t; else t. */
        double stepEnd(double t) {
            return quantized ? stepStart(t) + step : t;
        }

        double end(int b) {
            if (b < nb - 1) return origin + (b + 1) * width;
            return quantized ? origin + nb * width : Math.nextUp(tmax);
        }

        /** The bin of time t, or −1 when t is not finite. */
        int binOf(double t) {
            return Double.isFinite(t) ? (int) Math.max(0, Math.min(nb - 1, Math.floor((t - origin) / width))) : -1;
        }

        /**
         * About {@link Options#eventsPerBin()} events per bin, between {@link Options#minBins()} and
         * {@link Options#maxBins()} equal bins over [tmin, tmax]. When Time is quantized — it counts in steps q
         * (instrument ticks, or a coarse $TIMESTEP) and a bin would hold fewer than {@value #STEPS_PER_BIN} steps —
         * equal bins would hold alternately k and k + 1 steps, a count pattern the flow-rate test reads as clogs.
         * Bins are then a whole number of steps with edges halfway between steps (sub-bins and the shift too); null
         * when fewer than {@link Options#minBins()} such bins fit in the run.
         */
        static Grid of(double[] time, double tmin, double tmax, int usable, Options o) {
            int nb = (int) Math.max(o.minBins(), Math.min(o.maxBins(), Math.round((double) usable / o.eventsPerBin())));
            double width = (tmax - tmin) / nb;
            double q = resolution(time);
            if (!(q > 0) || width >= STEPS_PER_BIN * q) {
                return new Grid(tmin, tmax, width, nb, width / SUB_BINS, width / 2, 1, false, 0);
            }
            double origin = tmin - q / 2;
            long steps = Math.round((tmax - tmin) / q) + 1;          // steps spanned by the run
            long k = Math.max(1, Math.round(width / q));
            if (steps / k < o.minBins()) k = steps / o.minBins();   // as wide as minBins allows
            if (k < 1) return null;
            int bins = (int) ((steps + k - 1) / k);
            long last = steps - (long) (bins - 1) * k;
            return new Grid(origin, tmax, k * q, bins, Math.max(1, k / SUB_BINS) * q, (k / 2) * q, (double) last / k,
                    true, q);
        }
    }

    /** Fewer Time steps per bin than this make the bins whole numbers of steps (see {@link Grid#of}). */
    static final int STEPS_PER_BIN = 16;

    /**
     * The resolution of Time: the smallest gap between two distinct finite values (NaN when there are fewer than
     * two). Continuous times give a tiny gap; quantized ones their step.
     */
    static double resolution(double[] time) {
        double[] t = Stats.sorted(Stats.finite(time));
        double q = Double.POSITIVE_INFINITY;
        for (int i = 1; i < t.length; i++) {
            double d = t[i] - t[i - 1];
            if (d > 0 && d < q) q = d;
        }
        return Double.isInfinite(q) ? Double.NaN : q;
    }

    /**
     * The flow-rate test over bin counts: baseline = running median of the counts; a bin is anomalous when its
     * residual exceeds {@link Options#rateZ()} robust SDs (1.4826 × MAD of the residuals, at least the Poisson SD
     * √baseline) and {@link Options#minRateChange()} of the baseline. When the first and last bins are partly
     * exposed by up to {@code endShare} of a bin (one step of quantized Time), a deficit there within that share
     * (plus 4 Poisson SDs) is not a clog.
     */
    private record RateTest(double[] base, double[] z, boolean[] anomalous) {
        static RateTest of(double[] counts, int window, Options o, double endShare) {
            int nb = counts.length;
            double[] base = runningMedian(counts, window);
            double[] resid = new double[nb];
            for (int b = 0; b < nb; b++) resid[b] = counts[b] - base[b];
            double madScale = Stats.mad(resid, Stats.median(resid)) * Stats.MAD_TO_SD;
            double[] z = new double[nb];
            boolean[] anomalous = new boolean[nb];
            for (int b = 0; b < nb; b++) {
                double scale = Math.max(madScale, Math.sqrt(Math.max(base[b], 1)));
                z[b] = resid[b] / scale;
                anomalous[b] = Math.abs(z[b]) > o.rateZ() && Math.abs(resid[b]) > o.minRateChange() * base[b];
                boolean end = b == 0 || b == nb - 1;
                if (endShare > 0 && end && resid[b] < 0
                        && -resid[b] <= endShare * base[b] + 4 * Math.sqrt(Math.max(base[b], 1))) {
                    anomalous[b] = false;
                }
            }
            return new RateTest(base, z, anomalous);
        }
    }

    /** The runs of true values of {@code a}, each as {from, to}: a[from..to) true, maximal. */
    static List<int[]> runs(boolean[] a) {
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < a.length; ) {
            if (!a[k]) {
                k++;
                continue;
            }
            int e = k;
            while (e < a.length && a[e]) e++;
            out.add(new int[] {k, e});
            k = e;
        }
        return out;
    }

    private static String fmt(double v) { return String.format(java.util.Locale.ROOT, "%.6g", v); }

    /** Running median with an odd window, shrinking at the ends. */
    static double[] runningMedian(double[] v, int window) {
        int half = window / 2;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int a = Math.max(0, i - half);
            int b = Math.min(v.length, i + half + 1);
            out[i] = Stats.median(Arrays.copyOfRange(v, a, b));
        }
        return out;
    }
}
