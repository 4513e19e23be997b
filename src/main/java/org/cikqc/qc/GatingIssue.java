package org.cikqc.qc;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A problem the gating reports about itself (a threshold outside its validated window, a unimodal marker, a fit
 * that did not converge). An issue makes every limited attribute it {@linkplain #affects() affects} INDETERMINATE
 * and is listed in the verdict's reasons — unless it bounds the attribute ({@link #ranges()}) and the attribute
 * fails its limit wherever in that range it lies, or, for a range between both readings of the data
 * ({@link Range#bothReadings()}), passes it wherever it lies (see {@link QcEvaluator}).
 *
 * @param subject what the issue is about (a role name such as {@code CD56}, or a gate such as {@code singlets})
 * @param message one readable line ("CD56 threshold 812 outside window [1000, 5000]")
 * @param affects the metrics whose values the issue makes unreliable (may be empty: reported only)
 * @param ranges  for some affected metrics, the values the metric takes wherever the uncertain gate could
 *                plausibly be (e.g. a viability threshold anywhere between the live and the dead peak); empty
 *                when the issue bounds nothing
 */
public record GatingIssue(String subject, String message, Set<Metric> affects, Map<Metric, Range> ranges) {

    /**
     * The values a metric takes when the uncertain gate is placed where it gives the lowest and where it gives the
     * highest value within where it could plausibly be, counted on the fitting sample. The two ends may have
     * different denominators: a viability threshold anywhere in its range changes the viable cells that CD3+ is a
     * percentage of.
     *
     * @param lowCount   events in the population at the end that gives the lower value
     * @param lowEvents  parent events at that end
     * @param highCount  events in the population at the end that gives the higher value
     * @param highEvents parent events at that end
     * @param basis      how the ends were chosen, one readable phrase ("viability threshold anywhere from the live
     *                   peak (749.1) to the dead peak (2,354)")
     * @param bothReadings true when the two ends are the data's two readings themselves (a middle CD3 or CD56 peak
     *                   read as positive, or as negative), each a valley of the density, so the attribute is decided, PASS
     *                   as well as FAIL, when it is decided alike at both; false when the ends only bound a gate
     *                   that may be wrong in more ways than the range shows, which can fail an attribute but never
     *                   pass it
     */
    public record Range(long lowCount, long lowEvents, long highCount, long highEvents, String basis,
                        boolean bothReadings) {
        public Range {
            Objects.requireNonNull(basis, "basis");
            if (lowEvents <= 0 || highEvents <= 0) throw new IllegalArgumentException("a range needs events");
            if (lowCount < 0 || lowCount > lowEvents || highCount < 0 || highCount > highEvents
                    || Math.multiplyExact(lowCount, highEvents) > Math.multiplyExact(highCount, lowEvents)) {
                throw new IllegalArgumentException("bad range " + lowCount + "/" + lowEvents + ".." + highCount + "/"
                        + highEvents);
            }
        }

        /** A range that bounds a gate (not both readings), with a denominator for each end. */
        public Range(long lowCount, long lowEvents, long highCount, long highEvents, String basis) {
            this(lowCount, lowEvents, highCount, highEvents, basis, false);
        }

        /** A range that bounds a gate (not both readings), its two ends counted on the same parent events. */
        public Range(long lowCount, long highCount, long events, String basis) {
            this(lowCount, events, highCount, events, basis, false);
        }

        /** This range, its ends both readings of the data or not. */
        public Range withBothReadings(boolean both) {
            return new Range(lowCount, lowEvents, highCount, highEvents, basis, both);
        }

        /** True when both ends have the same parent events. */
        public boolean oneDenominator() { return lowEvents == highEvents; }

        /** The lower value, percent. */
        public double low() { return 100.0 * lowCount / lowEvents; }

        /** The higher value, percent. */
        public double high() { return 100.0 * highCount / highEvents; }
    }

    public GatingIssue {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        EnumSet<Metric> s = EnumSet.noneOf(Metric.class);
        s.addAll(affects);
        affects = Collections.unmodifiableSet(s);
        EnumMap<Metric, Range> r = new EnumMap<>(Metric.class);
        r.putAll(ranges);
        for (Metric m : r.keySet()) {
            if (!s.contains(m)) throw new IllegalArgumentException("a range for " + m + ", which the issue does not affect");
        }
        ranges = Collections.unmodifiableMap(r);
    }

    /** An issue that bounds none of the metrics it affects. */
    public GatingIssue(String subject, String message, Set<Metric> affects) {
        this(subject, message, affects, Map.of());
    }

    /** This issue with {@code range} for {@code metric} (which it must affect). */
    public GatingIssue withRange(Metric metric, Range range) {
        EnumMap<Metric, Range> r = new EnumMap<>(Metric.class);
        r.putAll(ranges);
        r.put(metric, range);
        return new GatingIssue(subject, message, affects, r);
    }

    /** An issue that makes every metric unreliable (e.g. the singlet or scatter gate failed). */
    public static GatingIssue global(String subject, String message) {
        return new GatingIssue(subject, message, EnumSet.allOf(Metric.class));
    }

    /** An issue affecting the given metrics only. */
    public static GatingIssue of(String subject, String message, Metric... metrics) {
        EnumSet<Metric> s = EnumSet.noneOf(Metric.class);
        Collections.addAll(s, metrics);
        return new GatingIssue(subject, message, s);
    }

    /**
     * An issue with the gate of a panel role, affecting every metric computed through it: scatter, time, CD45 and
     * viability gates affect all metrics; CD3 affects every CD3-based metric; CD56 the three CD56 quadrants; CD4
     * and CD8 their own metric; CD16 and CD14_19 no metric.
     */
    public static GatingIssue forRole(PanelRole role, String message) {
        EnumSet<Metric> s = switch (role) {
            case FSC_A, FSC_H, FSC_W, SSC_A, TIME, CD45, VIABILITY -> EnumSet.allOf(Metric.class);
            case CD3 -> EnumSet.of(Metric.CD3, Metric.CD3_CD56, Metric.NK, Metric.CD3_CD56NEG, Metric.CD4, Metric.CD8);
            case CD56 -> EnumSet.of(Metric.CD3_CD56, Metric.NK, Metric.CD3_CD56NEG);
            case CD4 -> EnumSet.of(Metric.CD4);
            case CD8 -> EnumSet.of(Metric.CD8);
            case CD16, CD14_19 -> EnumSet.noneOf(Metric.class);
        };
        return new GatingIssue(role.name(), message, s);
    }

    /** True when this issue makes the metric unreliable. */
    public boolean affects(Metric m) { return affects.contains(m); }
}
