package org.cikqc.plot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Tick placement for {@link AxisScale}: nice linear steps and decades. */
final class Ticks {
    /** Labelled decade ticks closer than this fraction of the axis are thinned (the smaller one becomes minor). */
    static final double MIN_LABEL_SEPARATION = 0.075;
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

    static List<AxisTick> decades(AxisScale scale, double displayLo, double displayHi) {
        double lo = Math.min(displayLo, displayHi);
        double hi = Math.max(displayLo, displayHi);
        double span = hi - lo;
        if (!(span > 0)) return List.of();
        double a = scale.toData(lo);
        double b = scale.toData(hi);
        if (Double.isNaN(a) || Double.isNaN(b)) return List.of();
        // candidates in priority order: 0, then +10^k from the largest k, then -10^k from the largest k
        List<AxisTick> candidates = new ArrayList<>();
        if (a <= 0 && b >= 0) addIfVisible(scale, 0, "0", null, lo, hi, candidates);
        for (int k = 20; k >= -3; k--) {
            double v = Math.pow(10, k);
            if (v >= a && v <= b) addIfVisible(scale, v, k == 0 ? "1" : "10", k == 0 ? null : Integer.toString(k),
                    lo, hi, candidates);
        }
        for (int k = 20; k >= -3; k--) {
            double v = -Math.pow(10, k);
            if (v >= a && v <= b) addIfVisible(scale, v, k == 0 ? "-1" : "-10", k == 0 ? null : Integer.toString(k),
                    lo, hi, candidates);
        }
        List<AxisTick> kept = new ArrayList<>();
        List<AxisTick> demoted = new ArrayList<>();
        for (AxisTick t : candidates) {
            boolean clear = true;
            for (AxisTick k : kept) {
                if (Math.abs(k.display() - t.display()) < MIN_LABEL_SEPARATION * span) { clear = false; break; }
            }
            if (clear) kept.add(t);
            else demoted.add(AxisTick.minor(t.display(), t.data()));
        }
        List<AxisTick> all = new ArrayList<>(kept);
        all.addAll(demoted);
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
        all.sort(Comparator.comparingDouble(AxisTick::display));
        // drop minor ticks that would merge into a blob (near zero on logicle axes)
        List<AxisTick> out = new ArrayList<>();
        double lastKept = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < all.size(); i++) {
            AxisTick t = all.get(i);
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
