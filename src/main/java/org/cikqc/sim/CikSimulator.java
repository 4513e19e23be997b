package org.cikqc.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generates a CIK product sample whose truth is known event by event (see {@link SimulationSpec} for the
 * composition and {@link SimulationTruth} for what is recorded).
 *
 * <p>Model, per event, in this order:
 * <ol>
 *   <li>Arrival time: a Poisson process at {@link SimulationSpec#eventRate()}; in the clog segment the rate is 0
 *       for the first third and {@link #BURST_RATE_FACTOR}× for the rest ({@link ClogMode#GAP_BURST}).</li>
 *   <li>Class and latent cell: size factor, FSC-A/SSC-A (log-normal; dead cells: lower FSC, higher SSC; debris: low
 *       FSC), FSC-H = 0.80 × FSC-A for singlets; a doublet sums two leukocytes' areas and signals and has FSC-H ≈
 *       1.1 × the larger cell's height. True fluorescence = autofluorescence (per detector, scaling with size) plus
 *       marker expression (log-normal; CD56 on CD3+CD56+ cells a dim-to-bright log-normal continuum,
 *       10^N(3.3, 0.50) truncated at 400; dead cells 7-AAD bright or dim, with dimmed lineage markers and
 *       non-specific binding).</li>
 *   <li>{@link ClogMode#SIGNAL_SHIFT}: every signal of an event in the segment × {@link #SIGNAL_SHIFT_FACTOR}.</li>
 *   <li>Detector value = autofluorescence + expression · S (spillover) + Gaussian noise with variance
 *       noise² (20² + 3 · signal), i.e. electronic plus photon-counting noise; this noise is what spreads
 *       compensated negatives (and makes them negative).</li>
 *   <li>With probability {@link SimulationSpec#saturated()} one channel (FSC-A, SSC-A or a fluorescence channel)
 *       is forced to $PnR−1; every value is clipped at $PnR−1 like an ADC.</li>
 * </ol>
 * Random numbers come from one seeded SplitMix64 stream consumed in event order and all mathematics uses
 * {@link StrictMath}, so a spec gives bit-identical values on every JVM, whatever the chunk size.
 *
 * <p>Channels (BD FACSDiva names): FSC-A, FSC-H, SSC-A, FITC-A (CD3), PE-A (CD56), PerCP-Cy5-5-A (7-AAD),
 * V500-A (CD45, optional), APC-A (CD8, optional), PE-Cy7-A (CD4, optional), APC-Cy7-A (CD16, optional), Time
 * ($TIMESTEP {@value #TIMESTEP} s). All $PnR are 262144.
 */
public final class CikSimulator {

    /** Rate multiplier of the burst that follows the gap in a {@link ClogMode#GAP_BURST} segment. */
    public static final double BURST_RATE_FACTOR = 3.0;
    /** Signal multiplier in a {@link ClogMode#SIGNAL_SHIFT} segment. */
    public static final double SIGNAL_SHIFT_FACTOR = 0.6;
    /** $TIMESTEP: seconds per Time-channel unit. */
    public static final double TIMESTEP = 0.01;
    /** Events per {@link SimulatedChunk}. */
    public static final int CHUNK_SIZE = 65_536;
    /** Spillover level at which {@link #BASE_SPILL} holds the coefficients as written. */
    private static final double BASE_LEVEL = 0.15;

    /** Fluorescence detectors ($PnN) in file order, with their marker ($PnS). */
    static final String[] DETECTORS = {"FITC-A", "PE-A", "PerCP-Cy5-5-A", "V500-A", "APC-A", "PE-Cy7-A", "APC-Cy7-A"};
    static final String[] MARKERS = {"CD3", "CD56", "7-AAD", "CD45", "CD8", "CD4", "CD16"};
    static final int CD3 = 0;
    static final int CD56 = 1;
    static final int AAD = 2;
    static final int CD45 = 3;
    static final int CD8 = 4;
    static final int CD4 = 5;
    static final int CD16 = 6;
    private static final int DYES = DETECTORS.length;

    /** Median autofluorescence per detector of a viable lymphoblast of average size. */
    private static final double[] AF_MEDIAN = {220, 140, 180, 260, 70, 90, 60};

    /**
     * Spillover of dye (row) into detector (column) at level {@value #BASE_LEVEL}; the actual matrix is
     * I + (level / 0.15) · BASE_SPILL, rounded to 6 decimals (the values written to $SPILLOVER are the values used).
     */
    private static final double[][] BASE_SPILL = {
        // FITC   PE     PerCP  V500   APC    PE-Cy7 APC-Cy7
        {0,     0.15,  0.03,  0,     0,     0.004, 0},      // FITC
        {0.015, 0,     0.10,  0,     0.002, 0.02,  0},      // PE
        {0,     0.005, 0,     0,     0.03,  0.12,  0.02},   // PerCP-Cy5.5
        {0.08,  0.01,  0,     0,     0,     0,     0},      // V500
        {0,     0,     0.02,  0,     0,     0.01,  0.10},   // APC
        {0,     0.01,  0.01,  0,     0,     0,     0.04},   // PE-Cy7
        {0,     0,     0,     0,     0.02,  0.03,  0},      // APC-Cy7
    };

    private final SimulationSpec spec;
    /** Dye indices present in the panel, in file order. */
    private final int[] dyes;
    /** Full dye × detector matrix; rows and columns of absent dyes are unused. */
    private final double[][] spill;
    private final List<SimChannel> channels;
    private final Spillover spillover;

    /** A simulator for {@code spec}. */
    public CikSimulator(SimulationSpec spec) {
        this.spec = spec;
        List<Integer> present = new ArrayList<>();
        for (int d = 0; d < DYES; d++) {
            boolean on = switch (d) {
                case CD45 -> spec.withCd45();
                case CD8, CD4 -> spec.withCd4Cd8();
                case CD16 -> spec.withCd16();
                default -> true;
            };
            if (on) present.add(d);
        }
        this.dyes = present.stream().mapToInt(Integer::intValue).toArray();
        this.spill = new double[DYES][DYES];
        double k = spec.spillover() / BASE_LEVEL;
        for (int i = 0; i < DYES; i++) {
            for (int j = 0; j < DYES; j++) {
                spill[i][j] = i == j ? 1.0 : round6(BASE_SPILL[i][j] * k);
            }
        }
        List<SimChannel> ch = new ArrayList<>();
        ch.add(new SimChannel("FSC-A", null, SimChannel.Kind.SCATTER));
        ch.add(new SimChannel("FSC-H", null, SimChannel.Kind.SCATTER));
        ch.add(new SimChannel("SSC-A", null, SimChannel.Kind.SCATTER));
        List<String> names = new ArrayList<>();
        double[][] m = new double[dyes.length][dyes.length];
        for (int a = 0; a < dyes.length; a++) {
            ch.add(new SimChannel(DETECTORS[dyes[a]], MARKERS[dyes[a]], SimChannel.Kind.FLUORESCENCE));
            names.add(DETECTORS[dyes[a]]);
            for (int b = 0; b < dyes.length; b++) m[a][b] = spill[dyes[a]][dyes[b]];
        }
        ch.add(new SimChannel("Time", null, SimChannel.Kind.TIME));
        this.channels = List.copyOf(ch);
        this.spillover = new Spillover(names, m);
    }

    private static double round6(double v) {
        return new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The spec. */
    public SimulationSpec spec() { return spec; }

    /** The parameters in file order: FSC-A, FSC-H, SSC-A, the fluorescence detectors of the panel, Time. */
    public List<SimChannel> channels() { return channels; }

    /** The spillover matrix over the panel's fluorescence detectors (the one written as $SPILLOVER). */
    public Spillover spillover() { return spillover; }

    /** Generates every event into memory: columns plus truth (1,000,000 events × 11 parameters ≈ 44 MB). */
    public SimulatedSample simulate() {
        int n = spec.events();
        float[][] columns = new float[channels.size()][n];
        SimulationTruth truth = generate(chunk -> {
            for (int p = 0; p < columns.length; p++) {
                System.arraycopy(chunk.columns()[p], 0, columns[p], (int) chunk.firstEvent(), chunk.size());
            }
        });
        return new SimulatedSample(channels, columns, truth);
    }

    /**
     * Streams the events in chunks of {@link #CHUNK_SIZE} to {@code sink}, in event order, and returns the truth
     * (built alongside; it holds one label character and one subset digit per event, not the values).
     */
    public SimulationTruth generate(Consumer<SimulatedChunk> sink) {
        int n = spec.events();
        SplitMix64 rng = new SplitMix64(spec.seed());
        Schedule schedule = new Schedule(spec);
        SimulationTruth.Accumulator acc = new SimulationTruth.Accumulator(spec);
        Cell cell = new Cell();
        Cell other = new Cell();
        double[] values = new double[channels.size()];
        int timeColumn = channels.size() - 1;
        double t = 0;
        long firstAtSegment = -1;
        for (long first = 0; first < n; first += CHUNK_SIZE) {
            int size = (int) Math.min(CHUNK_SIZE, n - first);
            float[][] cols = new float[channels.size()][size];
            byte[] classes = new byte[size];
            byte[] subsets = new byte[size];
            boolean[] clog = new boolean[size];
            boolean[] margin = new boolean[size];
            for (int i = 0; i < size; i++) {
                t = schedule.nextArrival(t, rng);
                if (firstAtSegment < 0 && t >= schedule.segmentStart) firstAtSegment = first + i;
                boolean inSegment = schedule.inSegment(t);
                EventClass cls = drawEvent(rng, cell, other);
                if (inSegment && spec.clog() == ClogMode.SIGNAL_SHIFT) cell.scale(SIGNAL_SHIFT_FACTOR);
                detect(rng, cell, values);
                values[timeColumn] = t / TIMESTEP;
                boolean isMargin = false;
                for (int p = 0; p < values.length; p++) {
                    float f = (float) values[p];
                    cols[p][i] = f;
                    if (p != timeColumn) {
                        if (f >= SimChannel.MAX_VALUE) isMargin = true;
                        if (p < 3 && f <= 0) isMargin = true;
                    }
                }
                classes[i] = (byte) cls.ordinal();
                subsets[i] = (byte) cell.bits;
                clog[i] = inSegment;
                margin[i] = isMargin;
            }
            SimulatedChunk chunk = new SimulatedChunk(first, size, cols, classes, subsets, clog, margin);
            acc.accept(chunk);
            sink.accept(chunk);
        }
        ClogSegment segment = null;
        if (spec.clog() != ClogMode.NONE) {
            long firstEvent = acc.clogFirst() >= 0 ? acc.clogFirst() : (firstAtSegment >= 0 ? firstAtSegment : n);
            long endEvent = acc.clogFirst() >= 0 ? acc.clogEnd() : firstEvent;
            segment = new ClogSegment(spec.clog(), schedule.segmentStart, schedule.segmentEnd,
                    schedule.segmentStart / TIMESTEP, schedule.segmentEnd / TIMESTEP, firstEvent, endEvent);
        }
        return acc.finish(channels, spillover, segment);
    }

    /** Draws one event's class and latent signals into {@code cell} ({@code other} is scratch for doublets). */
    private EventClass drawEvent(SplitMix64 rng, Cell cell, Cell other) {
        double u = rng.nextDouble();
        if (u < spec.beads()) {
            bead(rng, cell);
            return EventClass.BEAD;
        }
        u -= spec.beads();
        if (u < spec.debris()) {
            debris(rng, cell);
            return EventClass.DEBRIS;
        }
        u -= spec.debris();
        if (u < spec.doublets()) {
            leukocyte(rng, cell);
            leukocyte(rng, other);
            double h = Math.max(cell.fscH, other.fscH);
            cell.add(other);
            cell.fscH = 1.1 * h * (1 + 0.03 * rng.nextGaussian());
            return EventClass.DOUBLET;
        }
        u -= spec.doublets();
        if (u < spec.nonLeukocytes()) {
            nonLeukocyte(rng, cell);
            return EventClass.NON_LEUKOCYTE;
        }
        return leukocyte(rng, cell);
    }

    /** Draws the viable phenotype of a leukocyte (used for viable cells and as the lineage of dead cells). */
    private EventClass viablePhenotype(SplitMix64 rng) {
        double v = rng.nextDouble();
        if (v < spec.cd3cd56()) return EventClass.CD3POS_CD56POS;
        v -= spec.cd3cd56();
        if (v < spec.cd3() - spec.cd3cd56()) return EventClass.CD3POS_CD56NEG;
        v -= spec.cd3() - spec.cd3cd56();
        if (v < spec.nk()) return EventClass.NK;
        return EventClass.CD3NEG_CD56NEG;
    }

    /** A single leukocyte, dead or viable. */
    private EventClass leukocyte(SplitMix64 rng, Cell c) {
        boolean dead = rng.nextDouble() >= spec.viability();
        EventClass lineage = viablePhenotype(rng);
        c.clear();
        double size = rng.nextLogNormal(1, 0.15);
        if (dead) {
            c.fscA = rng.nextLogNormal(46_000, 0.28);
            c.ssc = rng.nextLogNormal(50_000, 0.32);
            c.fscH = c.fscA * 0.80 * (1 + 0.025 * rng.nextGaussian());
            autofluorescence(rng, c, 2.2 * size, 0.35);
        } else {
            double fsc;
            double ssc;
            switch (lineage) {
                case CD3POS_CD56POS -> { fsc = 92_000; ssc = 36_000; }
                case NK -> { fsc = 80_000; ssc = 38_000; }
                case CD3NEG_CD56NEG -> { fsc = 75_000; ssc = 30_000; }
                default -> { fsc = 85_000; ssc = 28_000; }
            }
            c.fscA = fsc * size * rng.nextLogNormal(1, 0.06);
            c.ssc = ssc * size * rng.nextLogNormal(1, 0.22);
            c.fscH = c.fscA * 0.80 * (1 + 0.02 * rng.nextGaussian());
            double af = StrictMath.pow(size, 1.5) * (lineage == EventClass.CD3POS_CD56POS ? 1.1 : 1.0);
            autofluorescence(rng, c, af, 0.25);
        }
        double dim = dead ? 0.5 : 1.0;
        c.expr[CD45] = dead ? rng.nextLogNormal(4_500, 0.45)
                : rng.nextLogNormal(lineage == EventClass.NK ? 11_000 : 9_000, 0.30);
        if (lineage.isCd3Positive()) {
            c.expr[CD3] = rng.nextLogNormal(14_000 * dim, dead ? 0.5 : 0.35);
            if (rng.nextDouble() < spec.cd8OfCd3()) {
                c.bits |= 1;
                c.expr[CD8] = rng.nextLogNormal(11_000 * dim, 0.35);
            } else if (rng.nextDouble() * (1 - spec.cd8OfCd3()) < spec.cd4OfCd3()) {
                c.bits |= 2;
                c.expr[CD4] = rng.nextLogNormal(5_500 * dim, 0.30);
            }
        }
        if (lineage == EventClass.CD3POS_CD56POS) {
            c.expr[CD56] = dim * cd56Continuum(rng);
            if (rng.nextDouble() < spec.cd16OfCik()) {
                c.bits |= 4;
                c.expr[CD16] = rng.nextLogNormal(3_000 * dim, 0.6);
            }
        } else if (lineage == EventClass.NK) {
            c.expr[CD56] = rng.nextLogNormal(16_000 * dim, 0.35);
            if (rng.nextDouble() < spec.cd16OfNk()) {
                c.bits |= 4;
                c.expr[CD16] = rng.nextLogNormal(9_000 * dim, 0.45);
            }
        }
        if (dead) {
            c.expr[AAD] = rng.nextDouble() < 1 - spec.deadDim() ? rng.nextLogNormal(22_000, 0.45)
                    : rng.nextLogNormal(spec.deadDimLevel(), 0.4);
            for (int d = 0; d < DYES; d++) {
                if (d != AAD) c.expr[d] += rng.nextLogNormal(250, 0.6); // non-specific binding
            }
        }
        return dead ? EventClass.DEAD : lineage;
    }

    /** CD56 on CD3+CD56+ cells: 10^N(3.3, 0.50), redrawn below 400 (a dim-to-bright continuum). */
    private static double cd56Continuum(SplitMix64 rng) {
        double lg;
        do {
            lg = 3.3 + 0.50 * rng.nextGaussian();
        } while (lg < 2.60206); // log10(400)
        return StrictMath.pow(10, lg);
    }

    private static void debris(SplitMix64 rng, Cell c) {
        c.clear();
        c.fscA = rng.nextLogNormal(7_000, 0.55);
        c.ssc = rng.nextLogNormal(9_000, 0.7);
        c.fscH = c.fscA * 0.85 * (1 + 0.05 * rng.nextGaussian());
        autofluorescence(rng, c, 0.25, 0.5);
        if (rng.nextDouble() < 0.5) c.expr[AAD] = rng.nextLogNormal(6_000, 0.9);
    }

    /**
     * Trucount-like counting bead: small and uniform (FSC-A 24,000, SSC-A 42,000, CV 3 %), no autofluorescence,
     * and one emission level per detector (CV 3 %) from {@link #BEAD_EMISSION}, which detection spreads as any
     * signal.
     */
    private static void bead(SplitMix64 rng, Cell c) {
        c.clear();
        c.fscA = rng.nextLogNormal(24_000, 0.03);
        c.ssc = rng.nextLogNormal(42_000, 0.03);
        c.fscH = c.fscA * 0.85 * (1 + 0.01 * rng.nextGaussian());
        for (int d = 0; d < DYES; d++) {
            c.af[d] = 0;
            c.expr[d] = BEAD_EMISSION[d] * rng.nextLogNormal(1, 0.03);
        }
    }

    /** A counting bead's emission per dye channel (before spillover), in detector order. */
    private static final double[] BEAD_EMISSION = {60_000, 45_000, 30_000, 25_000, 40_000, 20_000, 35_000};

    private static void nonLeukocyte(SplitMix64 rng, Cell c) {
        c.clear();
        c.fscA = rng.nextLogNormal(38_000, 0.25);
        c.ssc = rng.nextLogNormal(14_000, 0.35);
        c.fscH = c.fscA * 0.80 * (1 + 0.02 * rng.nextGaussian());
        autofluorescence(rng, c, 0.6, 0.3);
    }

    private static void autofluorescence(SplitMix64 rng, Cell c, double factor, double sdlog) {
        for (int d = 0; d < DYES; d++) c.af[d] = AF_MEDIAN[d] * factor * rng.nextLogNormal(1, sdlog);
    }

    /** Turns latent signals into detector values (spillover, noise, saturation, clipping); Time is left as is. */
    private void detect(SplitMix64 rng, Cell c, double[] out) {
        double noise = spec.noise();
        out[0] = c.fscA + noise * StrictMath.sqrt(100 * 100 + 0.5 * Math.max(c.fscA, 0)) * rng.nextGaussian();
        out[1] = c.fscH + noise * StrictMath.sqrt(100 * 100 + 0.5 * Math.max(c.fscH, 0)) * rng.nextGaussian();
        out[2] = c.ssc + noise * StrictMath.sqrt(100 * 100 + 0.5 * Math.max(c.ssc, 0)) * rng.nextGaussian();
        for (int a = 0; a < dyes.length; a++) {
            int det = dyes[a];
            double mu = c.af[det];
            for (int dye : dyes) mu += c.expr[dye] * spill[dye][det];
            out[3 + a] = mu + noise * StrictMath.sqrt(20 * 20 + 3 * Math.max(mu, 0)) * rng.nextGaussian();
        }
        if (rng.nextDouble() < spec.saturated()) {
            double r = rng.nextDouble();
            int p = r < 0.5 ? 0 : r < 0.7 ? 2 : 3 + rng.nextInt(dyes.length);
            out[p] = SimChannel.MAX_VALUE;
        }
        for (int p = 0; p < 3 + dyes.length; p++) out[p] = Math.min(out[p], SimChannel.MAX_VALUE);
    }

    /** Latent signals of one event (before spillover and noise). */
    private static final class Cell {
        double fscA;
        double fscH;
        double ssc;
        final double[] expr = new double[DYES];
        final double[] af = new double[DYES];
        int bits;

        void clear() {
            fscA = 0;
            fscH = 0;
            ssc = 0;
            java.util.Arrays.fill(expr, 0);
            java.util.Arrays.fill(af, 0);
            bits = 0;
        }

        void add(Cell o) {
            fscA += o.fscA;
            fscH += o.fscH;
            ssc += o.ssc;
            for (int d = 0; d < DYES; d++) {
                expr[d] += o.expr[d];
                af[d] += o.af[d];
            }
            bits |= o.bits;
        }

        void scale(double f) {
            fscA *= f;
            fscH *= f;
            ssc *= f;
            for (int d = 0; d < DYES; d++) {
                expr[d] *= f;
                af[d] *= f;
            }
        }
    }

    /** The piecewise-constant event rate over time (seconds). */
    static final class Schedule {
        final ClogMode mode;
        final double rate;
        final double segmentStart;
        final double gapEnd;
        final double segmentEnd;

        Schedule(SimulationSpec spec) {
            this.mode = spec.clog();
            this.rate = spec.eventRate();
            double nominal = spec.events() / spec.eventRate();
            if (mode == ClogMode.NONE) {
                segmentStart = Double.POSITIVE_INFINITY;
                gapEnd = Double.POSITIVE_INFINITY;
                segmentEnd = Double.POSITIVE_INFINITY;
            } else {
                segmentStart = spec.clogStart() * nominal;
                segmentEnd = segmentStart + spec.clogDuration() * nominal;
                gapEnd = mode == ClogMode.GAP_BURST ? segmentStart + (segmentEnd - segmentStart) / 3 : segmentStart;
            }
        }

        boolean inSegment(double t) {
            return t >= segmentStart && t < segmentEnd;
        }

        double rateAt(double t) {
            if (mode != ClogMode.GAP_BURST || t < segmentStart || t >= segmentEnd) return rate;
            return t < gapEnd ? 0 : rate * BURST_RATE_FACTOR;
        }

        double nextBoundary(double t) {
            if (t < segmentStart) return segmentStart;
            if (t < gapEnd) return gapEnd;
            if (t < segmentEnd) return segmentEnd;
            return Double.POSITIVE_INFINITY;
        }

        /** The next arrival after {@code t} of the inhomogeneous Poisson process (exact, by time rescaling). */
        double nextArrival(double t, SplitMix64 rng) {
            double e = rng.nextExponential();
            while (true) {
                double r = rateAt(t);
                double end = nextBoundary(t);
                if (r > 0) {
                    double dt = e / r;
                    if (t + dt < end) return t + dt;
                    e -= r * (end - t);
                }
                t = end;
            }
        }
    }
}
