package org.cikqc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.FcsWriter;
import org.cikqc.fcs.ValueKind;
import org.cikqc.gating.BooleanGate;
import org.cikqc.gating.CompiledStrategy;
import org.cikqc.gating.Dimension;
import org.cikqc.gating.EllipsoidGate;
import org.cikqc.gating.FcsDimension;
import org.cikqc.gating.Gate;
import org.cikqc.gating.GatingEngine;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.PolygonGate;
import org.cikqc.gating.PopulationCounts;
import org.cikqc.gating.QuadrantGate;
import org.cikqc.gating.RectangleGate;
import org.cikqc.gating.ScaleTransformation;
import org.cikqc.transform.LogicleTransform;

/**
 * Gating throughput benchmark (run by {@code scripts/bench-gate}): generates, when missing, a 1,000,000-event ×
 * 10-parameter FCS file with a $SPILLOVER keyword, then measures in one JVM run the events/s of reading alone and
 * of reading + compensation + logicle on 8 dimensions + a 12-gate strategy (polygons, quadrants, ellipsoid,
 * rectangles, booleans), and prints both and their ratio.
 *
 * <p>Usage: {@code java -cp target/cikqc.jar org.cikqc.bench.GateBench [FILE] [--events N] [--repeat R]
 * [--threads T] [--batch B] [--stages]} (default FILE {@code bench-data/bench-1M.fcs}); {@code --batch} sets the
 * events per reader batch of both timed passes (default {@value FcsReadOptions#DEFAULT_BATCH}); {@code --stages} adds the time of each
 * stage (compensation, each transformed dimension, each gate kernel, re-evaluation, counting) in steady state. Each
 * stage is timed on its own over the file's first batch, so the figures show where the time goes; their sum is
 * close to, not exactly, the engine's time per event. With T &gt; 1 both passes split the events into T
 * disjoint ranges read by T threads, each gating with its own {@link CompiledStrategy#fork() fork}.
 */
public final class GateBench {
    static final String[] CHANNELS = {"FSC-A", "SSC-A", "FL1-A", "FL2-A", "FL3-A", "FL4-A", "FL5-A", "FL6-A", "FL7-A",
        "FL8-A"};

    private GateBench() { }

    public static void main(String[] args) {
        Path file = Path.of("bench-data", "bench-1M.fcs");
        long events = 1_000_000;
        int repeat = 3;
        int threads = 1;
        boolean stages = false;
        int batch = FcsReadOptions.DEFAULT_BATCH;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--stages" -> stages = true;
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                default -> file = Path.of(args[i]);
            }
        }
        // both timed passes read leniently, with the batch size of --batch
        final FcsReadOptions options = FcsReadOptions.LENIENT.withBatchSize(batch);
        if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            generate(file, events, 20240601L);
            System.out.printf(Locale.ROOT, "generated %s (%,d events x %d parameters) in %.1f s%n", file, events,
                    CHANNELS.length, (System.nanoTime() - t0) / 1e9);
        }
        GatingStrategy strategy = strategy();
        // warm-up (JIT, page cache)
        readOnly(file, options, threads);
        gate(file, options, strategy, threads);
        double[] read = new double[repeat];
        double[] gated = new double[repeat];
        final long n = total(file);
        long[] counts = null;
        final int th = threads;
        final Path in = file;
        for (int r = 0; r < repeat; r++) {
            read[r] = rate(() -> readOnly(in, options, th));
            long[][] last = new long[1][];
            gated[r] = rate(() -> {
                last[0] = gate(in, options, strategy, th);
                return n;
            });
            counts = last[0];
        }
        System.out.printf(Locale.ROOT, "file: %s (%,d events x %d parameters), %d samples each (whole passes repeated for"
                + " >= %.1f s per sample), alternating, %d thread%s%n", file, n, CHANNELS.length, repeat, SAMPLE_SECONDS,
                threads, threads == 1 ? "" : "s");
        System.out.printf(Locale.ROOT, "%-46s %16s %16s%n", "events/s", "best", "median");
        System.out.printf(Locale.ROOT, "%-46s %,16.0f %,16.0f%n", "read only", max(read), median(read));
        System.out.printf(Locale.ROOT, "%-46s %,16.0f %,16.0f%n", "read + compensation + 8 logicle + "
                + strategy.gates().size() + " gates", max(gated), median(gated));
        System.out.printf(Locale.ROOT, "%-46s %15.1f%% %15.1f%%%n", "ratio (gating pipeline / read only)",
                100 * max(gated) / max(read), 100 * median(gated) / median(read));
        System.out.printf(Locale.ROOT, "%-46s %16.1f %16.1f%n", "gating cost, ns/event (pipeline minus read)",
                1e9 * threads * (1 / max(gated) - 1 / max(read)), 1e9 * threads * (1 / median(gated) - 1 / median(read)));
        System.out.printf(Locale.ROOT, "events re-evaluated exactly (near a gate boundary): %d of %d%n", counts[counts.length - 1], n);
        StringBuilder sb = new StringBuilder("populations:");
        for (int p = 0; p < strategy.populationIds().size(); p++) {
            sb.append(' ').append(strategy.populationIds().get(p)).append('=').append(counts[p]);
        }
        System.out.println(sb);
        if (stages) stages(in, strategy);
    }

    /** Prints where the gating time goes: {@link CompiledStrategy#profile} over the file's first batch. */
    static void stages(Path file, GatingStrategy strategy) {
        try (FcsFile f = FcsFile.open(file, FcsReadOptions.LENIENT);
             EventReader r = f.events(0, ValueKind.SCALE, 0, Math.min(f.dataSet(0).events(), FcsReadOptions.DEFAULT_BATCH))) {
            EventBatch b = r.next();
            if (b == null) return;
            CompiledStrategy c = GatingEngine.compile(strategy, f.dataSet(0));
            c.profile(b.columns(), b.size(), 50); // warm-up
            Map<String, Double> t = c.profile(b.columns(), b.size(), 300);
            System.out.printf(Locale.ROOT, "%nstages, steady state (%,d events in blocks, 300 repeats), ns/event:%n", b.size());
            double total = 0;
            for (Map.Entry<String, Double> e : t.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-44s %8.2f%n", e.getKey(), e.getValue());
                total += e.getValue();
            }
            System.out.printf(Locale.ROOT, "  %-44s %8.2f%n", "total", total);
        }
    }

    /** Minimum wall time of one timed sample: whole passes over the file are repeated until it is reached. */
    static final double SAMPLE_SECONDS = 0.4;

    /** Events/s of repeated whole passes of {@code pass} (which returns the events it processed) over ≥ SAMPLE_SECONDS. */
    static double rate(java.util.function.LongSupplier pass) {
        long t0 = System.nanoTime();
        long events = 0;
        double elapsed;
        do {
            events += pass.getAsLong();
            elapsed = (System.nanoTime() - t0) / 1e9;
        } while (elapsed < SAMPLE_SECONDS);
        return events / elapsed;
    }

    private static long total(Path file) {
        try (FcsFile f = FcsFile.open(file, FcsReadOptions.LENIENT)) {
            return f.dataSet(0).events();
        }
    }

    private static double max(double[] v) {
        double m = v[0];
        for (double x : v) m = Math.max(m, x);
        return m;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Event ranges [from, to) splitting the data set into {@code threads} parts. */
    private static long[][] ranges(long total, int threads) {
        long[][] r = new long[threads][2];
        for (int t = 0; t < threads; t++) {
            r[t][0] = total * t / threads;
            r[t][1] = total * (t + 1) / threads;
        }
        return r;
    }

    /** Runs {@code work} on each range, in parallel when there is more than one. */
    private static <T> List<T> parallel(long[][] ranges, java.util.function.Function<long[], T> work) {
        if (ranges.length == 1) return List.of(work.apply(ranges[0]));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(ranges.length);
        try {
            List<java.util.concurrent.Future<T>> fs = new ArrayList<>();
            for (long[] r : ranges) fs.add(pool.submit(() -> work.apply(r)));
            List<T> out = new ArrayList<>();
            for (java.util.concurrent.Future<T> f : fs) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Streams all events as scale values (every value is decoded into the batch arrays). */
    static long readOnly(Path file, FcsReadOptions options, int threads) {
        try (FcsFile f = FcsFile.open(file, options)) {
            List<Long> parts = parallel(ranges(f.dataSet(0).events(), threads), range -> {
                double sink = 0;
                long n = 0;
                try (EventReader r = f.events(0, ValueKind.SCALE, range[0], range[1])) {
                    EventBatch b;
                    while ((b = r.next()) != null) {
                        for (int p = 0; p < b.parameterCount(); p++) sink += b.column(p)[b.size() - 1];
                        n += b.size();
                    }
                }
                return sink == 42.4242 ? -n : n;
            });
            long n = 0;
            for (long x : parts) n += Math.abs(x);
            return n;
        }
    }

    /**
     * Streams all events through compensation, transforms and gates; returns the population counts, then the number
     * of exactly re-evaluated events.
     */
    static long[] gate(Path file, FcsReadOptions options, GatingStrategy strategy, int threads) {
        try (FcsFile f = FcsFile.open(file, options)) {
            CompiledStrategy compiled = GatingEngine.compile(strategy, f.dataSet(0));
            List<CompiledStrategy> done = parallel(ranges(f.dataSet(0).events(), threads), range -> {
                CompiledStrategy c = compiled.fork();
                try (EventReader r = f.events(0, ValueKind.SCALE, range[0], range[1])) {
                    EventBatch b;
                    while ((b = r.next()) != null) c.evaluate(b);
                }
                return c;
            });
            PopulationCounts total = done.get(0).counts();
            long rechecked = done.get(0).recheckedEvents();
            for (int i = 1; i < done.size(); i++) {
                total = total.plus(done.get(i).counts());
                rechecked += done.get(i).recheckedEvents();
            }
            long[] out = new long[total.populationIds().size() + 1];
            for (int p = 0; p < out.length - 1; p++) out[p] = total.count(p);
            out[out.length - 1] = rechecked;
            return out;
        }
    }

    /** 12 gates over FSC/SSC (linear) and FL1..FL8 (compensated with the file's $SPILLOVER, logicle). */
    static GatingStrategy strategy() {
        ScaleTransformation lg = new ScaleTransformation("Logicle", new LogicleTransform(262144, 0.5, 4.5, 0));
        Map<String, Dimension> d = new LinkedHashMap<>();
        for (int i = 1; i <= 8; i++) d.put("FL" + i, new FcsDimension("FL" + i + "-A", Dimension.FCS, "Logicle"));
        Dimension fsc = FcsDimension.of("FSC-A");
        Dimension ssc = FcsDimension.of("SSC-A");
        List<Gate> g = new ArrayList<>();
        g.add(new PolygonGate("Cells", null, fsc, ssc, vertices(20000, 10000, 200000, 20000, 240000, 150000,
                120000, 200000, 30000, 90000)));
        g.add(new RectangleGate("Large", "Cells", List.of(new RectangleGate.Range(fsc, 80000, Double.POSITIVE_INFINITY))));
        g.add(new PolygonGate("Lymph", "Cells", d.get("FL1"), d.get("FL2"), vertices(0.2, 0.2, 0.7, 0.25, 0.8, 0.6,
                0.6, 0.85, 0.35, 0.8, 0.15, 0.5)));
        g.add(new QuadrantGate("Q34", "Lymph", List.of(new QuadrantGate.Divider("d3", d.get("FL3"), List.of(0.45)),
                new QuadrantGate.Divider("d4", d.get("FL4"), List.of(0.45))),
                List.of(quadrant("Q34_NN", 0, 0), quadrant("Q34_PN", 1, 0), quadrant("Q34_NP", 0, 1),
                        quadrant("Q34_PP", 1, 1))));
        g.add(new EllipsoidGate("Ell56", null, List.of(d.get("FL5"), d.get("FL6")), new double[] {0.5, 0.5},
                new double[][] {{0.02, 0.005}, {0.005, 0.015}}, 1));
        g.add(new RectangleGate("Rect78", null, List.of(new RectangleGate.Range(d.get("FL7"), 0.3, 0.7),
                new RectangleGate.Range(d.get("FL8"), 0.25, 0.8))));
        g.add(new PolygonGate("Poly57", null, d.get("FL5"), d.get("FL7"), vertices(0.1, 0.1, 0.5, 0.05, 0.9, 0.2,
                0.95, 0.6, 0.7, 0.9, 0.4, 0.95, 0.15, 0.7, 0.05, 0.4)));
        g.add(new PolygonGate("Poly68", "Cells", d.get("FL6"), d.get("FL8"), vertices(0.3, 0.3, 0.9, 0.3, 0.9, 0.9,
                0.3, 0.9)));
        g.add(new BooleanGate("LymphEll", null, BooleanGate.Operator.AND, List.of(BooleanGate.Operand.of("Lymph"),
                BooleanGate.Operand.of("Ell56"))));
        g.add(new BooleanGate("RectOrPoly", null, BooleanGate.Operator.OR, List.of(BooleanGate.Operand.of("Rect78"),
                BooleanGate.Operand.of("Poly57"))));
        g.add(new BooleanGate("NotPoly68", "Cells", BooleanGate.Operator.NOT, List.of(BooleanGate.Operand.of("Poly68"))));
        g.add(new BooleanGate("PPnotRect", null, BooleanGate.Operator.AND, List.of(BooleanGate.Operand.of("Q34_PP"),
                new BooleanGate.Operand("Rect78", true))));
        return GatingStrategy.of(g, List.of(lg), List.of());
    }

    private static QuadrantGate.Quadrant quadrant(String id, int hi3, int hi4) {
        return new QuadrantGate.Quadrant(id, List.of(new QuadrantGate.Position("d3", hi3 == 1 ? 1 : 0),
                new QuadrantGate.Position("d4", hi4 == 1 ? 1 : 0)));
    }

    private static List<PolygonGate.Vertex> vertices(double... xy) {
        List<PolygonGate.Vertex> v = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) v.add(new PolygonGate.Vertex(xy[i], xy[i + 1]));
        return v;
    }

    /** Writes a synthetic FCS 3.1 file: float data, three populations, fluorescence spilled per $SPILLOVER. */
    static void generate(Path file, long events, long seed) {
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<FcsParameter> params = new ArrayList<>();
        for (int i = 0; i < CHANNELS.length; i++) {
            params.add(new FcsParameter(i + 1, CHANNELS[i], null, 32, 262144, 'F', 1, 0, 0, 0));
        }
        int nf = 8;
        double[][] spill = new double[nf][nf];
        Random rs = new Random(seed);
        StringBuilder sp = new StringBuilder().append(nf);
        for (int i = 0; i < nf; i++) sp.append(',').append(CHANNELS[2 + i]);
        for (int i = 0; i < nf; i++) {
            for (int j = 0; j < nf; j++) {
                spill[i][j] = i == j ? 1 : (Math.abs(i - j) == 1 ? 0.02 + 0.15 * rs.nextDouble() : 0.01 * rs.nextDouble());
                sp.append(',').append(String.format(Locale.ROOT, "%.6f", spill[i][j]));
            }
        }
        Map<String, String> kw = new LinkedHashMap<>();
        kw.put("$CYT", "cikqc GateBench synthetic");
        kw.put("$SPILLOVER", sp.toString());
        Random r = new Random(seed + 1);
        int chunk = 65_536;
        double[][] cols = new double[CHANNELS.length][chunk];
        double[] dye = new double[nf];
        try (FcsWriter w = FcsWriter.create(file, params, kw, events)) {
            for (long done = 0; done < events; ) {
                int n = (int) Math.min(chunk, events - done);
                for (int i = 0; i < n; i++) {
                    int pop = r.nextInt(10);
                    double scale = pop < 5 ? 1 : pop < 8 ? 8 : 40;
                    cols[0][i] = Math.max(0, (pop < 5 ? 60000 : 120000) + 25000 * r.nextGaussian());
                    cols[1][i] = Math.max(0, (pop < 5 ? 30000 : 70000) + 15000 * r.nextGaussian());
                    for (int k = 0; k < nf; k++) {
                        dye[k] = scale * Math.exp(4 + 1.5 * r.nextGaussian() + ((k + pop) % 3 == 0 ? 2.5 : 0))
                                + 30 * r.nextGaussian();
                    }
                    for (int j = 0; j < nf; j++) {
                        double v = 0;
                        for (int k = 0; k < nf; k++) v += dye[k] * spill[k][j];
                        cols[2 + j][i] = Math.min(262143, v);
                    }
                }
                w.write(cols, n);
                done += n;
            }
        }
    }
}
