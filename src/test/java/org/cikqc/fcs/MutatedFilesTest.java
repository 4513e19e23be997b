package org.cikqc.fcs;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.cikqc.common.CikqcException;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Robustness: thousands of seeded mutations (byte flips, digit edits in offsets and sizes, truncation, keyword
 * value swaps) of valid files. Every mutant must either read completely or fail with a {@link CikqcException}
 * that carries a message — never another exception, a hang or an out-of-memory error.
 */
class MutatedFilesTest {

    @TempDir
    Path dir;

    @Test
    void mutantsOfGeneratedFilesFailCleanly() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(new FcsBytes().build());
        FcsBytes ints = new FcsBytes();
        ints.datatype = "I";
        ints.bits = new int[] {8, 16, 32};
        seeds.add(ints.build());
        FcsBytes ascii = new FcsBytes();
        ascii.datatype = "A";
        ascii.bits = new int[] {4, 4};
        ascii.ranges = new String[] {"1024", "1024"};
        ascii.events = 3;
        ascii.dataOverride = "   1   2  11  12  21  22".getBytes(StandardCharsets.US_ASCII);
        seeds.add(ascii.build());
        run(seeds, 3000, 1);
    }

    @Test
    void mutantsOfRealFilesFailCleanly() throws IOException {
        Path corpus = Shared.resolve("corpus/fcs");
        List<byte[]> seeds = new ArrayList<>();
        for (String rel : List.of("whitews__FlowKit/data__gate_ref__data1.fcs",
                "whitews__FlowIO/data__fcs_files__variable_int_example.fcs",
                "whitews__FlowIO/data__fcs_files__data_start_offset_discrepancy_example.fcs",
                "cytoflow__cytoflow/docs__examples-basic__data__genome_size__PU87@10+B200.fcs")) {
            Path p = corpus.resolve(rel);
            if (Files.exists(p)) seeds.add(Files.readAllBytes(p));
        }
        assertTrue(seeds.size() >= 2, "corpus seeds present");
        run(seeds, 1500, 2);
    }

    private void run(List<byte[]> seeds, int n, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path f = dir.resolve("m.fcs");
        for (int i = 0; i < n; i++) {
            byte[] src = seeds.get(rnd.nextInt(seeds.size()));
            byte[] m = mutate(src, rnd);
            Files.write(f, m);
            try (FcsFile fcs = FcsFile.open(f)) {
                for (FcsDataSet ds : fcs.dataSets()) {
                    assertTrue(ds.events() >= 0);
                    try (EventReader r = fcs.events(ds.index(), ValueKind.SCALE)) {
                        long total = 0;
                        EventBatch b;
                        while ((b = r.next()) != null) total += b.size();
                        assertTrue(total == ds.events() || ds.eventBytes() == 0);
                    }
                }
            } catch (CikqcException e) {
                assertNotNull(e.getMessage());
                assertTrue(!e.getMessage().isBlank());
            } catch (RuntimeException | Error e) {
                Files.write(dir.resolve("failing-mutant-" + i + ".fcs"), m);
                fail("mutant " + i + " (seed " + seed + ") escaped as " + e, e);
            }
        }
    }

    private static byte[] mutate(byte[] src, SplittableRandom rnd) {
        byte[] m = src.clone();
        int kind = rnd.nextInt(6);
        switch (kind) {
            case 0 -> { // random byte flips anywhere
                for (int k = 0, c = 1 + rnd.nextInt(8); k < c; k++) m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
            }
            case 1 -> { // a digit in the HEADER
                int at = 10 + rnd.nextInt(48);
                m[at] = (byte) "0123456789 x-9".charAt(rnd.nextInt(14));
            }
            case 2 -> { // truncation
                return java.util.Arrays.copyOf(m, rnd.nextInt(m.length));
            }
            case 3 -> { // digits inside TEXT (sizes, counts, offsets)
                int textEnd = Math.min(m.length, 4096);
                for (int k = 0; k < 20; k++) {
                    int at = 58 + rnd.nextInt(Math.max(1, textEnd - 58));
                    if (at < m.length && m[at] >= '0' && m[at] <= '9') {
                        m[at] = (byte) ('0' + rnd.nextInt(10));
                        if (rnd.nextBoolean()) break;
                    }
                }
            }
            case 4 -> { // huge numbers in place of a number in TEXT
                String s = new String(m, StandardCharsets.ISO_8859_1);
                String[] keys = {"$PAR", "$TOT", "$P1B", "$P2B", "$BEGINDATA", "$ENDDATA", "$NEXTDATA", "$P1R", "$BEGINSTEXT"};
                String key = keys[rnd.nextInt(keys.length)];
                int at = s.indexOf(key);
                if (at >= 0) {
                    int v = at + key.length() + 1;
                    int e = v;
                    while (e < s.length() && Character.isDigit(s.charAt(e))) e++;
                    String[] repl = {"99999999999", "0", "-1", "7", "1e300", "", "2147483648"};
                    s = s.substring(0, v) + repl[rnd.nextInt(repl.length)] + s.substring(e);
                    return s.getBytes(StandardCharsets.ISO_8859_1);
                }
            }
            default -> { // delimiter corruption
                int textStart = 58;
                if (m.length > textStart + 10) m[textStart + 1 + rnd.nextInt(Math.min(200, m.length - textStart - 1))] = m[textStart];
            }
        }
        return m;
    }
}
