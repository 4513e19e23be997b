package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A threshold from a control sample (FMO, unstained or isotype): a high percentile of the control's values in
 * the channel, e.g. the 99.5th of an FMO, so that at most 0.5 % of negative events fall above it. The percentile
 * is interpolated between order statistics (R type 7) and comes with a distribution-free 95 % confidence interval
 * from the binomial distribution of the order statistics.
 *
 * <p>Fewer than 20 finite control events: failed (ERROR). Fewer than {@link Options#minEvents()} (by default
 * enough events to put 10 above the percentile): flagged as imprecise. A control without spread, or a threshold
 * outside the allowed window: flagged. Never throws on data.
 */
public final class ControlThreshold {
    private ControlThreshold() { }

    /** Below this many finite events no percentile is computed. */
    public static final int ABSOLUTE_MIN_EVENTS = 20;

    /**
     * Options.
     *
     * @param percentile percentile of the control, 0 &lt; p &lt; 100 (default 99.5)
     * @param minEvents  fewest control events for a precise percentile; default ⌈10 / (1 − p/100)⌉ (2,000 for 99.5)
     * @param window     allowed threshold window (data units)
     */
    public record Options(double percentile, int minEvents, AllowedWindow window) {
        public Options {
            if (!(percentile > 0 && percentile < 100)) throw new IllegalArgumentException("percentile must be in (0, 100)");
            Objects.requireNonNull(window, "window");
        }

        /** The 99.5th percentile, 2,000 events, any threshold. */
        public static Options defaults() { return of(99.5); }

        /** Percentile {@code p} with the default event minimum and no window. */
        public static Options of(double p) {
            return new Options(p, (int) Math.ceil(10 / (1 - p / 100) - 1e-9), AllowedWindow.ANY);
        }

        public Options withWindow(AllowedWindow w) { return new Options(percentile, minEvents, w); }
    }

    /**
     * The threshold with its diagnostics. Positive events are those strictly above {@code threshold}.
     *
     * @param threshold  the percentile of the control (data units), NaN when failed
     * @param lower95    lower end of its 95 % confidence interval (order statistic), NaN when failed
     * @param upper95    upper end of its 95 % confidence interval (order statistic), NaN when failed
     * @param percentile the percentile used
     * @param eventsUsed finite control events
     * @param nonFinite  NaN/infinite control values ignored
     * @param issues     issues
     */
    public record Result(double threshold, double lower95, double upper95, double percentile, int eventsUsed,
                         int nonFinite, List<FitIssue> issues) implements FitResult {
        public Result {
            issues = List.copyOf(issues);
        }

        /** True when {@code v} is above the threshold. */
        public boolean isPositive(double v) { return v > threshold; }
    }

    /** The 99.5th percentile of {@code control}. */
    public static Result fit(double[] control) {
        return fit(control, Options.defaults());
    }

    /** The configured percentile of {@code control} (data units; NaN/infinite ignored). */
    public static Result fit(double[] control, Options o) {
        List<FitIssue> issues = new ArrayList<>();
        double[] x = Stats.finite(control);
        int nonFinite = control.length - x.length;
        if (nonFinite > 0) {
            issues.add(FitIssue.info(FitIssue.Code.NON_FINITE_IGNORED, nonFinite + " non-finite control values ignored"));
        }
        if (x.length < ABSOLUTE_MIN_EVENTS) {
            issues.add(FitIssue.error(FitIssue.Code.TOO_FEW_EVENTS, "control has " + x.length
                    + " finite events, at least " + ABSOLUTE_MIN_EVENTS + " needed"));
            return new Result(Double.NaN, Double.NaN, Double.NaN, o.percentile(), x.length, nonFinite, issues);
        }
        if (x.length < o.minEvents()) {
            issues.add(FitIssue.warning(FitIssue.Code.TOO_FEW_EVENTS, "control has " + x.length + " events; the "
                    + Stats.fmt(o.percentile()) + "th percentile needs " + o.minEvents() + " to be precise"));
        }
        double[] s = Stats.sorted(x);
        double p = o.percentile() / 100;
        double thr = Stats.quantileSorted(s, p);
        if (!(s[s.length - 1] > s[0])) {
            issues.add(FitIssue.warning(FitIssue.Code.DEGENERATE_DATA,
                    "all " + s.length + " control values equal " + Stats.fmt(s[0])));
        }
        // distribution-free CI: ranks n·p ± 1.96 √(n p (1 − p)) (normal approximation to the binomial)
        int n = s.length;
        double half = 1.959963984540054 * Math.sqrt(n * p * (1 - p));
        int lo = (int) Math.max(0, Math.floor(n * p - half) - 1);
        int hi = (int) Math.min(n - 1, Math.ceil(n * p + half) - 1);
        FitIssue w = o.window().check("control threshold", thr);
        if (w != null) issues.add(w);
        return new Result(thr, s[lo], s[Math.max(lo, hi)], o.percentile(), n, nonFinite, issues);
    }
}
