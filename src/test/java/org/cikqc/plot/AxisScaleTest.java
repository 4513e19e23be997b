package org.cikqc.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class AxisScaleTest {

    private static List<String> labels(List<AxisTick> ticks) {
        return ticks.stream().filter(AxisTick::major).map(AxisTick::plainLabel).collect(Collectors.toList());
    }

    @Test
    void linearTicksAreNiceNumbersWithSuffixes() {
        AxisScale s = AxisScale.linear("FSC-A");
        assertEquals(List.of("0", "50K", "100K", "150K", "200K", "250K"), labels(s.ticks(0, 262144)));
        assertEquals(List.of("0", "20", "40", "60", "80", "100", "120"), labels(s.ticks(0, 120)));
        assertEquals(List.of("0", "0.2", "0.4", "0.6", "0.8", "1.0"), labels(s.ticks(0, 1)));
        assertEquals(List.of("0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M", "3.0M"), labels(s.ticks(0, 3e6)));
    }

    @Test
    void decadeTicksArePlacedThroughTheTransformEachLabelled() {
        AxisScale s = SampleFigures.asinh("CD3");
        double lo = s.toDisplay(-1000);
        double hi = s.toDisplay(262144);
        List<AxisTick> ticks = s.ticks(lo, hi);
        List<String> labels = labels(ticks);
        for (String l : List.of("-10^3", "-10^2", "0", "10^2", "10^3", "10^4", "10^5")) {
            assertTrue(labels.contains(l), l + " in " + labels);
        }
        for (AxisTick t : ticks) {
            assertEquals(s.toDisplay(t.data()), t.display(), 1e-12, "placed via toDisplay");
            assertTrue(t.display() >= lo && t.display() <= hi);
        }
        for (int i = 1; i < ticks.size(); i++) assertTrue(ticks.get(i).display() > ticks.get(i - 1).display());
    }

    /** The decade labels an axis of {@code length} points keeps, with labels 11 points tall and 2 points apart. */
    private static List<String> fitted(AxisScale s, double lo, double hi, double length) {
        return labels(Ticks.fitLabels(s.ticks(lo, hi), t -> {
            double at = (t.display() - lo) / (hi - lo) * length;
            return new double[] {at - 5.5, at + 5.5};
        }, 2, hi - lo));
    }

    @Test
    void everyDecadeLabelThatFitsIsKeptAndThoseCrowdingZeroGiveWayFirst() {
        AxisScale s = SampleFigures.asinh("CD56");
        double lo = s.toDisplay(-1000);
        double hi = s.toDisplay(262144);
        // ±10^2 sit 6 % of the axis from 0: on a 300-point axis that is room enough (the old rule, labels 7.5 % of
        // the axis apart, dropped them); 10^1 and below crowd against 0 and stay unlabelled
        assertEquals(List.of("-10^3", "-10^2", "0", "10^2", "10^3", "10^4", "10^5"), fitted(s, lo, hi, 300));
        // a 100-point axis: ±10^2 give way to 0, the outer decades stay
        assertEquals(List.of("-10^3", "0", "10^3", "10^4", "10^5"), fitted(s, lo, hi, 100));
        // a label that does not fit leaves its tick mark
        List<AxisTick> small = Ticks.fitLabels(s.ticks(lo, hi), t -> new double[] {t.display() * 10, t.display() * 10},
                100, hi - lo);
        assertTrue(small.stream().anyMatch(t -> !t.major() && t.data() == 100000));
        assertEquals(List.of("0"), labels(small), "0 first");
    }

    @Test
    void logScaleLabelsEveryDecade() {
        AxisScale s = AxisScale.of("log", Math::log10, d -> Math.pow(10, d));
        assertEquals(List.of("10^5", "10^4", "10^3", "10^2", "10^1").size(), labels(s.ticks(1, 5)).size());
        assertEquals(List.of("10^1", "10^2", "10^3", "10^4", "10^5"), labels(s.ticks(1, 5)));
    }

    @Test
    void withLabelKeepsTheMapping() {
        AxisScale s = SampleFigures.asinh("a").withLabel("b");
        assertEquals("b", s.label());
        assertEquals(SampleFigures.asinh("a").toDisplay(5000), s.toDisplay(5000), 0);
        assertEquals(AxisScale.TickStyle.DECADES, s.tickStyle());
    }
}
