package org.cikqc.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GridTest {
    @Test
    void densityGridBinsPilesOffScaleAndSkipsNaN() {
        DensityGrid g = new DensityGrid(0, 10, 10, 0, 100, 4);
        g.add(new double[] {0, 9.99, 10, 11, -1, Double.NaN, 5},
              new double[] {0, 99, 100, 50, -5, 1, Double.NaN}, 7);
        assertEquals(5, g.total());
        assertEquals(2, g.skipped());
        assertEquals(2, g.offScale());
        assertEquals(2, g.count(0, 0), "0,0 and the off-scale -1,-5");
        assertEquals(2, g.count(9, 3), "9.99,99 and the upper edge 10,100");
        assertEquals(1, g.count(9, 2), "11 piles on the right edge");
        assertEquals(2, g.maxCount());
        DensityGrid h = g.copy();
        h.addAll(g);
        assertEquals(10, h.total());
        assertEquals(5, g.total(), "copy is independent");
        assertThrows(IllegalArgumentException.class, () -> h.addAll(new DensityGrid(0, 10, 10, 0, 100, 5)));
        assertThrows(IllegalArgumentException.class, () -> g.add(new double[1], new double[2], 2));
        assertThrows(IllegalArgumentException.class, () -> new DensityGrid(0, 0, 10, 0, 1, 10));
    }

    @Test
    void histogramBinsAndMerges() {
        Histogram1D h = new Histogram1D(0, 4, 4);
        h.add(new double[] {0, 0.5, 1, 3.99, 4, 7, Double.NaN}, 7);
        assertEquals(6, h.total());
        assertEquals(1, h.skipped());
        assertEquals(1, h.offScale());
        assertEquals(2, h.count(0));
        assertEquals(3, h.count(3));
        assertEquals(1.0, h.binLow(1));
        assertEquals(2.0, h.binHigh(1));
        Histogram1D c = Histogram1D.ofCounts(0, 4, new long[] {1, 2, 3, 4});
        assertEquals(10, c.total());
        c.addAll(h);
        assertEquals(16, c.total());
        assertThrows(IllegalArgumentException.class, () -> Histogram1D.ofCounts(0, 1, new long[] {-1}));
    }

    @Test
    void pseudoColourIsWhiteForEmptyBlueToRed() {
        assertEquals(0xFFFFFF, PseudoColor.forCount(0, 100));
        assertEquals(0x0000FF, PseudoColor.forCount(1, 100));
        assertEquals(0xFF0000, PseudoColor.forCount(100, 100));
        assertEquals(0x00FF00, PseudoColor.ramp(0.5));
    }
}
