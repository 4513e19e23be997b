package org.cikqc.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic CIK-like figures (seeded) for plot and dossier tests. */
public final class SampleFigures {
    private SampleFigures() { }

    /** asinh display scale with cofactor 150, as a stand-in for logicle. */
    public static AxisScale asinh(String label) {
        return AxisScale.of(label, v -> asinhFn(v / 150.0), d -> 150.0 * Math.sinh(d));
    }

    private static double asinhFn(double x) { return Math.log(x + Math.sqrt(x * x + 1)); }

    public static DensityPlot scatter(long seed) {
        Random r = new Random(seed);
        AxisScale fsc = AxisScale.linear("FSC-A");
        AxisScale ssc = AxisScale.linear("SSC-A");
        DensityGrid g = new DensityGrid(0, 262144, 256, 0, 262144, 256);
        double[] xs = new double[1000];
        double[] ys = new double[1000];
        for (int batch = 0; batch < 50; batch++) {
            for (int i = 0; i < 1000; i++) {
                if (r.nextDouble() < 0.8) {
                    xs[i] = 90000 + 18000 * r.nextGaussian();
                    ys[i] = 40000 + 12000 * r.nextGaussian();
                } else {
                    xs[i] = 20000 * r.nextDouble();
                    ys[i] = 30000 * r.nextDouble();
                }
            }
            g.add(xs, ys, 1000);
        }
        List<double[]> poly = new ArrayList<>();
        poly.add(new double[] {45000, 8000});
        poly.add(new double[] {150000, 10000});
        poly.add(new double[] {160000, 90000});
        poly.add(new double[] {70000, 95000});
        poly.add(new double[] {40000, 40000});
        return DensityPlot.builder("Lymphocytes (FSC-A / SSC-A)", fsc, ssc, g)
                .subtitle("parent: all events, 50,000 events")
                .overlay(Overlay.polygon("Lymphocytes", poly, "79.6%"))
                .build();
    }

    /** One simulated event: {x, y} in data units, drawn from {@code r}. */
    private interface EventSource {
        double[] next(Random r);
    }

    /** A 200 x 200 grid over -1000..262144 on both scales, filled with {@code events} events. */
    private static DensityGrid grid(AxisScale x, AxisScale y, long seed, int events, EventSource source) {
        Random r = new Random(seed);
        DensityGrid g = new DensityGrid(x.toDisplay(-1000), x.toDisplay(262144), 200,
                y.toDisplay(-1000), y.toDisplay(262144), 200);
        for (int i = 0; i < events; i++) {
            double[] e = source.next(r);
            g.add(x.toDisplay(e[0]), y.toDisplay(e[1]));
        }
        return g;
    }

    public static DensityGrid cd3cd56Grid(long seed) {
        return grid(asinh("CD3"), asinh("CD56"), seed, 40000, r -> {
            double u = r.nextDouble();
            if (u < 0.55) return new double[] {8000 * Math.exp(0.4 * r.nextGaussian()), 60 * r.nextGaussian()};
            if (u < 0.90) return new double[] {6000 * Math.exp(0.4 * r.nextGaussian()), 3000 * Math.exp(0.5 * r.nextGaussian())};
            if (u < 0.95) return new double[] {60 * r.nextGaussian(), 5000 * Math.exp(0.4 * r.nextGaussian())};
            return new double[] {80 * r.nextGaussian(), 80 * r.nextGaussian()};
        });
    }

    public static DensityPlot quadrant(long seed) {
        return DensityPlot.quadrantPlot("CD3 / CD56 (viable CD45+)", asinh("CD3 BV421-A"), asinh("CD56 PE-A"),
                cd3cd56Grid(seed), Overlay.quadrant("CD3/CD56", 600, 500,
                        "CD3-CD56+ 5.0%", "CD3+CD56+ 35.1%", "CD3-CD56- 4.9%", "CD3+CD56- 55.0%"));
    }

    /**
     * A CD3/CD56 quadrant plot (split at 600, 500) whose CD3+CD56− cloud sits in the plot's bottom-right corner,
     * where that quadrant's label would go on an empty plot.
     */
    public static DensityPlot quadrantWithCornerCloud(long seed) {
        AxisScale x = asinh("CD3 BV421-A");
        AxisScale y = asinh("CD56 PE-A");
        DensityGrid g = grid(x, y, seed, 40000, r -> {
            double u = r.nextDouble();
            if (u < 0.6) return new double[] {150000 * Math.exp(0.2 * r.nextGaussian()), -700 + 120 * r.nextGaussian()};
            if (u < 0.9) return new double[] {6000 * Math.exp(0.4 * r.nextGaussian()), 3000 * Math.exp(0.5 * r.nextGaussian())};
            return new double[] {60 * r.nextGaussian(), 5000 * Math.exp(0.4 * r.nextGaussian())};
        });
        return DensityPlot.quadrantPlot("CD3 / CD56", x, y, g, Overlay.quadrant("CD3/CD56", 600, 500,
                "CD3-CD56+ 10.0%", "CD3+CD56+ 30.0%", "CD3-CD56- 0.0%", "CD3+CD56- 60.0%"));
    }

    /** CD4 against CD8 of CD3+ cells with both thresholds (at 800) drawn, as the pipeline draws them. */
    public static DensityPlot cd4cd8(long seed) {
        AxisScale x = asinh("CD4 PE-Cy7-A");
        AxisScale y = asinh("CD8 APC-A");
        DensityGrid g = grid(x, y, seed, 30000, r -> {
            double u = r.nextDouble();
            if (u < 0.65) return new double[] {60 * r.nextGaussian(), 10000 * Math.exp(0.4 * r.nextGaussian())};
            if (u < 0.9) return new double[] {5000 * Math.exp(0.3 * r.nextGaussian()), 60 * r.nextGaussian()};
            return new double[] {60 * r.nextGaussian(), 60 * r.nextGaussian()};
        });
        return DensityPlot.builder("CD4 / CD8 of CD3+ cells", x, y, g)
                .overlay(Overlay.threshold("CD4+", Overlay.Axis.X, 800, Overlay.Side.UNSTATED, "25.0 %"))
                .overlay(Overlay.threshold("CD8+", Overlay.Axis.Y, 800, Overlay.Side.UNSTATED, "65.0 %"))
                .build();
    }

    public static HistogramPlot cd3Histogram(long seed) {
        return cd3Histogram(seed, Overlay.threshold("CD3+ (valley)", Overlay.Axis.X, 600, Overlay.Side.UNSTATED, "90.1%"));
    }

    /** The CD3 histogram with the given threshold overlay. */
    public static HistogramPlot cd3Histogram(long seed, Overlay threshold) {
        return HistogramPlot.builder("CD3 (viable CD45+)", asinh("CD3 BV421-A"), cd3Counts(seed))
                .overlay(threshold)
                .build();
    }

    /** The CD3 histogram's counts: 90 % positive around 7,000, 10 % negative around 0, on {@code asinh}'s scale. */
    public static Histogram1D cd3Counts(long seed) {
        Random r = new Random(seed);
        AxisScale x = asinh("CD3 BV421-A");
        Histogram1D h = new Histogram1D(x.toDisplay(-1000), x.toDisplay(262144), 256);
        for (int i = 0; i < 40000; i++) {
            double v = r.nextDouble() < 0.9 ? 7000 * Math.exp(0.45 * r.nextGaussian()) : 70 * r.nextGaussian();
            h.add(x.toDisplay(v));
        }
        return h;
    }

    public static HistogramPlot acquisition(long seed) {
        Random r = new Random(seed);
        long[] counts = new long[120];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = 400 + Math.round(20 * r.nextGaussian());
            if (i >= 30 && i < 34) counts[i] = 1100 + r.nextInt(60);
            if (i >= 95 && i < 97) counts[i] = 60;
        }
        return AcquisitionPlot.builder("Acquisition QC: events per second", AxisScale.linear("Time (s)"),
                        Histogram1D.ofCounts(0, 120, counts))
                .subtitle("removed 2.9% of events")
                .removed("flow rate", 30, 34)
                .removed("flow rate", 95, 97)
                .removed("margin events", 97, 98)
                .build();
    }

    /** Two channels' bin medians over time, one shifted down in [40, 60) and one with a gap (NaN bins). */
    public static TracePlot signal(long seed) {
        Random r = new Random(seed);
        double[] x = new double[100];
        double[] a = new double[100];
        double[] b = new double[100];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 0.5;
            a[i] = 0.01 * r.nextGaussian() + (i >= 40 && i < 60 ? -0.22 : 0);
            b[i] = i >= 70 && i < 73 ? Double.NaN : 0.02 * r.nextGaussian();
        }
        return TracePlot.builder("Acquisition QC (signal over time)", AxisScale.linear("Time (s)"),
                        "Median shift (decades)")
                .subtitle("bin median minus run median")
                .series("CD3 (FITC-A)", x, a)
                .series("CD56 (PE-A)", x, b)
                .removed("signal_drift", 40, 60)
                .build();
    }

    public static List<Figure> all(long seed) {
        return List.of(scatter(seed), quadrant(seed), cd3Histogram(seed), acquisition(seed), signal(seed));
    }
}
