package org.cikqc.sim;

import org.cikqc.common.CikqcException;

/**
 * Everything that determines one simulated CIK sample; the same spec always gives the same events.
 *
 * <p>Composition. Every event is first drawn as a counting bead ({@code beads}, none by default), then as debris ({@code debris}), a doublet ({@code doublets}), a CD45−
 * non-leukocyte ({@code nonLeukocytes}) or a single leukocyte (the rest). A leukocyte is dead with probability
 * 1 − {@code viability}; a viable leukocyte is CD3+CD56+ with probability {@code cd3cd56}, CD3+CD56− with
 * {@code cd3 − cd3cd56}, CD3−CD56+ (NK) with {@code nk} and CD3−CD56− with {@code 1 − cd3 − nk}. So viability,
 * cd3, cd3cd56 and nk are the expected QC metrics (viability of CD45+ singlets; the others of viable CD45+
 * singlets); the realized values differ by binomial noise and are reported in the truth. Within CD3+ cells a
 * cell is CD8+ with {@code cd8OfCd3}, else CD4+ with {@code cd4OfCd3 / (1 − cd8OfCd3)} (the rest are double
 * negative). Independently of its class, an event is forced to saturate one channel with probability
 * {@code saturated}.
 *
 * @param events        number of events, 5,000 … 1,000,000
 * @param seed          random seed; equal specs give byte-identical output
 * @param viability     viable fraction of CD45+ single leukocytes, 0 … 1
 * @param cd3           CD3+ fraction of viable leukocytes, 0 … 1
 * @param cd3cd56       CD3+CD56+ fraction of viable leukocytes, 0 … cd3
 * @param nk            CD3−CD56+ fraction of viable leukocytes, 0 … 1 − cd3
 * @param cd8OfCd3      CD8+ fraction of CD3+ cells
 * @param cd4OfCd3      CD4+ fraction of CD3+ cells (cd8OfCd3 + cd4OfCd3 ≤ 1)
 * @param cd16OfNk      CD16+ fraction of NK cells
 * @param cd16OfCik     CD16+ fraction of CD3+CD56+ cells
 * @param withCd45      whether the panel has CD45 (channel {@code V500-A}); without it there are no non-leukocytes
 * @param withCd4Cd8    whether the panel has CD8 ({@code APC-A}) and CD4 ({@code PE-Cy7-A})
 * @param withCd16      whether the panel has CD16 ({@code APC-Cy7-A})
 * @param spillover     spillover level: the FITC→PE coefficient; every other coefficient scales with it (0 = none)
 * @param noise         detector-noise multiplier (1 = typical, 0 = noiseless)
 * @param debris        debris fraction of all events
 * @param doublets      doublet fraction of all events
 * @param nonLeukocytes CD45− non-leukocyte fraction of all events (0 when {@code withCd45} is false)
 * @param saturated     fraction of events forced to $PnR−1 in one channel
 * @param clog          the acquisition anomaly in the clog segment
 * @param clogStart     start of the clog segment as a fraction of the nominal acquisition time
 * @param clogDuration  length of the clog segment as a fraction of the nominal acquisition time
 * @param eventRate     mean event rate in events per second
 * @param deadDim       fraction of dead cells whose 7-AAD is dim (a spread population between the live and the bright
 *                      dead cells, which makes the viability valley shallow); the rest are 7-AAD bright. Recorded
 *                      in the file's {@code CIKQC_SIM_SPEC} only when not the default 0.15, so files simulated
 *                      before it existed are reproduced byte for byte
 * @param deadDimLevel  median 7-AAD of the dim dead cells (log-normal, σ 0.4); nearer the live cells' level (a few
 *                      hundred) it fills the valley. Recorded only when not the default 3,000, like {@code deadDim}
 * @param beads         counting-bead fraction of all events (0 … 0.3): identical particles, bright in every
 *                      fluorescence detector, drawn before anything else. Recorded only when not 0, like
 *                      {@code deadDim}
 */
public record SimulationSpec(int events, long seed, double viability, double cd3, double cd3cd56, double nk,
                             double cd8OfCd3, double cd4OfCd3, double cd16OfNk, double cd16OfCik,
                             boolean withCd45, boolean withCd4Cd8, boolean withCd16,
                             double spillover, double noise, double debris, double doublets, double nonLeukocytes,
                             double saturated, ClogMode clog, double clogStart, double clogDuration,
                             double eventRate,
                             @com.fasterxml.jackson.annotation.JsonInclude(value = com.fasterxml.jackson.annotation.JsonInclude.Include.CUSTOM,
                                     valueFilter = DefaultDeadDim.class) double deadDim,
                             @com.fasterxml.jackson.annotation.JsonInclude(value = com.fasterxml.jackson.annotation.JsonInclude.Include.CUSTOM,
                                     valueFilter = DefaultDeadDimLevel.class) double deadDimLevel,
                             @com.fasterxml.jackson.annotation.JsonInclude(value = com.fasterxml.jackson.annotation.JsonInclude.Include.CUSTOM,
                                     valueFilter = NoBeads.class) double beads) {

    /** The default {@link #deadDim()}. */
    public static final double DEFAULT_DEAD_DIM = 0.15;
    /** The default {@link #deadDimLevel()}. */
    public static final double DEFAULT_DEAD_DIM_LEVEL = 3_000;

    /** Jackson value filter: true (leave the field out) for the field's default. */
    private abstract static class DefaultValue {
        private final double value;

        DefaultValue(double value) { this.value = value; }

        @Override
        public boolean equals(Object o) {
            return o instanceof Double d && d == value;
        }

        @Override
        public int hashCode() { return Double.hashCode(value); }
    }

    /** Leaves out the default {@link #deadDim()}. */
    static final class DefaultDeadDim extends DefaultValue {
        DefaultDeadDim() { super(DEFAULT_DEAD_DIM); }
    }

    /** Leaves out the default {@link #deadDimLevel()}. */
    static final class DefaultDeadDimLevel extends DefaultValue {
        DefaultDeadDimLevel() { super(DEFAULT_DEAD_DIM_LEVEL); }
    }

    /** Leaves out {@link #beads()} when there are none. */
    static final class NoBeads extends DefaultValue {
        NoBeads() { super(0.0); }
    }

    /** Smallest and largest event counts accepted. */
    public static final int MIN_EVENTS = 5_000;
    public static final int MAX_EVENTS = 1_000_000;

    public SimulationSpec {
        if (events < MIN_EVENTS || events > MAX_EVENTS) {
            throw usage("events must be between " + MIN_EVENTS + " and " + MAX_EVENTS + ", got " + events);
        }
        fraction("viability", viability);
        fraction("cd3", cd3);
        fraction("cd3cd56", cd3cd56);
        fraction("nk", nk);
        fraction("cd8OfCd3", cd8OfCd3);
        fraction("cd4OfCd3", cd4OfCd3);
        fraction("cd16OfNk", cd16OfNk);
        fraction("cd16OfCik", cd16OfCik);
        fraction("debris", debris);
        fraction("doublets", doublets);
        fraction("nonLeukocytes", nonLeukocytes);
        fraction("saturated", saturated);
        fraction("clogStart", clogStart);
        fraction("clogDuration", clogDuration);
        fraction("deadDim", deadDim);
        if (!(deadDimLevel >= 10 && deadDimLevel <= 100_000)) {
            throw usage("deadDimLevel must be in [10, 100000], got " + deadDimLevel);
        }
        if (cd3cd56 > cd3 + 1e-12) throw usage("cd3cd56 (" + cd3cd56 + ") must not exceed cd3 (" + cd3 + ")");
        if (cd3 + nk > 1 + 1e-12) throw usage("cd3 + nk must not exceed 1 (got " + (cd3 + nk) + ")");
        if (cd8OfCd3 + cd4OfCd3 > 1 + 1e-12) throw usage("cd8OfCd3 + cd4OfCd3 must not exceed 1");
        if (debris + doublets + nonLeukocytes > 0.7 + 1e-12) {
            throw usage("debris + doublets + nonLeukocytes must not exceed 0.7 (single leukocytes would be too few)");
        }
        if (saturated > 0.1) throw usage("saturated must not exceed 0.1, got " + saturated);
        if (!(beads >= 0 && beads <= 0.3)) throw usage("beads must be in [0, 0.3], got " + beads);
        if (!withCd45 && nonLeukocytes > 0) {
            throw usage("nonLeukocytes must be 0 without CD45: no gate could remove them");
        }
        if (!(spillover >= 0 && spillover <= 0.5)) throw usage("spillover must be in [0, 0.5], got " + spillover);
        if (!(noise >= 0 && noise <= 5)) throw usage("noise must be in [0, 5], got " + noise);
        if (clog == null) throw usage("clog mode is required");
        if (clog != ClogMode.NONE && (clogDuration <= 0 || clogDuration > 0.5 || clogStart + clogDuration > 1)) {
            throw usage("clog segment must satisfy 0 < clogDuration <= 0.5 and clogStart + clogDuration <= 1");
        }
        if (!(eventRate >= 10 && eventRate <= 1e6)) throw usage("eventRate must be in [10, 1e6], got " + eventRate);
    }

    private static CikqcException usage(String message) {
        return new CikqcException(CikqcException.Kind.USAGE, "simulation spec: " + message);
    }

    private static void fraction(String name, double v) {
        if (!(v >= 0 && v <= 1)) throw usage(name + " must be a fraction in [0, 1], got " + v);
    }

    /** A builder preset with the defaults listed on {@link Builder}. */
    public static Builder builder() { return new Builder(); }

    /** The defaults: a typical day-21 CIK product with 100,000 events. */
    public static SimulationSpec defaults() { return builder().build(); }

    /** A builder initialized from this spec. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.events = events; b.seed = seed; b.viability = viability; b.cd3 = cd3; b.cd3cd56 = cd3cd56; b.nk = nk;
        b.cd8OfCd3 = cd8OfCd3; b.cd4OfCd3 = cd4OfCd3; b.cd16OfNk = cd16OfNk; b.cd16OfCik = cd16OfCik;
        b.withCd45 = withCd45; b.withCd4Cd8 = withCd4Cd8; b.withCd16 = withCd16; b.spillover = spillover;
        b.noise = noise; b.debris = debris; b.doublets = doublets; b.nonLeukocytes = nonLeukocytes;
        b.saturated = saturated; b.clog = clog; b.clogStart = clogStart; b.clogDuration = clogDuration;
        b.eventRate = eventRate; b.deadDim = deadDim;
        b.deadDimLevel = deadDimLevel;
        b.beads = beads;
        return b;
    }

    /**
     * Mutable builder. Defaults: 100,000 events, seed 1, viability 0.90, CD3+ 0.93, CD3+CD56+ 0.35, NK 0.04,
     * CD8 0.70 / CD4 0.22 of CD3+, CD16 on 85 % of NK and 20 % of CD3+CD56+, CD45 and CD4/CD8 present, CD16
     * absent, spillover 0.15, noise 1, debris 0.08, doublets 0.04, non-leukocytes 0.01, saturated 0.003, a
     * gap-then-burst clog from 60 % to 63 % of the run, 2,000 events/s, 15 % of dead cells 7-AAD dim.
     */
    public static final class Builder {
        private int events = 100_000;
        private long seed = 1;
        private double viability = 0.90;
        private double cd3 = 0.93;
        private double cd3cd56 = 0.35;
        private double nk = 0.04;
        private double cd8OfCd3 = 0.70;
        private double cd4OfCd3 = 0.22;
        private double cd16OfNk = 0.85;
        private double cd16OfCik = 0.20;
        private boolean withCd45 = true;
        private boolean withCd4Cd8 = true;
        private boolean withCd16 = false;
        private double spillover = 0.15;
        private double noise = 1.0;
        private double debris = 0.08;
        private double doublets = 0.04;
        private double nonLeukocytes = 0.01;
        private double saturated = 0.003;
        private ClogMode clog = ClogMode.GAP_BURST;
        private double clogStart = 0.60;
        private double clogDuration = 0.03;
        private double eventRate = 2000;
        private double deadDim = DEFAULT_DEAD_DIM;
        private double deadDimLevel = DEFAULT_DEAD_DIM_LEVEL;
        private double beads = 0;

        private Builder() { }

        public Builder events(int v) { events = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder viability(double v) { viability = v; return this; }
        public Builder cd3(double v) { cd3 = v; return this; }
        public Builder cd3cd56(double v) { cd3cd56 = v; return this; }
        public Builder nk(double v) { nk = v; return this; }
        public Builder cd8OfCd3(double v) { cd8OfCd3 = v; return this; }
        public Builder cd4OfCd3(double v) { cd4OfCd3 = v; return this; }
        public Builder cd16OfNk(double v) { cd16OfNk = v; return this; }
        public Builder cd16OfCik(double v) { cd16OfCik = v; return this; }

        /** Whether CD45 is in the panel; {@code false} also sets the non-leukocyte fraction to 0. */
        public Builder withCd45(boolean v) {
            withCd45 = v;
            if (!v) nonLeukocytes = 0;
            return this;
        }

        public Builder withCd4Cd8(boolean v) { withCd4Cd8 = v; return this; }
        public Builder withCd16(boolean v) { withCd16 = v; return this; }
        public Builder spillover(double v) { spillover = v; return this; }
        public Builder noise(double v) { noise = v; return this; }
        public Builder debris(double v) { debris = v; return this; }
        public Builder doublets(double v) { doublets = v; return this; }
        public Builder nonLeukocytes(double v) { nonLeukocytes = v; return this; }
        public Builder saturated(double v) { saturated = v; return this; }
        public Builder clog(ClogMode v) { clog = v; return this; }
        public Builder clogStart(double v) { clogStart = v; return this; }
        public Builder clogDuration(double v) { clogDuration = v; return this; }
        public Builder eventRate(double v) { eventRate = v; return this; }
        public Builder deadDim(double v) { deadDim = v; return this; }
        public Builder deadDimLevel(double v) { deadDimLevel = v; return this; }
        public Builder beads(double v) { beads = v; return this; }

        /** Validates and builds; throws a USAGE {@link CikqcException} naming the offending value. */
        public SimulationSpec build() {
            return new SimulationSpec(events, seed, viability, cd3, cd3cd56, nk, cd8OfCd3, cd4OfCd3, cd16OfNk,
                    cd16OfCik, withCd45, withCd4Cd8, withCd16, spillover, noise, debris, doublets, nonLeukocytes,
                    saturated, clog, clogStart, clogDuration, eventRate, deadDim,
                    deadDimLevel, beads);
        }
    }
}
