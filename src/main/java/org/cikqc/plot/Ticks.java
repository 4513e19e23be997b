package org.cikqc.plot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Tick placement for {@link AxisScale}: nice linear steps and decades. */
final class Ticks {
    /** Minor ticks closer than this fraction of the axis to a kept tick are dropped. */
    static final double MIN_MINOR_SEPARATION = 0.008;

    private Ticks() { }

    static List<AxisTick> linear(AxisScale scale, double displayLo, double displayHi) {
        double a = scale.toData(Math.min(displayLo, displayHi));
        double b = scale.toData(Math.max(displayLo, displayHi));
        if (!(Double.isFinite(a) && Double.isFinite(b)) || b <= a) return List.of();
        double raw = (b - a) / 6.0;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double unit;
        int minorPer;
        if (norm <= 1.0) { unit = 1; minorPer = 5; }
        else if (norm <= 2.0) { unit = 2; minorPer = 4; }
        else if (norm <= 2.5) { unit = 2.5; minorPer = 5; }
        else if (norm <= 5.0) { unit = 5; minorPer = 5; }
        else { unit = 10; minorPer = 5; }
        double step = unit * mag;
        double minorStep = step / minorPer;
        List<AxisTick> out = new ArrayList<>();
        long first = (long) Math.ceil(a / minorStep - 1e-9);
        long last = (long) Math.floor(b / minorStep + 1e-9);
        for (long i = first; i <= last; i++) {
            double v = i * minorStep;
            if (Math.abs(v) < minorStep * 1e-6) v = 0;
            double d = scale.toDisplay(v);
            if (!Double.isFinite(d)) continue;
            if (i % minorPer == 0) out.add(AxisTick.major(d, v, formatLinear(v, step, Math.max(Math.abs(a), Math.abs(b)))));
            else out.add(AxisTick.minor(d, v));
        }
        return out;
    }

    /**
     * "0", "50K", "1.5M", "0.25": the shortest exact label for a multiple of {@code step}, with one suffix for
     * the whole axis (chosen from the axis' largest magnitude {@code axisMax}).
     */
    static String formatLinear(double v, double step, double axisMax) {
        if (v == 0) return "0";
        double max = Math.max(axisMax, step);
        double div = 1;
        String suffix = "";
        if (max >= 1e6 && step >= 1e5) { div = 1e6; suffix = "M"; }
        else if (max >= 1e4 && step >= 1e3) { div = 1e3; suffix = "K"; }
        double scaledStep = step / div;
        int decimals = Math.max(0, new BigDecimal(Double.toString(scaledStep)).stripTrailingZeros().scale());
        decimals = Math.min(decimals, 6);
        return String.format(Locale.ROOT, "%." + decimals + "f", v / div) + suffix;
    }

    /**
     * Zero and every ±10^k between two display positions, each labelled (see {@link #fitLabels} for dropping the
     * labels that do not fit), with unlabelled 2–9 × 10^k ticks between them.
     */
    static List<AxisTick> decades(AxisScale scale, double displayLo, double displayHi) {
        double lo = Math.min(displayLo, displayHi);
        double hi = Math.max(displayLo, displayHi);
        double span = hi - lo;
        if (!(span > 0)) return List.of();
        double a = scale.toData(lo);
        double b = scale.toData(hi);
        if (Double.isNaN(a) || Double.isNaN(b)) return List.of();
        List<AxisTick> all = new ArrayList<>();
        if (a <= 0 && b >= 0) addIfVisible(scale, 0, "0", null, lo, hi, all);
        for (int k = -3; k <= 20; k++) {
            double v = Math.pow(10, k);
            String exponent = k == 0 ? null : Integer.toString(k);
            if (v >= a && v <= b) addIfVisible(scale, v, k == 0 ? "1" : "10", exponent, lo, hi, all);
            if (-v >= a && -v <= b) addIfVisible(scale, -v, k == 0 ? "-1" : "-10", exponent, lo, hi, all);
        }
        for (int k = -3; k <= 20; k++) {
            double dec = Math.pow(10, k);
            for (int m = 2; m <= 9; m++) {
                for (double v : new double[] {m * dec, -m * dec}) {
                    if (v < a || v > b) continue;
                    double d = scale.toDisplay(v);
                    if (!Double.isFinite(d) || d < lo || d > hi) continue;
                    all.add(AxisTick.minor(d, v));
                }
            }
        }
        return withoutCrowdedMinors(all, span);
    }

    /**
     * The decade ticks with only the labels that fit: labels are kept in order of importance — 0, then +10^k from
     * the largest k, then −10^k from the largest — each unless its extent along the axis comes within {@code gap}
     * of a label already kept; a label that does not fit leaves an unlabelled tick. So every decade is labelled
     * where there is room, and the ones crowding against 0 on a logicle axis (10¹, ±1 …) give way first.
     *
     * @param ticks  ticks from {@link #decades}
     * @param extent a labelled tick's {from, to} along the axis, in the units of {@code gap} (pixels or points)
     * @param span   the axis' display span (for spacing the unlabelled ticks, see {@link #MIN_MINOR_SEPARATION})
     */
    static List<AxisTick> fitLabels(List<AxisTick> ticks, Function<AxisTick, double[]> extent, double gap,
            double span) {
        List<AxisTick> labelled = new ArrayList<>();
        List<AxisTick> out = new ArrayList<>();
        for (AxisTick t : ticks) (t.major() ? labelled : out).add(t);
        labelled.sort(Comparator.comparingInt((AxisTick t) -> t.data() == 0 ? 0 : t.data() > 0 ? 1 : 2)
                .thenComparingDouble(t -> -Math.abs(t.data())));
        List<double[]> kept = new ArrayList<>();
        for (AxisTick t : labelled) {
            double[] e = extent.apply(t);
            double from = Math.min(e[0], e[1]);
            double to = Math.max(e[0], e[1]);
            boolean fits = true;
            for (double[] k : kept) {
                if (from < k[1] + gap && to > k[0] - gap) {
                    fits = false;
                    break;
                }
            }
            if (fits) {
                kept.add(new double[] {from, to});
                out.add(t);
            } else {
                out.add(AxisTick.minor(t.display(), t.data()));
            }
        }
        return withoutCrowdedMinors(out, span);
    }

    /**
     * The ticks in display order without the unlabelled ones that would merge into a blob (near zero on logicle
     * axes): closer than {@link #MIN_MINOR_SEPARATION} of the span to a labelled tick or to the previous one kept.
     */
    private static List<AxisTick> withoutCrowdedMinors(List<AxisTick> ticks, double span) {
        List<AxisTick> all = new ArrayList<>(ticks);
        all.sort(Comparator.comparingDouble(AxisTick::display));
        List<AxisTick> out = new ArrayList<>();
        double lastKept = Double.NEGATIVE_INFINITY;
        for (AxisTick t : all) {
            if (t.major()) {
                out.removeIf(o -> !o.major() && Math.abs(o.display() - t.display()) < MIN_MINOR_SEPARATION * span);
                out.add(t);
                lastKept = t.display();
            } else if (t.display() - lastKept >= MIN_MINOR_SEPARATION * span) {
                out.add(t);
                lastKept = t.display();
            }
        }
        return out;
    }

    private static void addIfVisible(AxisScale scale, double v, String text, String sup, double lo, double hi,
            List<AxisTick> into) {
        double d = scale.toDisplay(v);
        if (Double.isFinite(d) && d >= lo - 1e-12 && d <= hi + 1e-12) {
            into.add(new AxisTick(d, v, text, sup, true));
        }
    }
}
