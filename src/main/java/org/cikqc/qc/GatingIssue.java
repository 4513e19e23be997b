package org.cikqc.qc;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A problem the gating reports about itself (a threshold outside its validated window, a unimodal marker, a fit
 * that did not converge). An issue makes every limited attribute it {@linkplain #affects() affects} INDETERMINATE
 * and is listed in the verdict's reasons.
 *
 * @param subject what the issue is about (a role name such as {@code CD56}, or a gate such as {@code singlets})
 * @param message one readable line ("CD56 threshold 812 outside window [1000, 5000]")
 * @param affects the metrics whose values the issue makes unreliable (may be empty: reported only)
 */
public record GatingIssue(String subject, String message, Set<Metric> affects) {

    public GatingIssue {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        EnumSet<Metric> s = EnumSet.noneOf(Metric.class);
        s.addAll(affects);
        affects = Collections.unmodifiableSet(s);
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
            case FSC_A, FSC_H, SSC_A, TIME, CD45, VIABILITY -> EnumSet.allOf(Metric.class);
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
