package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class DensityTest {

    @Test
    void silvermanBandwidthMatchesTheRule() {
        double[] v = Synthetic.mixture(1, 10_000, 0, 1, 0, 0, 1);
        double h = Density.bandwidth(v, Density.BandwidthRule.SILVERMAN, 1);
        assertEquals(0.9 * Math.pow(10_000, -0.2), h, 0.01);
        assertEquals(2 * h, Density.bandwidth(v, Density.BandwidthRule.SILVERMAN, 2), 1e-12);
        assertEquals(0, Density.bandwidth(new double[] {3, 3, 3}, Density.BandwidthRule.SILVERMAN, 1));
    }

    @Test
    void densityIntegratesToOneAndPeaksAtTheMode() {
        Density d = Density.estimate(Synthetic.mixture(2, 20_000, 5, 1, 0, 0, 1), Density.BandwidthRule.SILVERMAN,
                1, 512);
        double area = 0;
        for (int i = 0; i < d.size(); i++) area += d.y(i) * d.step();
        assertEquals(1, area, 0.01);
        assertEquals(5, d.x(d.argMax()), 0.1);
        assertEquals(1 / Math.sqrt(2 * Math.PI), d.y(d.argMax()), 0.03);
    }

    @Test
    void findsThreeSeparatedPopulationsAndIgnoresSamplingNoise() {
        double[] v = Synthetic.concat(Synthetic.mixture(3, 6000, 0, 1, 3000, 8, 1),
                Synthetic.mixture(4, 300, 16, 1, 0, 0, 1));
        Density d = Density.estimate(v, Density.BandwidthRule.SILVERMAN, 1, 512);
        List<Density.Peak> peaks = d.peaks(0.002, 0.05, 0.003, 3);
        assertEquals(3, peaks.size(), peaks.toString());
        assertEquals(0, peaks.get(0).position(), 0.2);
        assertEquals(8, peaks.get(1).position(), 0.2);
        assertEquals(16, peaks.get(2).position(), 0.3);
        assertEquals(6000.0 / 9300, peaks.get(0).mass(), 0.01);
        assertEquals(300.0 / 9300, peaks.get(2).mass(), 0.01);
        // a single normal sample has exactly one peak however it is undersmoothed
        Density one = Density.estimate(Synthetic.mixture(5, 2000, 0, 1, 0, 0, 1), Density.BandwidthRule.SILVERMAN,
                0.3, 512);
        assertEquals(1, one.peaks(0.002, 0.05, 0.003, 3).size());
    }

    @Test
    void refusesDataWithoutSpread() {
        assertThrows(IllegalArgumentException.class,
                () -> Density.estimate(new double[] {1, 1, 1, 1}, Density.BandwidthRule.SILVERMAN, 1, 512));
        assertThrows(IllegalArgumentException.class,
                () -> Density.estimate(new double[] {Double.NaN}, Density.BandwidthRule.SILVERMAN, 1, 512));
    }
}
