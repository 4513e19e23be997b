package org.cikqc.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.FcsWriter;
import org.cikqc.fcs.ValueKind;

/**
 * Read benchmark (run by {@code scripts/bench-read}): generates, when missing, a float32 little-endian file and a
 * 16-bit big-endian integer file of N events × 20 parameters, then measures in one run: the raw floor (a plain
 * FileChannel read of the same DATA bytes), decoding every event into column arrays on one thread, and on two
 * threads (two readers on the two halves). Prints GB/s, events/s, the ratio to the floor and the peak heap.
 *
 * <p>Usage: {@code ReadBench DIR [EVENTS] [PARAMS] [REPEATS]}. Not a test: timings belong in scripts.
 */
public final class ReadBench {

    private ReadBench() { }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--huge")) {
            huge(Path.of(args.length > 1 ? args[1] : "bench-data"));
            return;
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "bench-data");
        long events = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000L;
        int params = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : FcsReadOptions.DEFAULT_BATCH;
        Files.createDirectories(dir);
        Path f32 = dir.resolve("float32-le-" + events + "x" + params + ".fcs");
        Path i16 = dir.resolve("int16-be-" + events + "x" + params + ".fcs");
        if (!Files.exists(f32)) generate(f32, events, params, 'F', "1,2,3,4");
        if (!Files.exists(i16)) generate(i16, events, params, 'I', "4,3,2,1");
        System.out.printf("cikqc bench-read: %,d events x %d parameters, best of %d, %d CPU(s), max heap %d MiB%n",
                events, params, repeats, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("batch size %,d events%n", batch);
        for (Path p : List.of(f32, i16)) run(p, repeats, batch);
        System.out.printf("peak heap used (sum of heap pool peaks): %.1f MiB (raw-floor byte sum %d)%n", peakHeapMiB(), sink);
    }

    private static void run(Path p, int repeats, int batch) throws Exception {
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT.withBatchSize(batch))) {
            FcsDataSet ds = f.dataSet(0);
            long bytes = ds.dataEnd() - ds.dataStart() + 1;
            double floor = Double.MAX_VALUE;
            double one = Double.MAX_VALUE;
            double two = Double.MAX_VALUE;
            double checksum = 0;
            for (int r = 0; r < repeats; r++) {
                floor = Math.min(floor, rawFloor(p, ds.dataStart(), bytes));
                long t0 = System.nanoTime();
                checksum = decode(f, 0, ds.events());
                one = Math.min(one, (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                ExecutorService ex = Executors.newFixedThreadPool(2);
                try {
                    long half = ds.events() / 2;
                    Future<Double> a = ex.submit(() -> decode(f, 0, half));
                    Future<Double> b = ex.submit(() -> decode(f, half, ds.events()));
                    a.get();
                    b.get();
                } finally {
                    ex.shutdown();
                }
                two = Math.min(two, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("%s (%,d bytes of DATA, checksum %.6g)%n", p.getFileName(), bytes, checksum);
            line("  raw floor (FileChannel read)", bytes, ds.events(), floor, floor);
            line("  decode into columns, 1 thread", bytes, ds.events(), one, floor);
            line("  decode into columns, 2 threads", bytes, ds.events(), two, floor);
        }
    }

    private static void line(String what, long bytes, long events, double s, double floor) {
        System.out.printf("%-34s %6.2f GB/s  %,13.0f events/s  %5.1f %% of floor  (%.3f s)%n", what, bytes / s / 1e9,
                events / s, 100 * floor / s, s);
    }

    /** Plain read of the DATA bytes through a FileChannel into a 16 MiB heap buffer. */
    /** Folded with the first byte of every raw-floor read, so the JIT cannot drop them. */
    private static long sink;

    private static double rawFloor(Path p, long start, long bytes) throws IOException {
        long t0 = System.nanoTime();
        long sum = 0;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(16 << 20);
            long pos = start;
            long end = start + bytes;
            while (pos < end) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), end - pos));
                int n = ch.read(buf, pos);
                if (n <= 0) break;
                sum += buf.get(0);
                pos += n;
            }
        }
        sink += sum; // keeps the reads observable
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Reads events [from, to) into column arrays; returns a checksum so nothing is optimised away. */
    private static double decode(FcsFile f, long from, long to) {
        double s = 0;
        try (EventReader r = f.events(0, ValueKind.RAW, from, to)) {
            EventBatch b;
            while ((b = r.next()) != null) {
                s += b.column(0)[0] + b.column(b.parameterCount() - 1)[b.size() - 1];
            }
        }
        return s;
    }

    /**
     * Streams a 10^8-event × 20-parameter float32 file (8 GB; its DATA is a sparse hole of zeros, so it costs no
     * disk) and reports the peak heap: run it with -Xmx512m to show that memory does not grow with the file.
     */
    private static void huge(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path p = dir.resolve("huge-sparse-1e8x20.fcs");
        long events = 100_000_000L;
        int params = 20;
        if (!Files.exists(p)) {
            List<FcsParameter> ps = new ArrayList<>();
            for (int i = 1; i <= params; i++) ps.add(new FcsParameter(i, "P" + i, null, 32, 262144, 'F', 1, 0, 0, 0));
            // write the HEADER and TEXT for 10^8 events, then extend the file sparsely to its full length
            byte[] head = headerAndText(ps, events);
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(head));
                ch.write(ByteBuffer.wrap("00000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                        head.length + events * params * 4L);
            }
        }
        long t0 = System.nanoTime();
        long n = 0;
        double s = 0;
        try (FcsFile f = FcsFile.open(p)) {
            try (EventReader r = f.events(0, ValueKind.SCALE)) {
                EventBatch b;
                while ((b = r.next()) != null) {
                    n += b.size();
                    s += b.column(0)[0];
                }
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("streamed %,d events x %d parameters (%s, %,d bytes) in %.1f s (%,.0f events/s), checksum %.1f; "
                        + "max heap %d MiB, peak heap used %.1f MiB%n", n, params, p.getFileName(), Files.size(p), sec,
                n / sec, s, Runtime.getRuntime().maxMemory() >> 20, peakHeapMiB());
    }

    /** HEADER + TEXT of an FCS 3.1 file of {@code events} float32 events, as the writer lays them out. */
    private static byte[] headerAndText(List<FcsParameter> ps, long events) {
        {
            StringBuilder t = new StringBuilder("/$BEGINANALYSIS/0/$ENDANALYSIS/0/$BEGINSTEXT/0/$ENDSTEXT/0/");
            StringBuilder rest = new StringBuilder("$NEXTDATA/0/$TOT/" + events + "/$PAR/" + ps.size()
                    + "/$MODE/L/$DATATYPE/F/$BYTEORD/1,2,3,4/");
            for (FcsParameter p : ps) {
                rest.append("$P").append(p.index()).append("N/").append(p.name()).append("/$P").append(p.index())
                        .append("B/32/$P").append(p.index()).append("E/0,0/$P").append(p.index()).append("R/262144/");
            }
            long dataLen = events * ps.size() * 4L;
            long start = 0;
            String text = "";
            for (int i = 0; i < 5; i++) {
                text = t + "$BEGINDATA/" + start + "/$ENDDATA/" + (start + dataLen - 1) + "/" + rest;
                start = 58 + text.length();
            }
            String header = "FCS3.1    " + pad(58) + pad(58 + text.length() - 1) + pad(0) + pad(0) + pad(0) + pad(0);
            return (header + text).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private static String pad(long v) {
        String s = Long.toString(v);
        return " ".repeat(8 - s.length()) + s;
    }

    private static void generate(Path p, long events, int params, char type, String byteord) {
        List<FcsParameter> ps = new ArrayList<>();
        for (int i = 1; i <= params; i++) {
            ps.add(new FcsParameter(i, "P" + i, null, type == 'F' ? 32 : 16, type == 'F' ? 262144 : 65536, type, 1, 0,
                    0, 0));
        }
        Map<String, String> kw = new LinkedHashMap<>();
        kw.put("$BYTEORD", byteord);
        kw.put("$CYT", "cikqc bench");
        SplittableRandom rnd = new SplittableRandom(42);
        int batch = 65536;
        double[][] cols = new double[params][batch];
        try (FcsWriter w = FcsWriter.create(p, ps, kw, events)) {
            for (long done = 0; done < events; done += batch) {
                int n = (int) Math.min(batch, events - done);
                for (int c = 0; c < params; c++) {
                    for (int i = 0; i < n; i++) {
                        cols[c][i] = type == 'F' ? (float) (rnd.nextDouble() * 262144) : rnd.nextInt(65536);
                    }
                }
                w.write(cols, n);
            }
        }
        System.out.printf("generated %s (%,d bytes)%n", p, p.toFile().length());
    }

    private static double peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
        }
        return sum / 1048576.0;
    }
}
