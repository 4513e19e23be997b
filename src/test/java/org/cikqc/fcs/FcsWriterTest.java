package org.cikqc.fcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FcsWriterTest {

    @TempDir
    Path dir;

    private static FcsParameter p(int n, String name, char type, int bits) {
        return new FcsParameter(n, name, n == 2 ? "CD3" : null, bits, type == 'I' ? 1 << Math.min(bits, 30) : 262144,
                type, 1, 0, 0, 0);
    }

    @Test
    void writesStrictValidFcs31WithVerbatimKeywords() throws IOException {
        Map<String, String> kw = new LinkedHashMap<>();
        kw.put("$CYT", "Sim/Cytometer|with delimiters\\");
        kw.put("$FIL", "a.fcs");
        kw.put("EMPTY", "");
        Path out = dir.resolve("w.fcs");
        try (FcsWriter w = FcsWriter.create(out, List.of(p(1, "FSC-A", 'F', 32), p(2, "FITC-A", 'F', 32)), kw, 3)) {
            w.write(new double[][] {{1.5, 2.5, 3.5}, {-1, 0, 1e6}}, 3);
        }
        try (FcsFile f = FcsFile.open(out, FcsReadOptions.STRICT)) {
            FcsDataSet ds = f.dataSet(0);
            assertEquals("FCS3.1", ds.version());
            assertEquals("Sim/Cytometer|with delimiters\\", ds.keywords().get("$CYT"));
            assertEquals(" ", ds.keywords().get("EMPTY"));
            assertEquals("CD3", ds.parameter(1).marker());
            try (EventReader r = f.events(0, ValueKind.RAW)) {
                EventBatch b = r.next();
                assertEquals(3, b.size());
                assertEquals(1e6, b.column(1)[2]);
                assertEquals(2.5, b.column(0)[1]);
            }
        }
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }

    @Test
    void mixedTypesGiveFcs32() throws IOException {
        Path out = dir.resolve("m.fcs");
        try (FcsWriter w = FcsWriter.create(out, List.of(p(1, "A", 'I', 16), p(2, "B", 'D', 64)), Map.of(), 2)) {
            w.write(new double[][] {{7, 65535}, {0.1, -2e300}}, 2);
        }
        try (FcsFile f = FcsFile.open(out, FcsReadOptions.STRICT)) {
            assertEquals("FCS3.2", f.dataSet(0).version());
            try (EventReader r = f.events(0, ValueKind.RAW)) {
                EventBatch b = r.next();
                assertEquals(65535, b.column(0)[1]);
                assertEquals(-2e300, b.column(1)[1]);
            }
        }
    }

    @Test
    void wrongEventCountLeavesNothingBehind() {
        Path out = dir.resolve("bad.fcs");
        FcsWriter w = FcsWriter.create(out, List.of(p(1, "A", 'F', 32)), Map.of(), 5);
        w.write(new double[][] {{1, 2}}, 2);
        assertThrows(IllegalStateException.class, w::close);
        assertFalse(Files.exists(out));
        assertEquals(0, dir.toFile().list().length);
    }

    @Test
    void largeFilesCarryZeroHeaderOffsetsAndRealTextOffsets() throws IOException {
        Path out = dir.resolve("large.fcs");
        long events = 26_000_000L; // 2 x 16-bit = 104 MB of DATA: past the 99,999,999-byte HEADER limit
        int batch = 1 << 20;
        double[][] cols = new double[2][batch];
        for (int i = 0; i < batch; i++) {
            cols[0][i] = i & 0xFFFF;
            cols[1][i] = 7;
        }
        try (FcsWriter w = FcsWriter.create(out, List.of(p(1, "A", 'I', 16), p(2, "B", 'I', 16)), Map.of(), events)) {
            for (long done = 0; done < events; done += batch) w.write(cols, (int) Math.min(batch, events - done));
        }
        byte[] head = new byte[58];
        try (var in = Files.newInputStream(out)) {
            assertEquals(58, in.read(head));
        }
        String h = new String(head, StandardCharsets.US_ASCII);
        assertEquals("       0", h.substring(26, 34));
        assertEquals("       0", h.substring(34, 42));
        try (FcsFile f = FcsFile.open(out, FcsReadOptions.STRICT)) {
            FcsDataSet ds = f.dataSet(0);
            assertEquals(events, ds.events());
            assertTrue(ds.dataEnd() > 99_999_999L);
            try (EventReader r = f.events(0, ValueKind.RAW, events - 1, events)) {
                EventBatch b = r.next();
                assertEquals((events - 1) % batch & 0xFFFF, (long) b.column(0)[0]);
                assertEquals(7, b.column(1)[0]);
            }
        }
    }
}
