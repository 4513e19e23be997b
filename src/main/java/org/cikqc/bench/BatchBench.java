package org.cikqc.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.cikqc.pipeline.AnalysisAudit;
import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.Analyzer;
import org.cikqc.pipeline.BatchRunner;
import org.cikqc.pipeline.BatchSummary;
import org.cikqc.pipeline.InputFiles;
import org.cikqc.pipeline.OutputOptions;
import org.cikqc.pipeline.SampleProcessor;
import org.cikqc.pipeline.SampleResult;
import org.cikqc.report.PdfDossier;
import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.SimulatedFcs;
import org.cikqc.sim.SimulationSpec;

/**
 * Batch benchmark (not a test): simulates N samples when they are missing, then runs the whole batch as
 * {@code cikqc batch} does (analysis, plots, PDF dossiers, audit entries, summary) once per thread count, and prints
 * samples/s and memory: the sum of the heap pools' peaks (an upper bound) and the highest heap use sampled every
 * 5 ms (closer to the real peak). Checks that every result.json is byte-identical across the thread counts.
 *
 * <p>Usage: {@code BatchBench DATA_DIR OUT_DIR [N=200] [EVENTS=100000] [THREADS=1,2]}
 */
public final class BatchBench {
    private BatchBench() { }

    public static void main(String[] args) throws Exception {
        // smile-core and pdfbox bring SLF4J without a binding: keep its notice out of the figures (as Main does)
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
        if (args.length < 2) {
            System.err.println("usage: BatchBench DATA_DIR OUT_DIR [N=200] [EVENTS=100000] [THREADS=1,2]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path outBase = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int events = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        int[] threads = args.length > 4 ? Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2};

        List<Path> files = simulate(data, n, events);
        System.out.printf(Locale.ROOT, "cikqc batch bench: %d samples x %,d events (%.1f MiB), plots + PDF dossiers, "
                + "max heap %d MiB, %d processors%n", files.size(), events, totalMiB(files),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        // warm-up (JIT, fonts, AWT, PDFBox): a few samples, not measured
        Path warm = outBase.resolve("warm-up");
        if (Files.exists(warm)) deleteTree(warm);
        long w0 = System.nanoTime();
        run(files.subList(0, Math.min(4, files.size())), warm, 1, false);
        System.out.printf(Locale.ROOT, "warm-up: %d samples in %.1f s (not measured)%n", Math.min(4, files.size()),
                (System.nanoTime() - w0) / 1e9);
        deleteTree(warm);

        Map<Integer, Path> outs = new TreeMap<>();
        for (int t : threads) {
            Path out = outBase.resolve("threads-" + t);
            if (Files.exists(out)) deleteTree(out);
            outs.put(t, out);
            run(files, out, t, true);
        }
        if (outs.size() > 1) {
            Path ref = outs.values().iterator().next();
            int same = 0;
            int diff = 0;
            try (var s = Files.list(ref)) {
                for (Path d : s.filter(Files::isDirectory).toList()) {
                    byte[] a = Files.readAllBytes(d.resolve("result.json"));
                    for (Path other : outs.values()) {
                        if (other.equals(ref)) continue;
                        if (Arrays.equals(a, Files.readAllBytes(other.resolve(d.getFileName()).resolve("result.json")))) same++;
                        else diff++;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "result.json identical across thread counts: %d, different: %d%n", same, diff);
        }
    }

    /** The bench samples: mostly passing lots, every 10th failing viability, every 15th failing CD3+CD56+. */
    static List<Path> simulate(Path dir, int n, int events) throws IOException {
        Files.createDirectories(dir);
        int made = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve(String.format(Locale.ROOT, "bench-%03d-%d.fcs", i, events));
            if (Files.exists(f)) continue;
            SimulationSpec.Builder b = SimulationSpec.builder().events(events).seed(1000L + i);
            if (i % 10 == 9) b.viability(0.62);
            if (i % 15 == 14) b.cd3cd56(0.12);
            SimulatedFcs.write(new CikSimulator(b.build()), f);
            made++;
        }
        if (made > 0) {
            System.out.printf(Locale.ROOT, "simulated %d missing sample(s) in %.1f s%n", made, (System.nanoTime() - t0) / 1e9);
        }
        List<Path> all = new ArrayList<>();
        for (Path p : InputFiles.scan(dir, null)) {
            if (p.getFileName().toString().endsWith("-" + events + ".fcs")) all.add(p);
        }
        return all.subList(0, Math.min(n, all.size()));
    }

    private static void run(List<Path> files, Path out, int threads, boolean report) throws InterruptedException {
        AnalysisOptions options = AnalysisOptions.defaults();
        OutputOptions output = new OutputOptions(true, true, true, 150, Instant.now());
        SampleProcessor p = new SampleProcessor(Analyzer.SAMPLE_RUNNER, options, output, out,
                AnalysisAudit.at(out, "bench", options), "batch");
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
        long gc0 = gcMillis();
        AtomicLong sampledPeak = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                sampledPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return; // the run is over
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        List<SampleResult> rs = new BatchRunner(p, threads).run(files, null);
        BatchSummary.write(p.outRoot(), rs, true, PdfDossier.Options.at(output.generatedAt()));
        double secs = (System.nanoTime() - t0) / 1e9;
        running.set(false);
        sampler.join();
        if (!report) return;
        Map<String, Integer> tally = new TreeMap<>();
        for (SampleResult r : rs) tally.merge(r.verdict(), 1, Integer::sum);
        System.out.printf(Locale.ROOT, "threads %d: %d samples in %.1f s = %.2f samples/s (%.0f ms/sample); "
                + "peak heap: sampled %.0f MiB, sum of pool peaks %.0f MiB; GC %.1f s; verdicts %s%n",
                threads, rs.size(), secs, rs.size() / secs, secs * 1000 / rs.size(), sampledPeak.get() / 1048576.0,
                poolPeaks() / 1048576.0, (gcMillis() - gc0) / 1000.0, tally);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.comparingInt(Path::getNameCount).reversed()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static long poolPeaks() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, gc.getCollectionTime());
        return t;
    }

    private static double totalMiB(List<Path> files) throws IOException {
        long b = 0;
        for (Path f : files) b += Files.size(f);
        return b / 1048576.0;
    }
}
