package org.cikqc.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.cikqc.qc.QcResult.Outcome;
import org.cikqc.qc.QcResult.Verdict;
import org.junit.jupiter.api.Test;

class QcEvaluatorTest {

    static final QcSpec SPEC = QcSpec.defaultSpec();

    /**
     * A consistent hierarchy: {@code leuk} CD45+ singlets (singlets without CD45), {@code viable}, CD3+, CD3+CD56+,
     * CD3−CD56+ (NK); the other quadrants are filled in.
     */
    static QcInput.Builder cik(boolean cd45, long leuk, long viable, long cd3, long cd3cd56, long nk) {
        QcInput.Builder b = QcInput.builder();
        if (cd45) b.marker(PanelRole.CD45);
        long singlets = cd45 ? leuk + 500 : leuk;
        long cells = singlets + 2000;
        b.population(QcPopulation.CELLS, cells, cells + 1000);
        b.population(QcPopulation.SINGLETS, singlets, cells);
        if (cd45) b.population(QcPopulation.LEUKOCYTES, leuk, singlets);
        b.population(QcPopulation.VIABLE, viable, leuk);
        b.population(QcPopulation.CD3_POS, cd3, viable);
        b.population(QcPopulation.CD3_CD56, cd3cd56, viable);
        b.population(QcPopulation.CD3_CD56NEG, cd3 - cd3cd56, viable);
        b.population(QcPopulation.NK, nk, viable);
        b.population(QcPopulation.DOUBLE_NEG, viable - cd3 - nk, viable);
        b.acquisitionRemovedFraction(0.02);
        return b;
    }

    /** 50,000 CD45+ singlets, 90 % viable, 95 % CD3+, 30 % CD3+CD56+, 2 % NK. */
    static QcInput.Builder good() {
        return cik(true, 50_000, 45_000, 42_750, 13_500, 900);
    }

    static QcResult eval(QcInput.Builder b) { return QcEvaluator.evaluate(SPEC, b.build()); }

    @Test
    void clearPass() {
        QcResult r = eval(good());
        assertEquals(Verdict.PASS, r.verdict(), r.reasons().toString());
        assertEquals(List.of(), r.reasons());
        assertEquals(90.0, r.metric(Metric.VIABILITY).orElseThrow().value(), 1e-12);
        assertEquals(95.0, r.metric(Metric.CD3).orElseThrow().value(), 1e-12);
        assertEquals(30.0, r.metric(Metric.CD3_CD56).orElseThrow().value(), 1e-12);
        assertEquals(2.0, r.metric(Metric.NK).orElseThrow().value(), 1e-12);
        assertEquals(65.0, r.metric(Metric.CD3_CD56NEG).orElseThrow().value(), 1e-12);
        assertEquals(Outcome.PASS, r.check(Metric.VIABILITY).outcome());
        assertEquals(Outcome.REPORT, r.check(Metric.NK).outcome());
        assertEquals(Outcome.NOT_APPLICABLE, r.check(Metric.CD4).outcome(), "no CD4 in the panel");
        assertTrue(r.metric(Metric.CD4).isEmpty());
        // u = max(counting SE, method CV x value): viability 90 % with 3 % CV -> 2.7 pp
        QcResult.MetricValue v = r.metric(Metric.VIABILITY).orElseThrow();
        assertEquals(2.7, v.uncertainty(), 1e-12);
        assertEquals(45_000, v.numerator());
        assertEquals(50_000, v.denominator());
        assertEquals("/cells/singlets/CD45+/viable", v.population());
        assertEquals(Lloq.OK, v.lloq());
        assertTrue(v.ci95().contains(90.0));
        // CD3+ 95 % with u = 2.85 pp: value + 2u = 100.7, shown within the percentage's range
        assertEquals(100.0, r.check(Metric.CD3).decisionInterval().hi(), 0.0);
        assertEquals(95.0 - 2 * 2.85, r.check(Metric.CD3).decisionInterval().lo(), 1e-9);
    }

    @Test
    void exactlyAtTheGuardBandEdgePassesAndJustInsideIsIndeterminate() {
        // CD3+CD56+ 25 % exactly, method CV 10 % -> u = 2.5, value - 2u = 20.0 = limit -> PASS
        QcResult at = eval(cik(true, 50_000, 45_000, 42_750, 11_250, 900));
        assertEquals(25.0, at.metric(Metric.CD3_CD56).orElseThrow().value(), 0.0);
        assertEquals(20.0, at.check(Metric.CD3_CD56).decisionInterval().lo(), 1e-12);
        assertEquals(Outcome.PASS, at.check(Metric.CD3_CD56).outcome());
        assertEquals(Verdict.PASS, at.verdict());

        // 24.99 %: inside the band
        QcResult inside = eval(cik(true, 50_000, 45_000, 42_750, 11_246, 900));
        assertEquals(Outcome.INDETERMINATE, inside.check(Metric.CD3_CD56).outcome());
        assertEquals(Verdict.INDETERMINATE, inside.verdict());
        String reason = inside.check(Metric.CD3_CD56).reason();
        assertTrue(reason.contains("inside the guard band of ≥ 20 %"), reason);
        assertTrue(inside.reasons().contains(reason));
    }

    @Test
    void insideTheBandBelowTheLimitIsIndeterminateNotFail() {
        // 19 %: below the limit, but value + 2u = 19 + 3.8 = 22.8 >= 20 -> INDETERMINATE
        QcResult r = eval(cik(true, 50_000, 45_000, 42_750, 8_550, 900));
        assertEquals(19.0, r.metric(Metric.CD3_CD56).orElseThrow().value(), 1e-12);
        assertEquals(Outcome.INDETERMINATE, r.check(Metric.CD3_CD56).outcome());
        assertEquals(Verdict.INDETERMINATE, r.verdict());
    }

    @Test
    void failOutsideTheBand() {
        // CD3+ 70 %: u = 2.1, 70 + 4.2 = 74.2 < 80 -> FAIL
        QcResult r = eval(cik(true, 50_000, 45_000, 31_500, 13_500, 900));
        assertEquals(Outcome.FAIL, r.check(Metric.CD3).outcome());
        assertEquals(Verdict.FAIL, r.verdict());
        assertEquals(1, r.reasons().size(), r.reasons().toString());
        assertTrue(r.reasons().get(0).startsWith("CD3+ 70.00 % fails ≥ 80 %: even value + 2·u = 74.20 %"), r.reasons().get(0));
    }

    @Test
    void failDominatesIndeterminate() {
        // CD3+ 70 % (FAIL) and CD3+CD56+ 22 % (inside the band)
        QcResult r = eval(cik(true, 50_000, 45_000, 31_500, 9_900, 900));
        assertEquals(Outcome.FAIL, r.check(Metric.CD3).outcome());
        assertEquals(Outcome.INDETERMINATE, r.check(Metric.CD3_CD56).outcome());
        assertEquals(Verdict.FAIL, r.verdict());
        assertEquals(2, r.reasons().size(), "both attributes explained: " + r.reasons());
    }

    @Test
    void tooFewEventsMakesTheRunInvalidEvenWithAFail() {
        // 4,210 viable events; CD3+ clearly low -> still INDETERMINATE: an invalid test is repeated, not an OOS
        QcResult r = eval(cik(true, 25_000, 4_210, 2_000, 1_000, 100));
        assertEquals(Outcome.NOT_EVALUABLE, r.check("events_viable").orElseThrow().outcome());
        assertEquals(Outcome.PASS, r.check("events_singlet_leukocytes").orElseThrow().outcome());
        assertEquals(Outcome.FAIL, r.check(Metric.CD3).outcome());
        assertEquals(Verdict.INDETERMINATE, r.verdict());
        assertTrue(r.reasons().contains("only 4,210 viable events; spec requires ≥ 10,000"), r.reasons().toString());

        QcResult few = eval(cik(true, 12_345, 11_000, 10_500, 3_300, 200));
        assertEquals(Verdict.INDETERMINATE, few.verdict());
        assertTrue(few.reasons().contains("only 12,345 CD45+ singlet events; spec requires ≥ 20,000"), few.reasons().toString());
    }

    @Test
    void smallPopulationCannotPassALimitButCanProveAFail() {
        // 60 CD3+CD56+ of 45,000 viable: 0.13 %, IMPRECISE; the Wilson upper bound is far below 20 % -> FAIL
        QcResult r = eval(cik(true, 50_000, 45_000, 42_750, 60, 900));
        QcResult.MetricValue m = r.metric(Metric.CD3_CD56).orElseThrow();
        assertEquals(Lloq.IMPRECISE, m.lloq());
        assertEquals(Outcome.FAIL, r.check(Metric.CD3_CD56).outcome());
        assertEquals(Verdict.FAIL, r.verdict());

        // with a >= 0.05 % limit the guard band alone would pass 0.13 %, but 60 events cannot show it
        QcSpec low = TestSpecs.modified(t -> TestSpecs.at(t, "limits.attributes.cd3_cd56_pct.limit").put("value", 0.05));
        QcResult lr = QcEvaluator.evaluate(low, cik(true, 50_000, 45_000, 42_750, 60, 900).build());
        assertEquals(Outcome.INDETERMINATE, lr.check(Metric.CD3_CD56).outcome());
        assertTrue(lr.check(Metric.CD3_CD56).reason().contains("only 60 events"), lr.check(Metric.CD3_CD56).reason());
        assertEquals(Verdict.INDETERMINATE, lr.verdict());
    }

    @Test
    void reportOnlyMetricsCarryLloqFlagsWithoutBlocking() {
        QcResult r = eval(cik(true, 50_000, 45_000, 42_750, 13_500, 20));
        assertEquals(Outcome.REPORT, r.check(Metric.NK).outcome());
        assertEquals(Lloq.BELOW_LLOQ, r.metric(Metric.NK).orElseThrow().lloq());
        assertTrue(r.check(Metric.NK).reason().contains("below the LLOQ"), r.check(Metric.NK).reason());
        assertEquals(Verdict.PASS, r.verdict(), "report-only flags do not block release");

        // an "at most" limit on a tiny population can pass: the Wilson upper bound is far below it
        QcSpec nkLimit = TestSpecs.modified(t -> TestSpecs.at(t, "limits.attributes.nk_pct")
                .set("limit", TestSpecs.MAPPER.createObjectNode().put("op", "<=").put("value", 10)));
        QcResult lim = QcEvaluator.evaluate(nkLimit, cik(true, 50_000, 45_000, 42_750, 13_500, 20).build());
        assertEquals(Outcome.PASS, lim.check(Metric.NK).outcome());
        assertEquals(Verdict.PASS, lim.verdict());
    }

    @Test
    void withoutCd45ViabilityIsOfSinglets() {
        QcResult r = eval(cik(false, 40_000, 36_000, 34_200, 10_800, 720));
        QcResult.MetricValue v = r.metric(Metric.VIABILITY).orElseThrow();
        assertEquals("/cells/singlets/viable", v.population());
        assertEquals(40_000, v.denominator());
        assertEquals("/cells/singlets/viable/CD3+CD56+", r.metric(Metric.CD3_CD56).orElseThrow().population());
        assertEquals(Verdict.PASS, r.verdict(), r.reasons().toString());

        QcResult few = eval(cik(false, 15_000, 13_000, 12_000, 4_000, 100));
        assertTrue(few.reasons().contains("only 15,000 singlet events; spec requires ≥ 20,000"), few.reasons().toString());
    }

    @Test
    void acquisitionQcReviewAndNotEvaluable() {
        QcResult review = eval(good().acquisitionRemovedFraction(0.15));
        assertEquals(Outcome.REVIEW, review.check("acquisition_qc").orElseThrow().outcome());
        assertEquals(Verdict.PASS, review.verdict());
        assertEquals(1, review.reasons().size());
        assertTrue(review.reasons().get(0).startsWith("acquisition QC removed 15.00 % of events"), review.reasons().get(0));

        QcResult bad = eval(good().acquisitionRemovedFraction(0.35));
        assertEquals(Outcome.NOT_EVALUABLE, bad.check("acquisition_qc").orElseThrow().outcome());
        assertEquals(Verdict.INDETERMINATE, bad.verdict());

        QcResult edge = eval(good().acquisitionRemovedFraction(0.30));
        assertEquals(Outcome.REVIEW, edge.check("acquisition_qc").orElseThrow().outcome(), "30 % itself is still evaluable");

        QcInput.Builder noTime = cik(true, 50_000, 45_000, 42_750, 13_500, 900);
        QcInput in = rebuildWithoutAcquisition(noTime);
        QcResult nt = QcEvaluator.evaluate(SPEC, in);
        assertEquals(Outcome.NOT_APPLICABLE, nt.check("acquisition_qc").orElseThrow().outcome());
        assertEquals(Verdict.PASS, nt.verdict());
        assertTrue(nt.reasons().get(0).contains("acquisition QC not performed"), nt.reasons().toString());

        // no TIME channel but margin events removed: the check passes and says what it could not check
        QcResult margins = eval(good().acquisitionRemovedFraction(0.004).flowRateChecked(false));
        assertEquals(Outcome.PASS, margins.check("acquisition_qc").orElseThrow().outcome());
        assertEquals(Verdict.PASS, margins.verdict());
        assertEquals(List.of("no TIME channel: acquisition QC removed only margin events (0.40 %); flow-rate stability "
                + "was not checked"), margins.reasons());
    }

    @Test
    void defectiveInputDataMakeTheRunInvalid() {
        QcResult r = eval(good().integrityIssue("the file is truncated (500 of 1000 events)"));
        assertEquals(Outcome.NOT_EVALUABLE, r.check("data_integrity").orElseThrow().outcome());
        assertEquals(Verdict.INDETERMINATE, r.verdict());
        assertTrue(r.reasons().get(0).contains("the file is truncated"), r.reasons().toString());
        assertTrue(eval(good()).check("data_integrity").isEmpty(), "sound data: no such check");
    }

    private static QcInput rebuildWithoutAcquisition(QcInput.Builder b) {
        QcInput with = b.build();
        QcInput.Builder c = QcInput.builder();
        with.markers().forEach(c::marker);
        for (QcInput.PopulationCount p : with.populations()) c.population(p.path(), p.count(), p.parentCount());
        return c.build();
    }

    /**
     * The default spec states its windows for a 262,144 full scale: on a channel whose top of scale is 10,000 (a
     * 4-decade log channel) they are multiplied by 10,000 / 262,144, and an issue names both windows and the factor.
     */
    @Test
    void windowsFollowTheChannelsTopOfScale() {
        double f = 10_000 / 262_144.0;
        QcSpec.Thresholds th = QcSpec.defaultSpec().gating().thresholds();
        assertEquals(262_144.0, th.windowsFullScale());
        assertEquals(100 * f, th.window(PanelRole.CD3, 10_000).orElseThrow().min(), 1e-12);
        assertEquals(20_000 * f, th.window(PanelRole.CD3, 10_000).orElseThrow().max(), 1e-9);
        assertEquals(th.window(PanelRole.CD3), th.window(PanelRole.CD3, 262_144), "the full scale itself: as stated");
        assertEquals(th.window(PanelRole.CD3), th.window(PanelRole.CD3, Double.NaN), "unknown top: as stated");

        // 30 is inside CD56's rescaled [1.91, 763] and CD3's 60 inside [3.81, 763]: no issue
        QcResult in = eval(good().threshold(PanelRole.CD56, 30).scaleTop(PanelRole.CD56, 10_000)
                .threshold(PanelRole.CD3, 60).scaleTop(PanelRole.CD3, 10_000));
        assertEquals(Verdict.PASS, in.verdict(), in.reasons().toString());
        // 800 is not inside [3.81, 763]
        QcResult out = eval(good().threshold(PanelRole.CD3, 800).scaleTop(PanelRole.CD3, 10_000)
                .scaleNote(PanelRole.CD3, "FL1-H is a 4.00-decade log channel (1.000 to 10,000)"));
        assertEquals(Verdict.INDETERMINATE, out.verdict());
        assertTrue(out.reasons().contains("gating issue (CD3): CD3 threshold 800 outside window [3.8147, 762.939] (the"
                + " spec's [100, 20000] for a full scale of 262,144, ×0.038147: FL1-H is a"
                + " 4.00-decade log channel (1.000 to 10,000))"), out.reasons().toString());
        // without a note on the channel's scale, the top of scale itself
        QcResult odd = eval(good().threshold(PanelRole.CD3, 99).scaleTop(PanelRole.CD3, 262_143));
        assertTrue(odd.reasons().contains("gating issue (CD3): CD3 threshold 99 outside window [99.9996, 19999.9] (the"
                + " spec's [100, 20000] for a full scale of 262,144, ×0.999996 for this channel's top of scale 262,143)"),
                odd.reasons().toString());
    }

    /**
     * On a scale wider than the spec's full scale the upper end follows the top of scale and the lower end its square
     * root: a 24-bit channel's CD45 window is [800, 1,280,000], not [6,400, 1,280,000], so a CytoFLEX-like CD45
     * threshold of 4,400 (cells 12 times brighter than on an 18-bit BD channel) is inside, and 700 is not.
     */
    @Test
    void aWiderScaleRaisesTheWindowsLowerEndByTheSquareRootOfItsFactor() {
        QcSpec.Thresholds th = QcSpec.defaultSpec().gating().thresholds();
        double top = 16_777_216;
        assertEquals(64.0, th.windowFactor(top));
        assertEquals(8.0, th.lowerWindowFactor(top));
        assertEquals(new QcSpec.Window(800, 1_280_000), th.window(PanelRole.CD45, top).orElseThrow());
        assertEquals(new QcSpec.Window(200, 80_000), th.window(PanelRole.CD3, 1_048_576).orElseThrow(), "20-bit: ×2, ×4");
        assertEquals(th.lowerWindowFactor(10_000), th.windowFactor(10_000), "a narrower scale: both ends alike");

        QcResult in = eval(good().threshold(PanelRole.CD45, 4_400).scaleTop(PanelRole.CD45, top));
        assertEquals(Verdict.PASS, in.verdict(), in.reasons().toString());
        QcResult out = eval(good().threshold(PanelRole.CD45, 700).scaleTop(PanelRole.CD45, top));
        assertEquals(Verdict.INDETERMINATE, out.verdict());
        assertTrue(out.reasons().contains("gating issue (CD45): CD45 threshold 700 outside window [800, 1280000] (the"
                + " spec's [100, 20000] for a full scale of 262,144, ×64 for this channel's top of scale 16,777,216, its"
                + " lower end ×8, the square root, as a wider scale adds decades at the top)"), out.reasons().toString());
    }

    @Test
    void thresholdOutsideItsWindowMakesTheAffectedAttributesIndeterminate() {
        QcResult r = eval(good().threshold(PanelRole.CD56, 30).threshold(PanelRole.CD3, 800));
        assertEquals(Outcome.INDETERMINATE, r.check(Metric.CD3_CD56).outcome());
        assertEquals(Outcome.PASS, r.check(Metric.CD3).outcome(), "the CD56 issue does not touch CD3+");
        assertEquals(Outcome.PASS, r.check(Metric.VIABILITY).outcome());
        assertEquals(Verdict.INDETERMINATE, r.verdict());
        assertTrue(r.reasons().contains("gating issue (CD56): CD56 threshold 30 outside window [50, 20000]"), r.reasons().toString());
        assertTrue(r.check(Metric.NK).reason().contains("gating issue on CD56"), "report-only metric flagged");

        // a clear FAIL elsewhere still fails
        QcResult f = eval(cik(true, 50_000, 45_000, 31_500, 13_500, 900).threshold(PanelRole.CD56, 30));
        assertEquals(Verdict.FAIL, f.verdict());

        // a global issue leaves nothing decidable
        QcResult g = eval(cik(true, 50_000, 45_000, 31_500, 13_500, 900)
                .gatingIssue(GatingIssue.global("singlets", "singlet regression did not converge")));
        assertEquals(Outcome.INDETERMINATE, g.check(Metric.CD3).outcome());
        assertEquals(Verdict.INDETERMINATE, g.verdict());
        assertTrue(g.reasons().contains("gating issue (singlets): singlet regression did not converge"));

        // an issue that affects no metric is listed but does not block
        QcResult cd16 = eval(good().gatingIssue(GatingIssue.forRole(PanelRole.CD16, "CD16 unimodal")));
        assertEquals(Verdict.PASS, cd16.verdict());
        assertEquals(List.of("gating issue (CD16): CD16 unimodal"), cd16.reasons());
    }

    @Test
    void aGatingIssueThatBoundsViabilityFailsItOnlyWhenTheWholeRangeFails() {
        // 65 % viable; the shallow viability valley leaves the threshold anywhere from the live to the dead peak
        QcInput.Builder low = cik(true, 50_000, 32_500, 30_000, 9_000, 900);
        GatingIssue shallow = GatingIssue.forRole(PanelRole.VIABILITY, "valley depth 0.1 < 0.2");
        GatingIssue.Range upTo70 = new GatingIssue.Range(12_000, 21_000, 30_000, "threshold from the live to the dead peak");
        QcResult f = eval(low.gatingIssue(shallow.withRange(Metric.VIABILITY, upTo70)));
        // u at 70 % = max(SE 0.26, 3 % of 70 = 2.1) -> 70 + 2 x 2.1 = 74.2 < 80
        assertEquals(Outcome.FAIL, f.check(Metric.VIABILITY).outcome());
        assertTrue(f.check(Metric.VIABILITY).reason().contains("even 70.00 % + 2·u = 74.20 % is below the limit"),
                f.check(Metric.VIABILITY).reason());
        assertEquals(Outcome.INDETERMINATE, f.check(Metric.CD3).outcome(), "unbounded metrics stay undecided");
        assertEquals(Verdict.FAIL, f.verdict());

        // the favourable end reaches the limit band: undecided, as without a range
        GatingIssue.Range upTo77 = new GatingIssue.Range(12_000, 23_100, 30_000, "threshold from the live to the dead peak");
        QcResult band = eval(cik(true, 50_000, 32_500, 30_000, 9_000, 900)
                .gatingIssue(shallow.withRange(Metric.VIABILITY, upTo77)));
        assertEquals(Outcome.INDETERMINATE, band.check(Metric.VIABILITY).outcome());
        assertEquals(Verdict.INDETERMINATE, band.verdict());

        // a second issue affecting viability: the range of one does not bound the other
        QcResult two = eval(cik(true, 50_000, 32_500, 30_000, 9_000, 900)
                .gatingIssue(shallow.withRange(Metric.VIABILITY, upTo70))
                .gatingIssue(GatingIssue.global("singlets", "singlet regression did not converge")));
        assertEquals(Outcome.INDETERMINATE, two.check(Metric.VIABILITY).outcome());

        // a gating issue never lets a batch pass, however high its range
        GatingIssue.Range high = new GatingIssue.Range(46_000, 49_000, 50_000, "threshold from the live to the dead peak");
        QcResult pass = eval(good().gatingIssue(shallow.withRange(Metric.VIABILITY, high)));
        assertEquals(Outcome.INDETERMINATE, pass.check(Metric.VIABILITY).outcome());
        assertEquals(Verdict.INDETERMINATE, pass.verdict());

        // few events widen u: 70 % of 60 events has SE 5.9 pp -> 70 + 11.8 reaches the limit
        GatingIssue.Range few = new GatingIssue.Range(24, 42, 60, "threshold from the live to the dead peak");
        QcResult small = eval(cik(true, 50_000, 32_500, 30_000, 9_000, 900)
                .gatingIssue(shallow.withRange(Metric.VIABILITY, few)));
        assertEquals(Outcome.INDETERMINATE, small.check(Metric.VIABILITY).outcome());

        assertThrows(IllegalArgumentException.class, () -> GatingIssue.of("CD56", "x", Metric.CD3_CD56)
                .withRange(Metric.VIABILITY, upTo70), "a range only for a metric the issue affects");
    }

    @Test
    void aViabilityRangeBoundsAnAttributeOfTheViableCellsWithTheDenominatorOfEachEnd() {
        // viability undecided (62-78 %); CD3+ 45 % of viable, 40-50 % wherever the viability threshold is
        QcInput.Builder b = cik(true, 50_000, 35_000, 15_750, 6_000, 900);
        GatingIssue shallow = GatingIssue.forRole(PanelRole.VIABILITY, "valley depth 0.1 < 0.2")
                .withRange(Metric.VIABILITY, new GatingIssue.Range(31_000, 39_000, 50_000, "threshold t"))
                .withRange(Metric.CD3, new GatingIssue.Range(12_400, 31_000, 19_500, 39_000, "threshold t"));
        QcResult r = eval(b.gatingIssue(shallow));
        assertEquals(Outcome.INDETERMINATE, r.check(Metric.VIABILITY).outcome());
        assertEquals(Outcome.FAIL, r.check(Metric.CD3).outcome());
        // u at the favourable end, 50 % of 39,000 = max(SE 0.25, 3 % of 50 = 1.5) -> 50 + 3 = 53 < 80
        assertTrue(r.check(Metric.CD3).reason().contains("it is 40.00–50.00 % (31,000 and 39,000 events), and even"
                + " 50.00 % + 2·u = 53.00 % is below the limit"), r.check(Metric.CD3).reason());
        assertEquals(Verdict.FAIL, r.verdict());
        // the favourable end within reach of the limit: undecided
        GatingIssue near = GatingIssue.forRole(PanelRole.VIABILITY, "valley depth 0.1 < 0.2")
                .withRange(Metric.CD3, new GatingIssue.Range(12_400, 31_000, 29_640, 39_000, "threshold t"));
        assertEquals(Outcome.INDETERMINATE, eval(cik(true, 50_000, 35_000, 15_750, 6_000, 900).gatingIssue(near))
                .check(Metric.CD3).outcome());
    }

    /**
     * A range between both readings of the data (a middle CD3 peak read as positive and as negative) decides both
     * ways: PASS when even its low end, less k·u there, meets the limit; any other range never passes.
     */
    @Test
    void aRangeBetweenBothReadingsPassesWhenBothEndsPass() {
        String msg = "the peak at 2,194 between the negative peak and the brightest may be dim positive cells";
        // CD3+ 87-90 % of 45,000 viable: 87 % - 2 * max(SE 0.16, 3 % of 87 = 2.61) = 81.78 >= 80
        GatingIssue both = GatingIssue.forRole(PanelRole.CD3, msg)
                .withRange(Metric.CD3, new GatingIssue.Range(39_150, 45_000, 40_500, 45_000, "CD3 threshold t", true));
        QcResult r = eval(cik(true, 50_000, 45_000, 40_500, 13_500, 900).gatingIssue(both));
        assertEquals(Outcome.PASS, r.check(Metric.CD3).outcome());
        assertTrue(r.check(Metric.CD3).reason().contains("whichever reading of its gate is right (gating issue on CD3): with"
                + " the CD3 threshold t, it is 87.00–90.00 % (45,000 events), and even 87.00 % − 2·u = 81.78 % meets the"
                + " limit (u = 2.61 pp)"), r.check(Metric.CD3).reason());
        assertEquals(Outcome.INDETERMINATE, r.check(Metric.CD3_CD56).outcome(), "no range for CD3+CD56+: undecided");
        // the same ends as a bound on a gate that may be wrong in more ways: never PASS
        GatingIssue bound = GatingIssue.forRole(PanelRole.CD3, msg)
                .withRange(Metric.CD3, new GatingIssue.Range(39_150, 45_000, 40_500, 45_000, "CD3 threshold t"));
        assertEquals(Outcome.INDETERMINATE, eval(cik(true, 50_000, 45_000, 40_500, 13_500, 900).gatingIssue(bound))
                .check(Metric.CD3).outcome());
        // both readings on either side of the limit: undecided
        GatingIssue straddles = GatingIssue.forRole(PanelRole.CD3, msg)
                .withRange(Metric.CD3, new GatingIssue.Range(34_000, 45_000, 40_500, 45_000, "CD3 threshold t", true));
        assertEquals(Outcome.INDETERMINATE, eval(cik(true, 50_000, 45_000, 40_500, 13_500, 900).gatingIssue(straddles))
                .check(Metric.CD3).outcome());
        // both readings failing: FAIL, as for any range
        GatingIssue fails = GatingIssue.forRole(PanelRole.CD3, msg)
                .withRange(Metric.CD3, new GatingIssue.Range(27_000, 45_000, 31_500, 45_000, "CD3 threshold t", true));
        assertEquals(Outcome.FAIL, eval(cik(true, 50_000, 45_000, 31_500, 13_500, 900).gatingIssue(fails))
                .check(Metric.CD3).outcome());
        // a second issue on the metric: undecided whatever the range says
        assertEquals(Outcome.INDETERMINATE, eval(cik(true, 50_000, 45_000, 40_500, 13_500, 900).gatingIssue(both)
                .gatingIssue(GatingIssue.forRole(PanelRole.CD3, "another"))).check(Metric.CD3).outcome());
    }

    @Test
    void cd4AndCd8AreOfCd3WhenPresent() {
        QcInput.Builder b = good().marker(PanelRole.CD4).marker(PanelRole.CD8)
                .population(QcPopulation.CD4_POS, 4_275, 42_750)
                .population(QcPopulation.CD8_POS, 32_062, 42_750);
        QcResult r = eval(b);
        assertEquals(10.0, r.metric(Metric.CD4).orElseThrow().value(), 1e-12);
        assertEquals(75.0, r.metric(Metric.CD8).orElseThrow().value(), 0.01);
        assertEquals("/cells/singlets/CD45+/viable/CD3+/CD4+", r.metric(Metric.CD4).orElseThrow().population());
        assertEquals(Outcome.REPORT, r.check(Metric.CD8).outcome());

        // marker present but population missing: not evaluable, verdict not PASS
        QcResult missing = eval(good().marker(PanelRole.CD4));
        assertEquals(Outcome.NOT_EVALUABLE, missing.check(Metric.CD4).outcome());
        assertEquals(Verdict.INDETERMINATE, missing.verdict());
    }

    @Test
    void populationStatistics() {
        QcResult r = eval(good());
        QcResult.PopulationStat viable = r.populations().stream()
                .filter(p -> p.path().equals("/cells/singlets/CD45+/viable")).findFirst().orElseThrow();
        assertEquals(90.0, viable.percentOfParent(), 1e-12);
        Interval ci = QcStats.wilson95(45_000, 50_000).scale(100);
        assertEquals(ci, viable.ci95());
        assertEquals(9, r.populations().size());
        List<String> keys = new ArrayList<>();
        for (Metric m : Metric.values()) keys.add(m.key());
        assertEquals(List.of("viability_pct", "cd3_pct", "cd3_cd56_pct", "nk_pct", "cd3_cd56neg_pct", "cd4_pct", "cd8_pct"), keys);
    }

    @Test
    void inputIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> QcInput.builder().population("/a", 5, 4).build());
        assertThrows(IllegalArgumentException.class, () -> QcInput.builder().population("a", 1, 4).build());
        assertThrows(IllegalArgumentException.class,
                () -> QcInput.builder().population("/a", 10, 20).population("/a/b", 3, 9).build(), "parent count mismatch");
        assertThrows(IllegalArgumentException.class,
                () -> QcInput.builder().population(QcPopulation.LEUKOCYTES, 10, 20).build(), "CD45+ without CD45");
        assertThrows(IllegalArgumentException.class, () -> QcInput.builder().acquisitionRemovedFraction(1.5));
        assertThrows(IllegalArgumentException.class, () -> QcInput.builder().threshold(PanelRole.TIME, 1));
    }

    /** {@link #good()} with a CST record: status, setup date and acquisition start as BD FACSDiva writes them. */
    static QcInput.Builder withCst(String status, String setup, String date, String btim, String... more) {
        java.util.Map<String, String> kw = new java.util.HashMap<>();
        kw.put("CST SETUP STATUS", status);
        kw.put("CST SETUP DATE", setup);
        kw.put("$DATE", date);
        kw.put("$BTIM", btim);
        for (int i = 0; i < more.length; i += 2) kw.put(more[i], more[i + 1]);
        return good().instrumentQc(InstrumentQc.fromKeywords(kw::get).orElseThrow());
    }

    @Test
    void instrumentQcInForceAtAcquisitionPasses() {
        QcResult r = eval(withCst("SUCCESS", "06/07/2010 09:41:32 AM", "07-JUN-2010", "11:03:31"));
        QcResult.Check c = r.check("instrument_qc").orElseThrow();
        assertEquals(Outcome.PASS, c.outcome());
        assertEquals(1 + 22 / 60.0 - 1 / 3600.0, c.value(), 1e-9);
        assertEquals(new Limit(Limit.Op.AT_MOST, 24), c.limit());
        assertEquals("h", c.unit());
        assertEquals(Verdict.PASS, r.verdict());
        assertEquals(List.of(), r.reasons());
        assertEquals(1, r.checks().indexOf(c), "right after acquisition_qc");
    }

    @Test
    void staleFailedOrExpiredInstrumentQcMakesTheRunNotEvaluable() {
        // the Gating-ML suite's 9399_1_3_NKR.fcs: the setup ran 25.4 h before the acquisition
        QcResult stale = eval(withCst("SUCCESS", "06/07/2010 09:41:32 AM", "08-JUN-2010", "11:03:31"));
        QcResult.Check c = stale.check("instrument_qc").orElseThrow();
        assertEquals(Outcome.NOT_EVALUABLE, c.outcome());
        assertEquals(25.366, c.value(), 1e-3);
        assertEquals(Verdict.INDETERMINATE, stale.verdict(), "an invalid run is repeated, not released");
        assertEquals("instrument QC: the CST setup ran 25.4 h before the acquisition started at 2010-06-08 11:03:31"
                + " (at most 24.0 h allowed): not evaluable; run the instrument QC and re-acquire", c.reason());
        assertTrue(stale.reasons().contains(c.reason()));

        QcResult failed = eval(withCst("FAILED", "06/08/2010 09:41:32 AM", "08-JUN-2010", "11:03:31"));
        assertEquals(Outcome.NOT_EVALUABLE, failed.check("instrument_qc").orElseThrow().outcome());
        assertTrue(failed.check("instrument_qc").orElseThrow().reason().contains("CST setup status 'FAILED'"));

        QcResult beads = eval(withCst("SUCCESS", "06/08/2010 09:41:32 AM", "08-JUN-2010", "11:03:31",
                "CST BEADS EXPIRED", "True"));
        assertEquals(Outcome.NOT_EVALUABLE, beads.check("instrument_qc").orElseThrow().outcome());

        QcResult expired = eval(withCst("SUCCESS", "2010-06-08T09:41:32+02:00", "08-JUN-2010", "11:03:31",
                "CST PERFORMANCE EXPIRED", "2010-06-08T10:41:32+02:00"));
        QcResult.Check e = expired.check("instrument_qc").orElseThrow();
        assertEquals(Outcome.NOT_EVALUABLE, e.outcome(), "the expiry BD wrote wins over the spec's 24 h");
        assertTrue(e.reason().contains("expired at 2010-06-08 10:41:32+02:00, before the acquisition started at"
                + " 2010-06-08 11:03:31"), e.reason());
        // 60 % viable would FAIL, but on an instrument whose QC failed the run itself is invalid: INDETERMINATE
        InstrumentQc failedQc = InstrumentQc.fromKeywords(java.util.Map.of("CST SETUP STATUS", "FAILED",
                "CST SETUP DATE", "06/08/2010 09:41:32 AM", "$DATE", "08-JUN-2010", "$BTIM", "11:03:31")::get).orElseThrow();
        QcResult bad = eval(cik(true, 50_000, 30_000, 28_500, 9_000, 600).instrumentQc(failedQc));
        assertEquals(Outcome.FAIL, bad.check(Metric.VIABILITY).outcome());
        assertEquals(Verdict.INDETERMINATE, bad.verdict());
    }

    @Test
    void instrumentQcWarningsAndUnreadableRecordsAreForReview() {
        QcResult warn = eval(withCst("SUCCESS WITH WARNING", "06/08/2010 09:41:32 AM", "08-JUN-2010", "11:03:31"));
        QcResult.Check w = warn.check("instrument_qc").orElseThrow();
        assertEquals(Outcome.REVIEW, w.outcome());
        assertEquals("instrument QC: CST setup status 'SUCCESS WITH WARNING' (review the CST report)", w.reason());
        assertEquals(Verdict.PASS, warn.verdict(), "REVIEW flags without blocking");

        QcResult later = eval(withCst("SUCCESS", "06/09/2010 09:41:32 AM", "08-JUN-2010", "11:03:31"));
        QcResult.Check l = later.check("instrument_qc").orElseThrow();
        assertEquals(Outcome.REVIEW, l.outcome());
        assertTrue(l.reason().contains("is dated after the acquisition start"), l.reason());

        QcResult amb = eval(withCst("SUCCESS", "06/05/2010 13:41:32", "08-JUN-2010", "11:03:31"));
        QcResult.Check a = amb.check("instrument_qc").orElseThrow();
        assertEquals(Outcome.REVIEW, a.outcome());
        assertNull(a.value());
        assertTrue(a.reason().contains("CST SETUP DATE '06/05/2010 13:41:32' is not a date and time"), a.reason());
    }

    @Test
    void noInstrumentQcRecordIsNotApplicableUnlessTheSpecRequiresIt() {
        QcResult r = eval(good());
        QcResult.Check c = r.check("instrument_qc").orElseThrow();
        assertEquals(Outcome.NOT_APPLICABLE, c.outcome());
        assertNull(c.reason());
        assertEquals(Verdict.PASS, r.verdict());

        QcResult.Check required = QcEvaluator.instrumentQcCheck(new QcSpec.InstrumentQcLimits(24, true), good().build());
        assertEquals(Outcome.NOT_EVALUABLE, required.outcome());
        assertTrue(required.reason().contains("the spec requires the record"), required.reason());
    }

    private static final QcSpec.SampleHoldLimits HOLD = new QcSpec.SampleHoldLimits("THAW TIME", 60, true);

    /** The hold check of {@link #good()} with the given keywords (keyword, value pairs). */
    private static QcResult.Check hold(QcSpec.SampleHoldLimits l, String... kv) {
        java.util.Map<String, String> kw = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) kw.put(kv[i], kv[i + 1]);
        QcInput.Builder b = good();
        SampleHold.fromKeywords(kw::get, l.startKeyword()).ifPresent(b::sampleHold);
        return QcEvaluator.sampleHoldCheck(l, b.build());
    }

    /**
     * The sample's hold time, from the site's keyword to the acquisition start: within the validated time PASS (in
     * minutes, limit ≤ maxMinutes), beyond it the run is not evaluable; both sides with an offset compare instants.
     */
    @Test
    void aSampleHeldLongerThanValidatedMakesTheRunNotEvaluable() {
        QcResult.Check ok = hold(HOLD, "THAW TIME", "2026-11-20T10:15:00", "$DATE", "20-NOV-2026", "$BTIM", "11:03:30");
        assertEquals(Outcome.PASS, ok.outcome());
        assertEquals(48.5, ok.value(), 1e-9);
        assertEquals(new Limit(Limit.Op.AT_MOST, 60), ok.limit());
        assertEquals("min", ok.unit());
        assertEquals("sample_hold", ok.id());
        assertNull(ok.reason());

        QcResult.Check late = hold(HOLD, "THAW TIME", "11/20/2026 09:40:00 AM", "$DATE", "20-NOV-2026", "$BTIM",
                "11:03:30");
        assertEquals(Outcome.NOT_EVALUABLE, late.outcome());
        assertEquals(83.5, late.value(), 1e-9);
        assertEquals("the sample was acquired 83.5 min after THAW TIME (2026-11-20 09:40:00), at 2026-11-20 11:03:30:"
                + " more than the validated 60 min: not evaluable; test a sample within its hold time", late.reason());

        // instants: 10:00 in UTC+01:00 is 09:00Z, and the acquisition at 10:30Z is 90 min later
        QcResult.Check zoned = hold(HOLD, "THAW TIME", "2026-11-20T10:00:00+01:00", "$BEGINDATETIME",
                "2026-11-20T10:30:00Z");
        assertEquals(Outcome.NOT_EVALUABLE, zoned.outcome());
        assertEquals(90, zoned.value(), 1e-9);

        // a whole day: $DATE without $BTIM is the end of the day, the longest the hold can have been
        QcResult.Check day = hold(new QcSpec.SampleHoldLimits("STAINED", 24 * 60, true), "STAINED",
                "2026-11-19T08:00", "$DATE", "20-NOV-2026");
        assertEquals(Outcome.NOT_EVALUABLE, day.outcome(), day.reason());
        assertTrue(day.reason().contains("40.0 h (2,400 min) after STAINED") && day.reason().contains("$BTIM not recorded"),
                day.reason());

        // in the evaluation: an otherwise passing product is INDETERMINATE (an invalid run), right after instrument QC
        QcSpec spec = TestSpecs.modified(x -> TestSpecs.at(x, "limits").putObject("sampleHold")
                .put("startKeyword", "THAW TIME").put("maxMinutes", 60));
        QcInput.Builder b = good();
        SampleHold.fromKeywords(java.util.Map.of("THAW TIME", "2026-11-20T08:00:00", "$DATE", "20-NOV-2026",
                "$BTIM", "11:00:00")::get, "THAW TIME").ifPresent(b::sampleHold);
        QcResult r = QcEvaluator.evaluate(spec, b.build());
        assertEquals(Verdict.INDETERMINATE, r.verdict());
        assertEquals(2, r.checks().indexOf(r.check("sample_hold").orElseThrow()));
        assertEquals(Verdict.PASS, QcEvaluator.evaluate(SPEC, b.build()).verdict(), "no check without the spec's field");
    }

    /**
     * An unknown hold time (no keyword, an unreadable start or acquisition time, a start after the acquisition) makes
     * the run not evaluable, as the spec asked for the record; with whenNotRecorded "note" the check is
     * NOT_APPLICABLE without the keyword and for review otherwise, each with the reason.
     */
    @Test
    void anUnknownHoldTimeIsNotEvaluableUnlessTheSpecOnlyNotesIt() {
        QcSpec.SampleHoldLimits note = new QcSpec.SampleHoldLimits("THAW TIME", 60, false);
        QcResult.Check missing = hold(HOLD, "$DATE", "20-NOV-2026", "$BTIM", "11:03:30");
        assertEquals(Outcome.NOT_EVALUABLE, missing.outcome());
        assertEquals("the sample's hold start is not recorded (no keyword THAW TIME) and the spec requires it:"
                + " not evaluable", missing.reason());
        QcResult.Check noted = hold(note, "THAW TIME", " ");
        assertEquals(Outcome.NOT_APPLICABLE, noted.outcome(), "a blank value is no record");
        assertTrue(noted.reason().endsWith("the hold time was not checked"), noted.reason());

        String[] ambiguous = {"THAW TIME", "05/06/2026 13:00", "$DATE", "06-MAY-2026", "$BTIM", "14:00:00"};
        QcResult.Check amb = hold(HOLD, ambiguous);
        assertEquals(Outcome.NOT_EVALUABLE, amb.outcome());
        assertNull(amb.value());
        assertEquals("sample hold time unknown: THAW TIME '05/06/2026 13:00' is not a date and time cikqc can read"
                + " unambiguously and the spec requires it: not evaluable", amb.reason());
        assertEquals(Outcome.REVIEW, hold(note, ambiguous).outcome());
        QcResult.Check noAcq = hold(HOLD, "THAW TIME", "2026-11-20T10:15:00");
        assertEquals(Outcome.NOT_EVALUABLE, noAcq.outcome());
        assertTrue(noAcq.reason().contains("the acquisition start is not recorded"), noAcq.reason());
        String[] later = {"THAW TIME", "2026-11-20T12:15:00", "$DATE", "20-NOV-2026", "$BTIM", "11:03:30"};
        QcResult.Check after = hold(note, later);
        assertEquals(Outcome.REVIEW, after.outcome());
        assertEquals(-71.5, after.value(), 1e-9);
        assertTrue(after.reason().contains("is dated after the acquisition start"), after.reason());
        assertEquals(Outcome.NOT_EVALUABLE, hold(HOLD, later).outcome());
    }

    @Test
    void evaluationIsPure() {
        QcInput in = good().threshold(PanelRole.CD56, 30).build();
        QcResult a = QcEvaluator.evaluate(SPEC, in);
        QcResult b = QcEvaluator.evaluate(SPEC, in);
        assertEquals(a.checks(), b.checks());
        assertEquals(a.reasons(), b.reasons());
        assertEquals(a.metrics(), b.metrics());
        assertFalse(a.reasons().isEmpty());
        assertNull(a.check(Metric.VIABILITY).reason());
    }
}
