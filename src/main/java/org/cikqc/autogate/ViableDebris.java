package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Debris among the viability-dye-negative events of a panel without CD45. With CD45 the CD45+ gate removes debris;
 * without it, debris that overlaps the dead cells on FSC-A (both are smaller than live cells) passes the
 * cells-versus-debris gate, and the part of it that does not take up the dye is counted as viable cells (CD3−CD56−),
 * diluting % CD3+ and moving viability. Among dye-negative events the dead cells are gone, so that debris stands
 * apart from the live cells on FSC-A; this finds it there.
 *
 * <p>On the log10 FSC-A density of the dye-negative events (above the cells gate's FSC-A boundary): the main peak
 * (live cells) has mode M; the <em>valley</em> is the lowest point between the lowest event and M. The events
 * below the valley are debris when all of these hold:
 * <ul>
 *   <li>the valley lies at or below {@link Options#valleyMaxRatio()} × M, and the highest density below it (the
 *       debris mode, often where the cells gate cut the debris) at or below {@link Options#debrisMaxRatio()} × M:
 *       small lymphocytes beside activated blasts sit at half the blasts' FSC-A or more, debris well below;</li>
 *   <li>the density below the valley rises to at least {@link Options#minPeakToValley()} × the valley's: a
 *       population of its own, not the live cells' lower tail (which falls monotonically towards small FSC-A);</li>
 *   <li>the events below the valley exceed what a flat density at the valley's level would put there by
 *       {@link Options#z()} Poisson standard errors, and number at least {@link Options#minEvents()} and
 *       {@link Options#minFraction()} of the dye-negative events.</li>
 * </ul>
 * The cut is the valley, in FSC-A data units: dye-negative events below it are debris, neither viable nor dead;
 * dye-positive events below it stay (they cannot be told from dead cells on scatter, and keeping them errs on the
 * safe side: they count as dead).
 */
public final class ViableDebris {
    private ViableDebris() { }

    /**
     * Options. Defaults: valley at most 0.5 × the live mode, debris mode at most 0.35 × it, peak-to-valley at least
     * 1.5, at least 20 events and 0.2 % of the dye-negative events, 3 standard errors, at least 200 usable events.
     *
     * @param valleyMaxRatio  highest valley, as a fraction of the live-cell mode
     * @param debrisMaxRatio  highest debris mode, as a fraction of the live-cell mode
     * @param minPeakToValley lowest ratio of the highest density below the valley to the valley's
     * @param minFraction     fewest debris events, as a fraction of the usable dye-negative events
     * @param minEvents       fewest debris events
     * @param z               standard errors of the excess over a flat density at the valley's level
     * @param minUsable       fewest usable (positive, finite, above the lower bound) events to look at all
     */
    public record Options(double valleyMaxRatio, double debrisMaxRatio, double minPeakToValley, double minFraction,
                          int minEvents, double z, int minUsable) {
        public Options {
            if (!(valleyMaxRatio > 0 && valleyMaxRatio < 1) || !(debrisMaxRatio > 0 && debrisMaxRatio <= valleyMaxRatio)
                    || !(minPeakToValley >= 1) || !(minFraction >= 0 && minFraction < 1) || minEvents < 1 || !(z >= 0)
                    || minUsable < 10) {
                throw new IllegalArgumentException("invalid viable-debris options");
            }
        }

        public static Options defaults() { return new Options(0.5, 0.35, 1.5, 0.002, 20, 3, 200); }
    }

    /**
     * The outcome.
     *
     * @param cut          FSC-A below which dye-negative events are debris; NaN when none was found
     * @param debris       dye-negative events below the cut (0 when none)
     * @param used         usable dye-negative events
     * @param mainMode     FSC-A mode of the live cells (NaN when not estimated)
     * @param debrisMode   FSC-A of the highest density below the valley (NaN when not estimated)
     * @param valley       FSC-A of the valley (NaN when not estimated)
     * @param peakToValley density at the debris mode over the density at the valley (NaN when not estimated)
     * @param issues       what was found, or why nothing was (INFO)
     */
    public record Result(double cut, int debris, int used, double mainMode, double debrisMode, double valley,
                         double peakToValley, List<FitIssue> issues) implements FitResult {
        public Result {
            issues = List.copyOf(issues);
        }

        /** Whether debris was found (the cut is finite). */
        public boolean found() { return Double.isFinite(cut); }
    }

    /**
     * Looks for debris among the dye-negative events' FSC-A values.
     *
     * @param fsc   FSC-A of the dye-negative events (non-finite and non-positive values are left out)
     * @param lower the cells gate's FSC-A boundary (values below it are left out); NaN for none
     */
    public static Result fit(double[] fsc, double lower, Options o) {
        Objects.requireNonNull(fsc, "fsc");
        Objects.requireNonNull(o, "options");
        double lo = Double.isFinite(lower) && lower > 0 ? lower : 0;
        double[] lx = new double[fsc.length];
        int n = 0;
        for (double v : fsc) if (v > lo && v < Double.POSITIVE_INFINITY) lx[n++] = Math.log10(v);
        lx = java.util.Arrays.copyOf(lx, n);
        List<FitIssue> issues = new ArrayList<>();
        if (n < o.minUsable()) {
            issues.add(FitIssue.info(FitIssue.Code.TOO_FEW_EVENTS, n + " usable dye-negative events, at least "
                    + o.minUsable() + " needed to look for debris"));
            return none(n, issues);
        }
        Density d;
        try {
            d = Density.estimate(lx, Density.BandwidthRule.SILVERMAN, 1, Density.DEFAULT_GRID);
        } catch (IllegalArgumentException e) {
            issues.add(FitIssue.info(FitIssue.Code.DEGENERATE_DATA, "dye-negative FSC-A has no spread"));
            return none(n, issues);
        }
        double min = lx[0];
        for (double v : lx) min = Math.min(min, v);
        int main = d.argMax();
        int first = d.indexOf(min);
        double mainMode = Math.pow(10, d.x(main));
        if (main - first < 3) {
            return new Result(Double.NaN, 0, n, mainMode, Double.NaN, Double.NaN, Double.NaN, List.of(
                    FitIssue.info(FitIssue.Code.UNIMODAL, "no dye-negative events well below the live cells' FSC-A mode "
                            + Stats.fmt(mainMode))));
        }
        int v = d.argMinBetween(first, main);
        int peak = first;
        for (int i = first; i < v; i++) if (d.y(i) > d.y(peak)) peak = i;
        double valley = Math.pow(10, d.x(v));
        double debrisMode = Math.pow(10, d.x(peak));
        double ratio = d.y(v) > 0 ? d.y(peak) / d.y(v) : (d.y(peak) > 0 ? Double.POSITIVE_INFINITY : 0);
        int below = 0;
        double cutLog = d.x(v);
        for (double x : lx) if (x < cutLog) below++;
        double expected = d.y(v) * (cutLog - min) * n;
        double excess = below - expected;
        String where = "dye-negative FSC-A: live mode " + Stats.fmt(mainMode) + ", valley " + Stats.fmt(valley)
                + ", highest density below it at " + Stats.fmt(debrisMode) + " (" + Stats.fmt(ratio) + " x the valley's), "
                + below + " of " + n + " events below the valley";
        String why = null;
        if (!(ratio >= o.minPeakToValley())) why = "no population of its own below the valley";
        else if (!(valley <= o.valleyMaxRatio() * mainMode)) why = "the valley is above " + Stats.fmt(o.valleyMaxRatio()) + " x the live mode";
        else if (!(debrisMode <= o.debrisMaxRatio() * mainMode)) why = "the lower population is above " + Stats.fmt(o.debrisMaxRatio()) + " x the live mode";
        else if (below < o.minEvents() || below < o.minFraction() * n) why = "too few events below the valley";
        else if (!(excess >= o.z() * Math.sqrt(Math.max(expected, 1)))) why = "the excess over the valley's level is not significant";
        if (why != null) {
            issues.add(FitIssue.info(FitIssue.Code.NO_DEBRIS_PEAK, "no dye-negative debris: " + why + " (" + where + ")"));
            return new Result(Double.NaN, 0, n, mainMode, debrisMode, valley, ratio, issues);
        }
        issues.add(FitIssue.info(FitIssue.Code.DYE_NEGATIVE_DEBRIS, below + " dye-negative events below FSC-A "
                + Stats.fmt(valley) + " are debris, neither viable nor dead (" + where + ")"));
        return new Result(valley, below, n, mainMode, debrisMode, valley, ratio, issues);
    }

    private static Result none(int used, List<FitIssue> issues) {
        return new Result(Double.NaN, 0, used, Double.NaN, Double.NaN, Double.NaN, Double.NaN, issues);
    }
}
