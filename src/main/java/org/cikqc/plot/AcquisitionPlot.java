package org.cikqc.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The acquisition-QC figure: events per time bin against time, with the segments an acquisition-QC rule removed
 * shaded and labelled with the rule's name (flow rate, signal drift, margin events…). Wide (aspect 2.4).
 */
public final class AcquisitionPlot {
    private AcquisitionPlot() { }

    /**
     * Starts an acquisition-QC plot.
     *
     * @param time          the time axis (usually {@code AxisScale.linear("Time (s)")})
     * @param eventsPerBin  events per time bin, binned in the display units of {@code time}
     */
    public static Builder builder(String title, AxisScale time, Histogram1D eventsPerBin) {
        return new Builder(title, time, eventsPerBin);
    }

    /** Collects the parts of an acquisition-QC plot. */
    public static final class Builder {
        private final HistogramPlot.Builder inner;
        private final List<Overlay.Interval> removed = new ArrayList<>();

        private Builder(String title, AxisScale time, Histogram1D eventsPerBin) {
            inner = HistogramPlot.builder(title, time, eventsPerBin).yLabel("Events per bin").aspectRatio(2.4)
                    .outlineOnly();
        }

        /** Marks {@code [start, end)} (time data units) as removed by the named rule. */
        public Builder removed(String ruleName, double start, double end) {
            removed.add(Overlay.interval(Objects.requireNonNull(ruleName, "ruleName"), start, end));
            return this;
        }

        /** A small line under the title (e.g. the removed fraction). */
        public Builder subtitle(String text) {
            inner.subtitle(text);
            return this;
        }

        /** The y axis title (default "Events per bin"). */
        public Builder yLabel(String label) {
            inner.yLabel(label);
            return this;
        }

        /** The finished figure. */
        public HistogramPlot build() {
            return inner.overlays(removed).build();
        }
    }
}
