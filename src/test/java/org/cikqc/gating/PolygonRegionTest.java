package org.cikqc.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The grid-accelerated and flagged polygon paths agree with the plain even-odd/edge-inside test. */
class PolygonRegionTest {

    static List<PolygonGate.Vertex> randomPolygon(Random r, int m) {
        List<PolygonGate.Vertex> v = new ArrayList<>();
        for (int k = 0; k < m; k++) {
            // float32-representable coordinates so that points on edges are exactly representable
            v.add(new PolygonGate.Vertex((float) (r.nextDouble() * 1000 - 200), (float) (r.nextDouble() * 500)));
        }
        return v;
    }

    /** Random points plus points exactly on edges, on vertices and on vertex y-levels. */
    static double[][] points(Random r, List<PolygonGate.Vertex> v, int n) {
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            PolygonGate.Vertex a = v.get(r.nextInt(v.size()));
            PolygonGate.Vertex b = v.get((v.indexOf(a) + 1) % v.size());
            switch (i % 5) {
                case 0 -> {
                    xs[i] = a.x();
                    ys[i] = a.y();
                }
                case 1 -> {
                    double t = r.nextInt(9) / 8.0;
                    xs[i] = a.x() + t * (b.x() - a.x());
                    ys[i] = a.y() + t * (b.y() - a.y());
                }
                case 2 -> {
                    xs[i] = r.nextDouble() * 1400 - 400;
                    ys[i] = a.y();
                }
                default -> {
                    xs[i] = r.nextDouble() * 1400 - 400;
                    ys[i] = r.nextDouble() * 700 - 100;
                }
            }
        }
        return new double[][] {xs, ys};
    }

    @Test
    void gridAgreesWithTheEdgeLoop() {
        Random r = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            List<PolygonGate.Vertex> v = randomPolygon(r, 3 + r.nextInt(12));
            PolygonRegion region = PolygonRegion.of(v);
            PolygonRegion.Grid grid = region.grid(0, 0);
            double[][] p = points(r, v, 3000);
            int n = p[0].length;
            long[] out = new long[Bits.words(n)];
            region.evaluate(p[0], p[1], 0, n, out, null, 0, 0, region.edgeTolerances(0, 0), grid, new int[n],
                    new double[n], new double[n]);
            for (int i = 0; i < n; i++) {
                assertEquals(region.contains(p[0][i], p[1][i]), Bits.get(out, i), "trial " + trial + " point " + p[0][i] + "," + p[1][i]);
            }
            assertEquals(0, out[out.length - 1] & ~Bits.tail(n), "no bits beyond the last event");
        }
    }

    @Test
    void verticesNearTheDoubleRangeGiveTheMembershipOfTheUnscaledPolygon() {
        // cross products of differences near 1e308 overflowed to infinity and NaN: a triangle at +-5e307 held none
        // of the events inside it, and its grid was built from those tests
        PolygonRegion huge = PolygonRegion.of(List.of(new PolygonGate.Vertex(-5e307, -5e307),
                new PolygonGate.Vertex(5e307, -5e307), new PolygonGate.Vertex(0, 5e307)));
        assertTrue(huge.contains(100, 50));
        assertTrue(huge.contains(0, 5e307), "a vertex");
        assertTrue(huge.grid(0, 0) == null, "no grid for a scaled polygon");
        PolygonRegion diamond = PolygonRegion.of(List.of(new PolygonGate.Vertex(1e308, 0),
                new PolygonGate.Vertex(0, 1e308), new PolygonGate.Vertex(-1e308, 0), new PolygonGate.Vertex(0, -1e308)));
        assertTrue(diamond.contains(0.5, 127.9));
        assertTrue(diamond.contains(-1e308, 0), "a vertex");
        assertTrue(!diamond.contains(6e307, 6e307));
        // random polygons and points (on edges, vertices and vertex levels too) scaled by powers of two: the same
        // decisions, exactly, through contains and classify
        Random r = new Random(8);
        for (int trial = 0; trial < 100; trial++) {
            List<PolygonGate.Vertex> v = randomPolygon(r, 3 + r.nextInt(12));
            double[][] p = points(r, v, 500);
            PolygonRegion plain = PolygonRegion.of(v);
            for (double f : new double[] {0x1p600, 0x1p1013}) {
                List<PolygonGate.Vertex> scaled = new ArrayList<>();
                for (PolygonGate.Vertex a : v) scaled.add(new PolygonGate.Vertex(a.x() * f, a.y() * f));
                PolygonRegion big = PolygonRegion.of(scaled);
                double[] tol = big.edgeTolerances(0, 0);
                for (int i = 0; i < p[0].length; i++) {
                    boolean expected = plain.contains(p[0][i], p[1][i]);
                    assertEquals(expected, big.contains(p[0][i] * f, p[1][i] * f), "trial " + trial + " x " + f);
                    assertEquals(expected ? PolygonRegion.MEMBER : 0,
                            big.classify(p[0][i] * f, p[1][i] * f, 0, 0, tol) & PolygonRegion.MEMBER);
                }
            }
        }
    }

    @Test
    void gridLooksUpPointsFarOutsideAndNonFiniteOnesAsOutside() {
        List<PolygonGate.Vertex> v = List.of(new PolygonGate.Vertex(0, 0), new PolygonGate.Vertex(10, 0),
                new PolygonGate.Vertex(10, 10), new PolygonGate.Vertex(0, 10));
        PolygonRegion region = PolygonRegion.of(v);
        PolygonRegion.Grid grid = region.grid(0, 0);
        double inf = Double.POSITIVE_INFINITY;
        double[] xs = {5, -1e300, 1e300, Double.NaN, 5, inf, -inf, 10, 0, Math.nextUp(10.0), Math.nextDown(0.0), 5, 5,
            -0.0, 10, 1e-320};
        double[] ys = {5, 5, 5, 5, Double.NaN, 5, 5, 10, 0, 5, 5, inf, -inf, 3, Math.nextDown(10.0), 1e-320};
        long[] packed = new long[1];
        region.evaluate(xs, ys, 0, xs.length, packed, null, 0, 0, region.edgeTolerances(0, 0), grid,
                new int[xs.length], new double[xs.length], new double[xs.length]);
        boolean[] out = new boolean[xs.length];
        Bits.unpack(packed, xs.length, out);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(region.contains(xs[i], ys[i]), out[i], "point " + xs[i] + "," + ys[i]);
        }
        assertTrue(out[0] && out[7] && out[8] && out[13] && out[14] && out[15]);
        assertEquals(null, region.grid(1, 1), "cells narrower than the uncertainty: no grid");
        // the grid's border would lie beyond the largest double
        PolygonRegion huge = PolygonRegion.of(List.of(new PolygonGate.Vertex(-1.79e308, 0),
                new PolygonGate.Vertex(-1.0e308, 0), new PolygonGate.Vertex(-1.5e308, 10)));
        assertEquals(null, huge.grid(0, 0), "a box near the double range: the edge loop alone");
    }

    @Test
    void flaggedEventsCoverEveryPossibleFlip() {
        Random r = new Random(9);
        double ex = 0.5;
        double ey = 0.25;
        int flaggedTotal = 0;
        for (int trial = 0; trial < 100; trial++) {
            List<PolygonGate.Vertex> v = randomPolygon(r, 3 + r.nextInt(10));
            PolygonRegion region = PolygonRegion.of(v);
            double[] tol = region.edgeTolerances(ex, ey);
            PolygonRegion.Grid grid = region.grid(ex, ey);
            if (grid == null) continue;
            double[][] exact = points(r, v, 2000);
            int n = exact[0].length;
            double[] ax = new double[n];
            double[] ay = new double[n];
            for (int i = 0; i < n; i++) {
                ax[i] = exact[0][i] + (r.nextDouble() * 2 - 1) * ex;
                ay[i] = exact[1][i] + (r.nextDouble() * 2 - 1) * ey;
            }
            long[] po = new long[Bits.words(n)];
            long[] pf = new long[Bits.words(n)];
            long[] pon = new long[Bits.words(n)];
            long[] pfn = new long[Bits.words(n)];
            region.evaluate(ax, ay, 0, n, po, pf, ex, ey, tol, grid, new int[n], new double[n], new double[n]);
            region.evaluate(ax, ay, 0, n, pon, pfn, ex, ey, tol);
            boolean[] out = new boolean[n];
            boolean[] flags = new boolean[n];
            boolean[] outNoGrid = new boolean[n];
            boolean[] flagsNoGrid = new boolean[n];
            Bits.unpack(po, n, out);
            Bits.unpack(pf, n, flags);
            Bits.unpack(pon, n, outNoGrid);
            Bits.unpack(pfn, n, flagsNoGrid);
            for (int i = 0; i < n; i++) {
                boolean truth = region.contains(exact[0][i], exact[1][i]);
                assertEquals(region.contains(ax[i], ay[i]), out[i]);
                assertEquals(out[i], outNoGrid[i]);
                if (truth != out[i]) {
                    assertTrue(flags[i] && flagsNoGrid[i], "a flip must be flagged: trial " + trial + " event " + i);
                }
                if (flags[i]) flaggedTotal++;
            }
        }
        assertTrue(flaggedTotal > 0);
    }

    @Test
    void farVerticesDecideNearPointsExactly() {
        // fuzz round 28 D2: with vertices at 1e18 or beyond, both products of an edge's cross product with a point
        // near the origin rounded to the same value, so points off the diagonal counted as on it (inside both
        // triangles); at 1e150 every point of the bounding box was inside
        for (double big : new double[] {1e6, 1e16, 1e18, 1e20, 1e150, 1e300}) {
            PolygonRegion lower = PolygonRegion.of(List.of(new PolygonGate.Vertex(0, 0), new PolygonGate.Vertex(big, 0),
                    new PolygonGate.Vertex(big, big)));
            PolygonRegion upper = PolygonRegion.of(List.of(new PolygonGate.Vertex(0, 0), new PolygonGate.Vertex(big, big),
                    new PolygonGate.Vertex(0, big)));
            double[][] below = {{10, 5}, {1000.5, 1000.25}, {3, 0}, {262_143, 1}};
            double[][] above = {{5, 10}, {1000.25, 1000.5}, {0, 3}, {1, 262_143}};
            for (double[] p : below) {
                assertTrue(lower.contains(p[0], p[1]) && !upper.contains(p[0], p[1]), big + " " + p[0] + "," + p[1]);
            }
            for (double[] p : above) {
                assertTrue(!lower.contains(p[0], p[1]) && upper.contains(p[0], p[1]), big + " " + p[0] + "," + p[1]);
            }
            for (double d : new double[] {0, 7, 1000.125, 262_143}) { // on the shared edge: inside both
                assertTrue(lower.contains(d, d) && upper.contains(d, d), big + " diagonal " + d);
            }
        }
    }
}
