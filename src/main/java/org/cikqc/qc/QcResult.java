package org.cikqc.qc;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link QcEvaluator#evaluate}: population statistics, the seven metrics, every check with its
 * outcome, the verdict and the reasons a reviewer must read. Immutable.
 */
public final class QcResult {

    /** The release decision. */
    public enum Verdict {
        /** Every limited attribute passes outside its guard band and the run is valid. */
        PASS,
        /** A valid run with at least one limited attribute failing outside its guard band. */
        FAIL,
        /** No decision: invalid run, value inside a guard band, too few events, or a gating issue. Retest or review. */
        INDETERMINATE
    }

    /** The outcome of one check. */
    public enum Outcome {
        /** Meets the limit (attribute: outside the guard band). */
        PASS,
        /** Misses the limit outside the guard band. */
        FAIL,
        /** Inside the guard band, too few events for the limit, or unreliable because of a gating issue. */
        INDETERMINATE,
        /** The run (or this attribute) cannot be evaluated: too few events, too much acquisition-QC removal, missing data. */
        NOT_EVALUABLE,
        /** Acceptable but flagged for review (acquisition-QC removal between the review and not-evaluable limits). */
        REVIEW,
        /** Reported without a limit. */
        REPORT,
        /** Does not apply (optional marker absent, acquisition QC not performed). */
        NOT_APPLICABLE
    }

    /** Whether a check concerns the validity of the run or a product attribute. */
    public enum CheckKind {
        /** Run validity: event sufficiency, acquisition QC. A failed validity check makes the verdict INDETERMINATE. */
        VALIDITY,
        /** A product attribute (one metric). */
        ATTRIBUTE
    }

    /**
     * Statistics of one population.
     *
     * @param path            population path
     * @param count           events
     * @param parentCount     events in the parent
     * @param percentOfParent 100·count/parentCount, or null when the parent is empty
     * @param ci95            Wilson 95 % interval in percent, or null when the parent is empty
     * @param lloq            the LLOQ class of {@code count}
     */
    public record PopulationStat(String path, long count, long parentCount, Double percentOfParent, Interval ci95,
                                 Lloq lloq) { }

    /**
     * One metric.
     *
     * @param metric      which metric
     * @param value       percent
     * @param ci95        Wilson 95 % interval in percent
     * @param numerator   events in the population
     * @param denominator events in its parent
     * @param lloq        LLOQ class of the numerator
     * @param population  the numerator's path
     * @param countingSe  binomial standard error in percentage points
     * @param methodSd    validated method imprecision in percentage points (method CV × value)
     * @param uncertainty u = max(countingSe, methodSd), percentage points
     */
    public record MetricValue(Metric metric, double value, Interval ci95, long numerator, long denominator, Lloq lloq,
                              String population, double countingSe, double methodSd, double uncertainty) { }

    /**
     * One check.
     *
     * @param id               {@code acquisition_qc}, {@code events_singlet_leukocytes}, {@code events_viable} or a
     *                         metric key
     * @param kind             validity or attribute
     * @param limit            the limit checked, or null (report-only attributes; acquisition QC not performed)
     * @param unit             {@code %} or {@code events}
     * @param value            the measured value, or null when not available
     * @param outcome          the outcome
     * @param uncertainty      u in percentage points for guard-banded attribute checks, else null
     * @param k                the guard-band coverage factor for guard-banded checks, else null
     * @param decisionInterval [value − k·u, value + k·u] for guard-banded checks, else null
     * @param reason           a readable sentence when a reviewer must read something, else null
     */
    public record Check(String id, CheckKind kind, Limit limit, String unit, Double value, Outcome outcome,
                        Double uncertainty, Double k, Interval decisionInterval, String reason) {
        public Check {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    private final List<PopulationStat> populations;
    private final Map<Metric, MetricValue> metrics;
    private final List<Check> checks;
    private final Verdict verdict;
    private final List<String> reasons;
    private final List<GatingIssue> gatingIssues;

    QcResult(List<PopulationStat> populations, Map<Metric, MetricValue> metrics, List<Check> checks, Verdict verdict,
             List<String> reasons, List<GatingIssue> gatingIssues) {
        this.populations = List.copyOf(populations);
        EnumMap<Metric, MetricValue> m = new EnumMap<>(Metric.class);
        m.putAll(metrics);
        this.metrics = Collections.unmodifiableMap(m);
        this.checks = List.copyOf(checks);
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        this.reasons = List.copyOf(reasons);
        this.gatingIssues = List.copyOf(gatingIssues);
    }

    /** Population statistics in input order. */
    public List<PopulationStat> populations() { return populations; }

    /** The metrics that could be computed (absent: marker missing or denominator unavailable), in {@link Metric} order. */
    public Map<Metric, MetricValue> metrics() { return metrics; }

    /** One metric, if computed. */
    public Optional<MetricValue> metric(Metric m) { return Optional.ofNullable(metrics.get(m)); }

    /** All checks: validity checks first, then one per metric in {@link Metric} order. */
    public List<Check> checks() { return checks; }

    /** The check with this id. */
    public Optional<Check> check(String id) {
        for (Check c : checks) if (c.id().equals(id)) return Optional.of(c);
        return Optional.empty();
    }

    /** The attribute check of a metric. */
    public Check check(Metric m) {
        return check(m.key()).orElseThrow(() -> new IllegalStateException("no check for " + m.key()));
    }

    /** The verdict. */
    public Verdict verdict() { return verdict; }

    /** Readable reasons: every check that needs a reviewer's attention, then every gating issue. */
    public List<String> reasons() { return reasons; }

    /** The gating issues that were considered (from the input and from threshold-window checks). */
    public List<GatingIssue> gatingIssues() { return gatingIssues; }

    @Override
    public String toString() { return "QcResult[" + verdict + ", " + reasons + "]"; }
}
