package org.cikqc.sim;

import java.util.List;

/**
 * What is true about a simulated sample, event by event and in aggregate.
 *
 * <p>Removal rule. A correct pipeline removes the clog segment (acquisition QC) and margin events (any value at
 * $PnR−1, or a scatter value ≤ 0), then gates out debris, doublets and CD45− events. {@link #metrics()} is
 * therefore computed on the kept events (neither clog nor margin) with the QC's definitions; saturated events keep
 * their class label but are not counted. {@link #metricsAllEvents()} ignores the removal (for reference only).
 *
 * @param spec             the spec that generated the sample
 * @param channels         the parameters, in file order
 * @param spillover        the spillover matrix applied (and written as $SPILLOVER)
 * @param clogSegment      the anomalous segment, or null for {@link ClogMode#NONE}
 * @param classCountsAll   events per class (index {@link EventClass#ordinal()}), all events
 * @param classCountsKept  events per class among kept events
 * @param clogEvents       events in the clog segment
 * @param marginEvents     indices (ascending) of margin events
 * @param metrics          true QC metrics on kept events
 * @param metricsAllEvents true QC metrics on all events
 * @param labels           one {@link EventClass#code()} per event, in file order
 * @param subsets          one digit per event, in file order: 1·CD8 + 2·CD4 + 4·CD16 of the true expression
 */
public record SimulationTruth(SimulationSpec spec, List<SimChannel> channels, Spillover spillover,
                              ClogSegment clogSegment, long[] classCountsAll, long[] classCountsKept, long clogEvents,
                              long[] marginEvents, TruthMetrics metrics, TruthMetrics metricsAllEvents,
                              String labels, String subsets) {

    public SimulationTruth {
        channels = List.copyOf(channels);
        classCountsAll = classCountsAll.clone();
        classCountsKept = classCountsKept.clone();
        marginEvents = marginEvents.clone();
    }

    /** Number of events. */
    public int events() { return labels.length(); }

    /** True class of event i. */
    public EventClass classOf(int i) { return EventClass.ofCode(labels.charAt(i)); }

    /** True marker bits of event i (1 = CD8, 2 = CD4, 4 = CD16). */
    public int subsetBits(int i) { return subsets.charAt(i) - '0'; }

    /** Whether event i lies in the clog segment. */
    public boolean inClog(int i) {
        return clogSegment != null && i >= clogSegment.firstEvent() && i < clogSegment.endEvent();
    }

    /** Whether a correct pipeline keeps event i at acquisition QC (not clog, not margin). */
    public boolean kept(int i) {
        return !inClog(i) && java.util.Arrays.binarySearch(marginEvents, i) < 0;
    }

    /** Accumulates chunks in event order into a truth. */
    static final class Accumulator {
        private final SimulationSpec spec;
        private final long[] all = new long[EventClass.values().length];
        private final long[] kept = new long[EventClass.values().length];
        private final long[] keptSubsets = new long[3];
        private final long[] allSubsets = new long[3];
        private final StringBuilder labels;
        private final StringBuilder subsets;
        private long[] margin = new long[256];
        private int marginCount;
        private long clogFirst = -1;
        private long clogEnd = -1;
        private long next;

        Accumulator(SimulationSpec spec) {
            this.spec = spec;
            this.labels = new StringBuilder(spec.events());
            this.subsets = new StringBuilder(spec.events());
        }

        void accept(SimulatedChunk c) {
            if (c.firstEvent() != next) throw new IllegalStateException("chunks out of order");
            EventClass[] classes = EventClass.values();
            for (int i = 0; i < c.size(); i++) {
                long index = c.firstEvent() + i;
                EventClass cls = classes[c.classes()[i]];
                int bits = c.subsets()[i];
                labels.append(cls.code());
                subsets.append((char) ('0' + bits));
                all[cls.ordinal()]++;
                countSubsets(allSubsets, cls, bits);
                if (c.clog()[i]) {
                    if (clogFirst < 0) clogFirst = index;
                    clogEnd = index + 1;
                }
                if (c.margin()[i]) {
                    if (marginCount == margin.length) margin = java.util.Arrays.copyOf(margin, margin.length * 2);
                    margin[marginCount++] = index;
                }
                if (!c.clog()[i] && !c.margin()[i]) {
                    kept[cls.ordinal()]++;
                    countSubsets(keptSubsets, cls, bits);
                }
            }
            next += c.size();
        }

        /** Counts CD8 and CD4 among viable CD3+ and CD16 among NK into {@code counts[0..2]}. */
        private static void countSubsets(long[] counts, EventClass cls, int bits) {
            if (cls.isCd3Positive() && (bits & 1) != 0) counts[0]++;
            if (cls.isCd3Positive() && (bits & 2) != 0) counts[1]++;
            if (cls == EventClass.NK && (bits & 4) != 0) counts[2]++;
        }

        /** Index of the first clog event seen, or -1. */
        long clogFirst() { return clogFirst; }

        /** One past the last clog event seen, or -1. */
        long clogEnd() { return clogEnd; }

        SimulationTruth finish(List<SimChannel> channels, Spillover spillover, ClogSegment segment) {
            long clogCount = clogFirst >= 0 ? clogEnd - clogFirst : 0;
            return new SimulationTruth(spec, channels, spillover, segment, all, kept, clogCount,
                    java.util.Arrays.copyOf(margin, marginCount),
                    TruthMetrics.of(kept, keptSubsets[0], keptSubsets[1], keptSubsets[2], spec),
                    TruthMetrics.of(all, allSubsets[0], allSubsets[1], allSubsets[2], spec),
                    labels.toString(), subsets.toString());
        }
    }
}
