package org.cikqc.qc;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.cikqc.qc.QcResult.Check;
import org.cikqc.qc.QcResult.CheckKind;
import org.cikqc.qc.QcResult.MetricValue;
import org.cikqc.qc.QcResult.Outcome;
import org.cikqc.qc.QcResult.PopulationStat;
import org.cikqc.qc.QcResult.Verdict;

/**
 * Turns population counts into the release verdict. A pure function of ({@link QcSpec}, {@link QcInput}).
 *
 * <h2>Checks</h2>
 * <ul>
 * <li><b>Validity</b> ({@code acquisition_qc}, {@code events_singlet_leukocytes}, {@code events_viable}): acquisition
 *     QC removal above {@code notEvaluableAbovePct} or too few events make the run NOT_EVALUABLE; removal above
 *     {@code reviewAbovePct} is REVIEW (a reason, no effect on the verdict). With a spec that has
 *     {@code limits.instrumentQc}, {@code instrument_qc} judges the cytometer's own QC record carried by the file
 *     ({@link #instrumentQcCheck}).</li>
 * <li><b>Attributes</b> (one per {@link Metric}): u = max(binomial counting SE, method CV × value). For a
 *     {@code >=} limit L: PASS if value − k·u ≥ L, FAIL if value + k·u &lt; L, else INDETERMINATE ({@code <=}
 *     mirrored). When the population has fewer than {@code minEventsForLimit} events it cannot be quantified, so
 *     it cannot show that a {@code >=} limit is met (INDETERMINATE); it can still show that the limit is missed
 *     (FAIL) when the Wilson 95 % upper bound is below L as well — a tiny population proves a small value.
 *     ({@code <=} limits mirrored.) Report-only metrics are REPORT. A metric affected by a gating issue is
 *     INDETERMINATE (limited) or flagged (report-only) — except that it is FAIL when the one issue affecting it
 *     (or several carrying one range, computed over all their gates) bounds it ({@link GatingIssue#ranges()}) and
 *     even the range's most favourable end, ± k·u there, misses the limit: it fails wherever the uncertain gate
 *     could be; and PASS when that range lies between both readings of the data
 *     ({@link GatingIssue.Range#bothReadings()}: a middle CD3 or CD56 peak read as positive and as negative) and
 *     even its least favourable end, ∓ k·u there, meets the limit. Any other gating issue never gives PASS.</li>
 * </ul>
 *
 * <h2>Verdict</h2>
 * An invalid run is INDETERMINATE whatever the attribute values (an invalid test is repeated, not reported as out
 * of specification). For a valid run, any attribute FAIL gives FAIL — a clear failure of one attribute cannot be
 * rescued by another being undecided; else any INDETERMINATE or NOT_EVALUABLE attribute gives INDETERMINATE; else
 * PASS.
 */
public final class QcEvaluator {

    private QcEvaluator() { }

    /** Evaluates the input against the spec. */
    public static QcResult evaluate(QcSpec spec, QcInput input) {
        QcSpec.Limits lim = spec.limits();
        long minForLimit = lim.populations().minEventsForLimit();
        long lloq = lim.populations().lloqEvents();

        // gating issues: given ones plus thresholds outside their windows
        List<GatingIssue> issues = new ArrayList<>(input.gatingIssues());
        for (Map.Entry<PanelRole, Double> t : input.thresholds().entrySet()) {
            PanelRole role = t.getKey();
            double v = t.getValue();
            if (!Double.isFinite(v)) {
                issues.add(GatingIssue.forRole(role, role + " threshold is not a finite number (" + v + ")"));
                continue;
            }
            QcSpec.Thresholds th = spec.gating().thresholds();
            double top = input.scaleTops().getOrDefault(role, Double.NaN);
            Optional<QcSpec.Window> w = th.window(role, top);
            if (w.isPresent() && !w.get().contains(v)) {
                String note = input.scaleNotes().get(role);
                double f = th.windowFactor(top);
                double lo = th.lowerWindowFactor(top);
                String why;
                if (f != 1) {
                    why = " (the spec's " + th.window(role).orElseThrow() + " for a full scale of "
                            + grouped(th.windowsFullScale()) + ", ×" + num(f)
                            + (note == null ? " for this channel's top of scale " + grouped(top) : ": " + note)
                            + (lo == f ? "" : ", its lower end ×" + num(lo) + ", the square root, as a wider scale adds"
                                    + " decades at the top") + ")";
                } else if (note != null && th.windowsFullScale() == null) {
                    why = " (windows are in data units; " + note + ": set gating.thresholds.windows for this"
                            + " instrument, or gating.thresholds.windowsFullScale to the full scale they are set for)";
                } else {
                    why = note == null ? "" : " (" + note + ")";
                }
                String shown = f == 1 ? w.get().toString() : "[" + num(w.get().min()) + ", " + num(w.get().max()) + "]";
                issues.add(GatingIssue.forRole(role, role + " threshold " + num(v) + " outside window " + shown + why));
            }
        }

        List<PopulationStat> pops = new ArrayList<>();
        for (QcInput.PopulationCount pc : input.populations()) {
            Double pct = null;
            Interval ci = null;
            if (pc.parentCount() > 0) {
                pct = 100.0 * pc.count() / pc.parentCount();
                ci = QcStats.wilson95(pc.count(), pc.parentCount()).scale(100);
            }
            pops.add(new PopulationStat(pc.path(), pc.count(), pc.parentCount(), pct, ci,
                    QcStats.classify(pc.count(), minForLimit, lloq)));
        }

        List<Check> checks = new ArrayList<>();
        checks.add(acquisitionCheck(lim, input));
        if (lim.instrumentQc() != null) checks.add(instrumentQcCheck(lim.instrumentQc(), input));
        if (lim.sampleHold() != null) checks.add(sampleHoldCheck(lim.sampleHold(), input));
        boolean cd45 = input.hasCd45();
        checks.add(eventsCheck("events_singlet_leukocytes", input, QcPopulation.LEUKOCYTES,
                lim.events().minSingletLeukocytes(), cd45 ? "CD45+ singlet" : "singlet"));
        checks.add(eventsCheck("events_viable", input, QcPopulation.VIABLE, lim.events().minViable(), "viable"));
        if (!input.integrityIssues().isEmpty()) {
            // the data themselves are defective: no verdict can rest on them, whatever the numbers say
            checks.add(new Check("data_integrity", CheckKind.VALIDITY, null, null, null, Outcome.NOT_EVALUABLE, null,
                    null, null, "input data not fit for release testing: " + String.join("; ", input.integrityIssues())));
        }

        Map<Metric, MetricValue> metrics = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            checks.add(attributeCheck(spec, input, m, issues, metrics));
        }

        boolean valid = true;
        boolean fail = false;
        boolean undecided = false;
        List<String> reasons = new ArrayList<>();
        for (Check c : checks) {
            if (c.reason() != null) reasons.add(c.reason());
            if (c.kind() == CheckKind.VALIDITY) {
                if (c.outcome() == Outcome.NOT_EVALUABLE) valid = false;
            } else {
                if (c.outcome() == Outcome.FAIL) fail = true;
                if (c.outcome() == Outcome.INDETERMINATE || c.outcome() == Outcome.NOT_EVALUABLE) undecided = true;
            }
        }
        for (GatingIssue gi : issues) reasons.add("gating issue (" + gi.subject() + "): " + gi.message());
        Verdict verdict = !valid ? Verdict.INDETERMINATE : fail ? Verdict.FAIL : undecided ? Verdict.INDETERMINATE : Verdict.PASS;
        return new QcResult(pops, metrics, checks, verdict, reasons, issues);
    }

    private static Check acquisitionCheck(QcSpec.Limits lim, QcInput input) {
        QcSpec.AcquisitionLimits a = lim.acquisitionQc();
        Limit limit = new Limit(Limit.Op.AT_MOST, a.notEvaluableAbovePct());
        if (input.acquisitionRemovedFraction().isEmpty()) {
            return new Check("acquisition_qc", CheckKind.VALIDITY, limit, "%", null, Outcome.NOT_APPLICABLE, null, null,
                    null, "acquisition QC not performed (no TIME channel): flow-rate stability was not checked");
        }
        double pct = 100.0 * input.acquisitionRemovedFraction().getAsDouble();
        if (pct > a.notEvaluableAbovePct()) {
            return new Check("acquisition_qc", CheckKind.VALIDITY, limit, "%", pct, Outcome.NOT_EVALUABLE, null, null, null,
                    "acquisition QC removed " + pct2(pct) + " % of events (more than " + num(a.notEvaluableAbovePct())
                            + " %): not evaluable; check the acquisition (clogs, bubbles, drift) and re-acquire");
        }
        if (pct > a.reviewAbovePct()) {
            return new Check("acquisition_qc", CheckKind.VALIDITY, limit, "%", pct, Outcome.REVIEW, null, null, null,
                    "acquisition QC removed " + pct2(pct) + " % of events (between " + num(a.reviewAbovePct()) + " and "
                            + num(a.notEvaluableAbovePct()) + " %): review the time plot");
        }
        String note = input.flowRateChecked() ? null : "no TIME channel: acquisition QC removed only margin events ("
                + pct2(pct) + " %); flow-rate stability was not checked";
        return new Check("acquisition_qc", CheckKind.VALIDITY, limit, "%", pct, Outcome.PASS, null, null, null, note);
    }

    /**
     * The cytometer's own QC at the acquisition ({@link InstrumentQc}): NOT_EVALUABLE when it failed, its beads had
     * expired, its performance check had expired, or it ran more than {@code maxAgeHours} before the acquisition;
     * REVIEW when it passed with a warning or part of the record cannot be read; PASS otherwise. A file without a
     * record gives NOT_APPLICABLE without a reason (the instrument QC is then confirmed from the cytometer's log, as
     * for any instrument that does not write it), or NOT_EVALUABLE when the spec requires the record.
     */
    static Check instrumentQcCheck(QcSpec.InstrumentQcLimits l, QcInput input) {
        Optional<InstrumentQc> rec = input.instrumentQc();
        if (rec.isEmpty()) {
            // most instruments write no QC record; the lab's own instrument-QC log covers them, as before
            return l.notRecordedNotEvaluable()
                    ? instrumentCheck(l, Outcome.NOT_EVALUABLE, null, "instrument QC is not recorded in the file (no CST"
                            + " keywords) and the spec requires the record: not evaluable")
                    : instrumentCheck(l, Outcome.NOT_APPLICABLE, null, null);
        }
        InstrumentQc q = rec.get();
        List<String> fails = new ArrayList<>();
        List<String> reviews = new ArrayList<>();
        switch (q.statusClass()) {
            case FAILED -> fails.add("CST setup status '" + q.status() + "'");
            case WARNING -> reviews.add("CST setup status '" + q.status() + "' (review the CST report)");
            case UNKNOWN -> reviews.add(q.status() == null ? "CST SETUP STATUS is not recorded"
                    : "CST setup status '" + q.status() + "' is not one cikqc knows");
            default -> { }
        }
        if (Boolean.TRUE.equals(q.beadsExpired())) fails.add("the CST beads had expired (CST BEADS EXPIRED True)");
        String when = q.acquired() == null ? null : stamp(q.acquired())
                + (q.acquiredDayOnly() ? " ($BTIM not recorded: the end of the acquisition day is used)" : "");
        if (q.expiredAtAcquisition()) {
            fails.add("the CST performance check expired at " + stamp(q.performanceExpires())
                    + ", before the acquisition started at " + when);
        }
        double age = q.ageHours();
        if (!Double.isNaN(age)) {
            if (age > l.maxAgeHours()) {
                fails.add("the CST setup ran " + hours(age) + " before the acquisition started at " + when
                        + " (at most " + hours(l.maxAgeHours()) + " allowed)");
            } else if (age < 0) {
                reviews.add("the CST setup (" + stamp(q.setup()) + ") is dated after the acquisition start (" + when
                        + "), so the record does not show the QC in force at acquisition; check the workstation clock");
            }
        } else if (q.setup() == null && !q.keywords().containsKey("CST SETUP DATE")) {
            reviews.add("CST SETUP DATE is not recorded, so the age of the instrument QC is unknown");
        }
        reviews.addAll(q.unreadable());
        Double value = Double.isNaN(age) ? null : age;
        if (!fails.isEmpty()) {
            fails.addAll(reviews);
            return instrumentCheck(l, Outcome.NOT_EVALUABLE, value, "instrument QC: " + String.join("; ", fails)
                    + ": not evaluable; run the instrument QC and re-acquire");
        }
        if (!reviews.isEmpty()) return instrumentCheck(l, Outcome.REVIEW, value, "instrument QC: " + String.join("; ", reviews));
        return instrumentCheck(l, Outcome.PASS, value, null);
    }

    /** The {@code instrument_qc} check: the setup's age in hours against at most {@code maxAgeHours}. */
    private static Check instrumentCheck(QcSpec.InstrumentQcLimits l, Outcome outcome, Double ageHours, String reason) {
        return new Check("instrument_qc", CheckKind.VALIDITY, new Limit(Limit.Op.AT_MOST, l.maxAgeHours()), "h", ageHours,
                outcome, null, null, null, reason);
    }

    /**
     * The sample's hold time ({@link SampleHold}): NOT_EVALUABLE when it exceeds {@code maxMinutes} (the sample is no
     * longer the product the method was validated on); PASS within it. When the hold time is unknown (no start
     * keyword, a start or acquisition time that cannot be read, a start dated after the acquisition) the run is
     * NOT_EVALUABLE (the default: the spec asked for the record) or, with {@code whenNotRecorded} "note", the check is
     * NOT_APPLICABLE (no keyword) or REVIEW, with the reason. Without a time of acquisition ({@code $DATE} alone) the
     * end of that day is used, the longest the hold can have been.
     */
    static Check sampleHoldCheck(QcSpec.SampleHoldLimits l, QcInput input) {
        Optional<SampleHold> rec = input.sampleHold();
        String strict = " and the spec requires it: not evaluable";
        if (rec.isEmpty()) {
            String missing = "the sample's hold start is not recorded (no keyword " + l.startKeyword() + ")";
            return l.notRecordedNotEvaluable()
                    ? holdCheck(l, Outcome.NOT_EVALUABLE, null, missing + strict)
                    : holdCheck(l, Outcome.NOT_APPLICABLE, null, missing + ": the hold time was not checked");
        }
        SampleHold h = rec.get();
        double min = h.minutes();
        Double value = Double.isNaN(min) ? null : min;
        String when = h.acquired() == null ? null : stamp(h.acquired())
                + (h.acquiredDayOnly() ? " ($BTIM not recorded: the end of the acquisition day is used)" : "");
        if (!Double.isNaN(min) && min > l.maxMinutes()) {
            return holdCheck(l, Outcome.NOT_EVALUABLE, value, "the sample was acquired " + minutes(min) + " after "
                    + l.startKeyword() + " (" + stamp(h.start()) + "), at " + when + ": more than the validated "
                    + minutes(l.maxMinutes()) + ": not evaluable; test a sample within its hold time");
        }
        List<String> unknown = new ArrayList<>(h.unreadable());
        if (!Double.isNaN(min) && min < 0) {
            unknown.add(l.startKeyword() + " (" + stamp(h.start()) + ") is dated after the acquisition start (" + when
                    + "); check the record and the workstation clock");
        }
        if (unknown.isEmpty()) return holdCheck(l, Outcome.PASS, value, null);
        String reason = "sample hold time unknown: " + String.join("; ", unknown);
        return l.notRecordedNotEvaluable() ? holdCheck(l, Outcome.NOT_EVALUABLE, value, reason + strict)
                : holdCheck(l, Outcome.REVIEW, value, reason);
    }

    /** The {@code sample_hold} check: minutes from the hold's start to the acquisition against {@code maxMinutes}. */
    private static Check holdCheck(QcSpec.SampleHoldLimits l, Outcome outcome, Double minutes, String reason) {
        return new Check("sample_hold", CheckKind.VALIDITY, new Limit(Limit.Op.AT_MOST, l.maxMinutes()), "min", minutes,
                outcome, null, null, null, reason);
    }

    /**
     * "42 min", "60.5 min" (a tenth where it is not whole, so a hold just over its limit does not read as equal to
     * it); from two hours on also in hours: "26.5 h (1,590 min)".
     */
    private static String minutes(double m) {
        if (m >= 120) return String.format(Locale.ROOT, "%.1f h (%,.0f min)", m / 60, m);
        double tenths = Math.rint(m * 10) / 10;
        return String.format(Locale.ROOT, tenths == Math.rint(tenths) ? "%.0f min" : "%.1f min", tenths);
    }

    private static final java.time.format.DateTimeFormatter STAMP =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

    /** "2026-11-20 09:40:00", with the offset when recorded ("+02:00"); seconds always shown. */
    private static String stamp(InstrumentQc.Stamp s) {
        String t = s.local().format(STAMP);
        return s.offset() == null ? t : t + s.offset();
    }

    /** "25.4 h"; from two days on also in days: "235.3 days (5,646 h)". */
    private static String hours(double h) {
        return h < 48 ? String.format(Locale.ROOT, "%.1f h", h)
                : String.format(Locale.ROOT, "%.1f days (%,.0f h)", h / 24, h);
    }

    private static Check eventsCheck(String id, QcInput input, QcPopulation pop, long min, String what) {
        Limit limit = new Limit(Limit.Op.AT_LEAST, min);
        String path = pop.path(input.hasCd45());
        Optional<QcInput.PopulationCount> pc = input.population(path);
        if (pc.isEmpty()) {
            return new Check(id, CheckKind.VALIDITY, limit, "events", null, Outcome.NOT_EVALUABLE, null, null, null,
                    "population " + path + " is missing from the gating result: " + what + " events cannot be counted");
        }
        long n = pc.get().count();
        if (n < min) {
            return new Check(id, CheckKind.VALIDITY, limit, "events", (double) n, Outcome.NOT_EVALUABLE, null, null, null,
                    "only " + count(n) + " " + what + " events; spec requires ≥ " + count(min));
        }
        return new Check(id, CheckKind.VALIDITY, limit, "events", (double) n, Outcome.PASS, null, null, null, null);
    }

    private static Check attributeCheck(QcSpec spec, QcInput input, Metric m, List<GatingIssue> issues,
                                        Map<Metric, MetricValue> metrics) {
        QcSpec.AttributeSpec as = spec.limits().attribute(m);
        Limit limit = as.limit();
        String id = m.key();
        if (m.optionalMarker() != null && !input.hasMarker(m.optionalMarker())) {
            return new Check(id, CheckKind.ATTRIBUTE, limit, "%", null, Outcome.NOT_APPLICABLE, null, null, null, null);
        }
        String path = m.population().path(input.hasCd45());
        Optional<QcInput.PopulationCount> pc = input.population(path);
        if (pc.isEmpty() || pc.get().parentCount() == 0) {
            String why = pc.isEmpty() ? "population " + path + " is missing from the gating result"
                    : "its parent population is empty";
            return new Check(id, CheckKind.ATTRIBUTE, limit, "%", null, Outcome.NOT_EVALUABLE, null, null, null,
                    m.label() + " (" + id + ") cannot be computed: " + why);
        }
        long k = pc.get().count();
        long n = pc.get().parentCount();
        double value = 100.0 * k / n;
        Interval ci = QcStats.wilson95(k, n).scale(100);
        double se = 100.0 * QcStats.binomialSe(k, n);
        double methodSd = value * as.methodCvPct() / 100.0;
        double u = Math.max(se, methodSd);
        Lloq cls = QcStats.classify(k, spec.limits().populations().minEventsForLimit(), spec.limits().populations().lloqEvents());
        metrics.put(m, new MetricValue(m, value, ci, k, n, cls, path, se, methodSd, u));

        List<GatingIssue> affectingIssues = issues.stream().filter(gi -> gi.affects(m)).toList();
        List<String> affecting = affectingIssues.stream().map(GatingIssue::subject).toList();
        String shown = m.label() + " " + pct2(value) + " %";

        if (limit == null) {
            List<String> flags = new ArrayList<>();
            if (cls == Lloq.BELOW_LLOQ) {
                flags.add("below the LLOQ (" + count(k) + " events, fewer than " + spec.limits().populations().lloqEvents()
                        + "): report as < LLOQ");
            } else if (cls == Lloq.IMPRECISE) {
                flags.add("imprecise (" + count(k) + " events, fewer than " + spec.limits().populations().minEventsForLimit() + ")");
            }
            if (!affecting.isEmpty()) flags.add("unreliable because of a gating issue on " + String.join(", ", affecting));
            String reason = flags.isEmpty() ? null : shown + " (report only) is " + String.join("; ", flags);
            return new Check(id, CheckKind.ATTRIBUTE, null, "%", value, Outcome.REPORT, u, null, null, reason);
        }

        double kf = spec.limits().guardBandK();
        // a percentage: the interval is shown within 0-100 (the clipped ends decide nothing a limit in 0-100 would not)
        Interval decision = new Interval(Math.max(0, value - kf * u), Math.min(100, value + kf * u));
        String lim = limit.describe("%");
        if (!affecting.isEmpty()) {
            String failsAnyway = failsAcrossRange(limit, as, kf, shown, affectingIssues, m);
            if (failsAnyway != null) {
                return new Check(id, CheckKind.ATTRIBUTE, limit, "%", value, Outcome.FAIL, u, kf, decision, failsAnyway);
            }
            String passesAnyway = passesAcrossReadings(limit, as, kf, shown, affectingIssues, m,
                    spec.limits().populations().minEventsForLimit());
            if (passesAnyway != null) {
                return new Check(id, CheckKind.ATTRIBUTE, limit, "%", value, Outcome.PASS, u, kf, decision, passesAnyway);
            }
            return new Check(id, CheckKind.ATTRIBUTE, limit, "%", value, Outcome.INDETERMINATE, u, kf, decision,
                    shown + " against " + lim + " not decided: affected by a gating issue on " + String.join(", ", affecting));
        }
        boolean atLeast = limit.op() == Limit.Op.AT_LEAST;
        double L = limit.value();
        Outcome out;
        if (atLeast) {
            out = decision.lo() >= L ? Outcome.PASS : decision.hi() < L ? Outcome.FAIL : Outcome.INDETERMINATE;
        } else {
            out = decision.hi() <= L ? Outcome.PASS : decision.lo() > L ? Outcome.FAIL : Outcome.INDETERMINATE;
        }
        String uText = "u = " + pct2(u) + " pp = max(counting SE " + pct2(se) + ", method " + num(as.methodCvPct())
                + " % of value)";
        String kText = num(kf);
        if (cls != Lloq.OK) {
            // a population too small to quantify can show only that it is small
            boolean smallProvesIt = atLeast ? (out == Outcome.FAIL && ci.hi() < L) : (out == Outcome.PASS && ci.hi() <= L);
            if (!smallProvesIt) {
                return new Check(id, CheckKind.ATTRIBUTE, limit, "%", value, Outcome.INDETERMINATE, u, kf, decision,
                        shown + " against " + lim + " not decided: only " + count(k) + " events in " + path
                                + " (" + cls + "; ≥ " + count(spec.limits().populations().minEventsForLimit())
                                + " needed to judge a population against a limit)");
            }
        }
        String reason = switch (out) {
            case PASS -> null;
            case FAIL -> shown + " fails " + lim + ": even value " + (atLeast ? "+ " : "− ") + kText + "·u = "
                    + pct2(atLeast ? decision.hi() : decision.lo()) + " % is " + (atLeast ? "below" : "above")
                    + " the limit (" + uText + "; 95 % CI " + pct2(ci.lo()) + "–" + pct2(ci.hi()) + " %)";
            default -> shown + " is inside the guard band of " + lim + ": value " + (atLeast ? "− " : "+ ") + kText
                    + "·u = " + pct2(atLeast ? decision.lo() : decision.hi()) + " % (" + uText
                    + "); retest or second-person review";
        };
        return new Check(id, CheckKind.ATTRIBUTE, limit, "%", value, out, u, kf, decision, reason);
    }

    /** u (percentage points) of k of n: the larger of the counting SE and the method CV × value. */
    private static double uncertainty(long k, long n, QcSpec.AttributeSpec as) {
        return Math.max(100.0 * QcStats.binomialSe(k, n), 100.0 * k / n * as.methodCvPct() / 100.0);
    }

    /**
     * The FAIL reason when the one gating issue affecting {@code m} (or several with one {@link #sharedRange}) bounds
     * it ({@link GatingIssue#ranges()}) and even the end of that range most favourable to the batch, plus k·u there,
     * misses the limit: wherever the uncertain gate could plausibly be, the attribute fails. Null otherwise (issues
     * with different ranges, no range, or a range that reaches the limit). Passing needs a gate without issues, or a
     * range between both readings of the data that passes at both ends ({@link #passesAcrossReadings}).
     */
    private static String failsAcrossRange(Limit limit, QcSpec.AttributeSpec as, double kf, String shown,
                                           List<GatingIssue> affecting, Metric m) {
        GatingIssue.Range r = sharedRange(affecting, m);
        if (r == null) return null;
        boolean atLeast = limit.op() == Limit.Op.AT_LEAST;
        End best = End.of(r, atLeast, as); // the end of the range most favourable to the batch
        double edge = atLeast ? best.value() + kf * best.u() : best.value() - kf * best.u();
        boolean fails = atLeast ? edge < limit.value() : edge > limit.value();
        if (!fails) return null;
        return shown + " fails " + limit.describe("%") + " although its gate is uncertain (" + describe(affecting)
                + "): with the " + spans(r) + ", and even " + pct2(best.value()) + " % " + (atLeast ? "+ " : "− ")
                + num(kf) + "·u = " + pct2(edge) + " % is " + (atLeast ? "below" : "above") + " the limit (u = "
                + pct2(best.u()) + " pp)";
    }

    /**
     * The PASS reason when the one gating issue affecting {@code m} (or several with one {@link #sharedRange}) has a
     * range between both readings of the data ({@link GatingIssue.Range#bothReadings()}) and even its end least
     * favourable to the batch, less k·u there, meets the limit: the attribute passes whichever reading is right.
     * Null otherwise. A population too small to quantify at that end (fewer than {@code minEvents}) decides nothing.
     */
    private static String passesAcrossReadings(Limit limit, QcSpec.AttributeSpec as, double kf, String shown,
                                               List<GatingIssue> affecting, Metric m, long minEvents) {
        GatingIssue.Range r = sharedRange(affecting, m);
        if (r == null || !r.bothReadings()) return null;
        boolean atLeast = limit.op() == Limit.Op.AT_LEAST;
        End worst = End.of(r, !atLeast, as); // the end of the range least favourable to the batch
        if (worst.count() < minEvents) return null;
        double edge = atLeast ? worst.value() - kf * worst.u() : worst.value() + kf * worst.u();
        boolean passes = atLeast ? edge >= limit.value() : edge <= limit.value();
        if (!passes) return null;
        // the issue itself is listed among the reasons: named here, not repeated
        return shown + " passes " + limit.describe("%") + " whichever reading of its gate is right (gating issue on "
                + String.join(" and ", affecting.stream().map(GatingIssue::subject).toList()) + "): with the "
                + spans(r) + ", and even " + pct2(worst.value()) + " % " + (atLeast ? "− " : "+ ") + num(kf) + "·u = "
                + pct2(edge) + " % meets the limit (u = " + pct2(worst.u()) + " pp)";
    }

    /** One end of a range: its population count, its value (percent) and u there. */
    private record End(long count, double value, double u) {
        static End of(GatingIssue.Range r, boolean high, QcSpec.AttributeSpec as) {
            long k = high ? r.highCount() : r.lowCount();
            long n = high ? r.highEvents() : r.lowEvents();
            return new End(k, high ? r.high() : r.low(), uncertainty(k, n, as));
        }
    }

    /** "BASIS, it is LOW–HIGH % (N events)", as a range's reasons quote it. */
    private static String spans(GatingIssue.Range r) {
        return r.basis() + ", it is " + pct2(r.low()) + "–" + pct2(r.high()) + " % ("
                + (r.oneDenominator() ? count(r.lowEvents()) : count(r.lowEvents()) + " and " + count(r.highEvents()))
                + " events)";
    }

    /**
     * The range the issues affecting {@code m} bound it by: one issue's, or the same range carried by every one of
     * several (computed over all their gates at once, as a middle CD3 and a middle CD56 peak bound CD3+CD56+
     * together); null when an issue has none or they differ.
     */
    private static GatingIssue.Range sharedRange(List<GatingIssue> affecting, Metric m) {
        if (affecting.isEmpty()) return null;
        GatingIssue.Range r = affecting.get(0).ranges().get(m);
        for (GatingIssue gi : affecting) {
            if (r == null || !r.equals(gi.ranges().get(m))) return null;
        }
        return r;
    }

    /** The issues as a reason quotes them: "subject: message", joined by "; ". */
    private static String describe(List<GatingIssue> issues) {
        return String.join("; ", issues.stream().map(gi -> gi.subject() + ": " + gi.message()).toList());
    }

    static String pct2(double v) { return String.format(Locale.ROOT, "%.2f", v); }

    static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    /** A whole number with thousands separators (262,144), any other as {@link #num}. */
    private static String grouped(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(java.util.Locale.ROOT, "%,.0f", v) : num(v);
    }

    /** A number with up to 6 significant digits, no exponent. */
    static String num(double v) { return CanonicalJson.round(v, 6).toPlainString(); }
}
