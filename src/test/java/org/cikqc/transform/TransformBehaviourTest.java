package org.cikqc.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.cikqc.common.CikqcException;
import org.junit.jupiter.api.Test;

/** Validation messages, round trips, bounds, symmetry and edge values; needs no shared data. */
class TransformBehaviourTest {

    private static void rejects(String expectedMessage, org.junit.jupiter.api.function.Executable ctor) {
        CikqcException e = assertThrows(CikqcException.class, ctor);
        assertEquals(CikqcException.Kind.INVALID_SPEC, e.kind());
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void validationMessagesNameTransformAndParameter() {
        rejects("logicle: W=3 must satisfy 0 <= W <= M/2 (M=4.5)", () -> new LogicleTransform(262144, 3, 4.5, 0));
        rejects("logicle: W=-0.1 must satisfy 0 <= W <= M/2 (M=4.5)", () -> new LogicleTransform(262144, -0.1, 4.5, 0));
        rejects("logicle: A=-1 must satisfy -W <= A <= M-2W (W=0.5, M=4.5)",
                () -> new LogicleTransform(262144, 0.5, 4.5, -1));
        rejects("logicle: A=4 must satisfy -W <= A <= M-2W (W=0.5, M=4.5)",
                () -> new LogicleTransform(262144, 0.5, 4.5, 4));
        rejects("logicle: T=0 must be > 0", () -> new LogicleTransform(0, 0.5, 4.5, 0));
        rejects("logicle: M=-4.5 must be > 0", () -> new LogicleTransform(262144, 0.5, -4.5, 0));
        rejects("logicle: T=NaN must be a finite number", () -> new LogicleTransform(Double.NaN, 0.5, 4.5, 0));
        rejects("hyperlog: W=0 must satisfy 0 < W <= M/2 (M=4.5)", () -> new HyperlogTransform(262144, 0, 4.5, 0));
        rejects("hyperlog: A=3 must satisfy -W <= A <= M-2W (W=1, M=4.5)", () -> new HyperlogTransform(262144, 1, 4.5, 3));
        rejects("hyperlog: T=-1 must be > 0", () -> new HyperlogTransform(-1, 1, 4.5, 0));
        rejects("fasinh: A=-1 must be >= 0", () -> new AsinhTransform(262144, 4.5, -1));
        rejects("fasinh: M=0 must be > 0", () -> new AsinhTransform(262144, 0, 0));
        rejects("fasinh: T=Inf must be a finite number", () -> new AsinhTransform(Double.POSITIVE_INFINITY, 4.5, 0));
        rejects("flog: T=0 must be > 0", () -> new LogTransform(0, 4.5));
        rejects("flog: M=-1 must be > 0", () -> new LogTransform(10000, -1));
        rejects("flin: T=-5 must be > 0", () -> new LinearTransform(-5, 0));
        rejects("flin: A=2000 must satisfy -T < A <= T (T=1000)", () -> new LinearTransform(1000, 2000));
        rejects("flin: A=-1000 must satisfy -T < A <= T (T=1000)", () -> new LinearTransform(1000, -1000));
        rejects("fratio: C=NaN must be a finite number", () -> new RatioTransform(1, 0, Double.NaN));
        rejects("bounds: boundMin=1 must be <= boundMax=0 (flin(T=1000, A=0))",
                () -> new BoundedTransform(new LinearTransform(1000, 0), 1, 0));
        assertThrows(NullPointerException.class, () -> new BoundedTransform(null, 0, 1));
        // limits themselves are valid
        new LogicleTransform(262144, 2.25, 4.5, 0);
        new LogicleTransform(262144, 0.5, 4.5, -0.5);
        new LogicleTransform(262144, 0.5, 4.5, 3.5);
        new HyperlogTransform(262144, 2.25, 4.5, 0);
        new LinearTransform(1000, 1000);
    }

    @Test
    void describeIsCompact() {
        assertEquals("logicle(T=262144, W=0.5, M=4.5, A=0)", new LogicleTransform(262144, 0.5, 4.5, 0).describe());
        assertEquals("hyperlog(T=10000, W=1, M=4, A=0.5)", new HyperlogTransform(10000, 1, 4, 0.5).describe());
        assertEquals("fasinh(T=1000, M=4, A=1)", new AsinhTransform(1000, 4, 1).describe());
        assertEquals("flog(T=10000, M=5)", new LogTransform(10000, 5).describe());
        assertEquals("flin(T=1024, A=100)", new LinearTransform(1024, 100).describe());
        assertEquals("fratio(A=2.5, B=10, C=-5)", new RatioTransform(2.5, 10, -5).describe());
        assertEquals("bounded(flin(T=1000, A=0), min=0.05, max=0.95)",
                new BoundedTransform(new LinearTransform(1000, 0), 0.05, 0.95).describe());
        assertEquals("bounded(flin(T=1000, A=0), max=1)",
                new BoundedTransform(new LinearTransform(1000, 0), Double.NEGATIVE_INFINITY, 1).describe());
    }

    static List<Transform> zoo() {
        return List.of(new LinearTransform(262144, 0), new LinearTransform(1024, 100), new LogTransform(262144, 4.5),
                new AsinhTransform(262144, 4.5, 0), new AsinhTransform(1000, 4, 1),
                new LogicleTransform(262144, 0.5, 4.5, 0), new LogicleTransform(262144, 0, 4.5, 1),
                new LogicleTransform(262144, 2.25, 4.5, 0), new LogicleTransform(10000, 1, 4, 0.5),
                new LogicleTransform(262144, 0.5, 4.5, -0.5), new LogicleTransform(300000, 1, 5, 0.3),
                new LogicleTransform(262144, 0.3, 4.2, 0.5), new HyperlogTransform(262144, 0.5, 4.5, 0),
                new HyperlogTransform(262144, 2.25, 4.5, 0), new HyperlogTransform(10000, 1, 4, 0.5),
                new HyperlogTransform(250000, 0.1, 4, 0), new HyperlogTransform(262144, 0.5, 4.5, -0.5));
    }

    @Test
    void roundTripsOnRandomValues() {
        Random r = new Random(20240611);
        for (Transform t : zoo()) {
            double maxData = 0;
            double maxScale = 0;
            for (int i = 0; i < 20_000; i++) {
                // y on [-0.3, 1.2] (log transform: x > 0 only) and data over ~±10^5.5
                double y = -0.3 + 1.5 * r.nextDouble();
                double x = t.inverse(y);
                double yy = t.apply(x);
                maxScale = Math.max(maxScale, Math.abs(yy - y));
                double xd = (r.nextBoolean() ? 1 : -1) * Math.pow(10, -3 + 8.5 * r.nextDouble());
                if (t instanceof LogTransform) xd = Math.abs(xd);
                double back = t.inverse(t.apply(xd));
                maxData = Math.max(maxData, Math.abs(back - xd) / Math.max(1, Math.abs(xd)));
            }
            assertTrue(maxScale < 1e-13, t.describe() + ": apply(inverse(y)) off by " + maxScale);
            assertTrue(maxData < 1e-9, t.describe() + ": inverse(apply(x)) off by " + maxData);
        }
    }

    @Test
    void logicleAndHyperlogSymmetryMonotonicityAndAnchors() {
        for (Transform t : zoo()) {
            if (!(t instanceof LogicleTransform || t instanceof HyperlogTransform)) continue;
            double top = t instanceof LogicleTransform l ? l.t() : ((HyperlogTransform) t).t();
            assertEquals(1.0, t.apply(top), 1e-14, t.describe() + " maps T to 1");
            double zero = t.apply(0);
            double prev = Double.NEGATIVE_INFINITY;
            for (int k = -2000; k <= 2000; k++) {
                double x = Math.signum(k) * Math.pow(10, Math.abs(k) / 350.0 - 1) * (k == 0 ? 0 : 1);
                double y = t.apply(x);
                assertTrue(y > prev || x == 0 && y >= prev, t.describe() + " increasing at x=" + x);
                prev = y;
                assertEquals(2 * zero - t.apply(x), t.apply(-x), 1e-13, t.describe() + " odd about zero at " + x);
            }
            // tiny values go through the Taylor branch: linear slope, not the cancelling exponentials
            double slope = (t.apply(1e-6) - zero) / 1e-6;
            for (double tiny : new double[] {1e-9, 1e-12, -1e-9}) {
                assertEquals(zero + tiny * slope, t.apply(tiny), Math.max(4 * Math.ulp(zero), 1e-6 * Math.abs(tiny * slope)),
                        t.describe() + " at " + tiny);
            }
        }
    }

    @Test
    void edgeValues() {
        LogTransform log = new LogTransform(10000, 5);
        assertEquals(Double.NEGATIVE_INFINITY, log.apply(0));
        assertTrue(Double.isNaN(log.apply(-1)));
        for (Transform t : zoo()) {
            assertTrue(Double.isNaN(t.apply(Double.NaN)), t.describe());
            assertTrue(Double.isNaN(t.inverse(Double.NaN)), t.describe());
        }
        LogicleTransform l = new LogicleTransform(262144, 0.5, 4.5, 0);
        assertEquals(Double.POSITIVE_INFINITY, l.apply(Double.POSITIVE_INFINITY));
        assertEquals(Double.NEGATIVE_INFINITY, l.apply(Double.NEGATIVE_INFINITY));
        assertTrue(l.apply(1e300) > 50, "huge data stay finite and ordered");
        RatioTransform ratio = new RatioTransform(1, 0, 0);
        assertEquals(Double.POSITIVE_INFINITY, ratio.apply(5, 0));
        assertEquals(Double.NEGATIVE_INFINITY, ratio.apply(-5, 0));
        assertTrue(Double.isNaN(ratio.apply(0, 0)));
        assertEquals(2.7 * (5 + 100) / (2 + 300), new RatioTransform(2.7, -100, -300).apply(5, 2), 1e-15);
    }

    @Test
    void boundsClipOutputAndInverse() {
        Transform lin = new LinearTransform(1000, 0);
        BoundedTransform b = new BoundedTransform(lin, 0.05, 0.95);
        assertEquals(0.05, b.apply(-300));
        assertEquals(0.95, b.apply(5000));
        assertEquals(0.5, b.apply(500));
        assertEquals(950.0, b.inverse(1.2), 1e-12);
        assertEquals(50.0, b.inverse(-1), 1e-12);
        assertEquals(400.0, b.inverse(0.4), 1e-12);
        assertTrue(Double.isNaN(b.apply(Double.NaN)));
        BoundedTransform onlyMax = new BoundedTransform(lin, Double.NEGATIVE_INFINITY, 0.8912345);
        assertEquals(-1.0, onlyMax.apply(-1000));
        assertEquals(0.8912345, onlyMax.apply(2000));
        double[] v = {-300, 500, 5000};
        b.applyInPlace(v, 3);
        assertEquals(0.05, v[0]);
        assertEquals(0.5, v[1]);
        assertEquals(0.95, v[2]);
    }

    @Test
    void batchEqualsScalar() {
        Random r = new Random(3);
        double[] x = new double[5000];
        for (int i = 0; i < x.length; i++) x[i] = (r.nextDouble() - 0.2) * 3e5;
        for (Transform t : zoo()) {
            double[] v = x.clone();
            t.applyInPlace(v, v.length - 1);
            for (int i = 0; i < v.length - 1; i++) {
                assertEquals(Double.doubleToLongBits(t.apply(x[i])), Double.doubleToLongBits(v[i]), t.describe());
            }
            assertEquals(x[x.length - 1], v[v.length - 1], 0.0, "only n values touched");
            assertThrows(IndexOutOfBoundsException.class, () -> t.applyInPlace(new double[2], 3));
        }
    }

    @Test
    void batchLogicleIsBitIdenticalToPerValueLogicle() {
        // the gating engine re-evaluates boundary events with apply(); batch and per-value results must agree exactly
        LogicleTransform t = new LogicleTransform(262144, 0.5, 4.5, 0);
        int n = 200_000;
        double[] v = new double[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) v[i] = (r.nextDouble() - 0.1) * 262144;
        double[] w = v.clone();
        t.applyInPlace(w, n);
        for (int i = 0; i < n; i++) assertEquals(t.apply(v[i]), w[i], 0.0, "at " + v[i]);
    }
}
