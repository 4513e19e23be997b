package org.cikqc.fcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of the shared corpus reads with the manifest's data sets, events and parameters; broken files give
 * a clear error or a recorded problem; read → write → read keeps keywords and bit-identical events.
 */
class CorpusConformanceTest {

    @TempDir
    Path tmp;

    static List<Map<String, String>> manifest() throws IOException {
        Path m = Shared.resolve("corpus/MANIFEST.tsv");
        List<String> lines = Files.readAllLines(m);
        String[] head = lines.get(0).split("\t", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (l.isBlank()) continue;
            String[] c = l.split("\t", -1);
            Map<String, String> r = new LinkedHashMap<>();
            for (int i = 0; i < head.length; i++) r.put(head[i], i < c.length ? c[i] : "");
            rows.add(r);
        }
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFileReadsAsTheManifestSays() throws IOException {
        Path root = Shared.root().resolve("corpus");
        Pattern eof = Pattern.compile("extends past EOF \\((\\d+) > (\\d+)\\)");
        return manifest().stream().map(r -> DynamicTest.dynamicTest(r.get("path"), () -> {
            Path f = root.resolve(r.get("path"));
            int sets = r.get("n_datasets").isBlank() ? 0 : Integer.parseInt(r.get("n_datasets"));
            if (sets == 0) {
                FcsFormatException e = assertThrows(FcsFormatException.class, () -> FcsFile.open(f));
                assertNotNull(e.problem());
                assertFalse(e.getMessage().isBlank());
                return;
            }
            Matcher m = eof.matcher(r.get("quirks"));
            boolean truncated = m.find() && Long.parseLong(m.group(1)) - Long.parseLong(m.group(2)) > 1;
            try (FcsFile fcs = FcsFile.open(f)) {
                if (truncated) {
                    assertTrue(fcs.dataSets().stream().anyMatch(d -> d.problems().stream()
                            .anyMatch(p -> p.code().equals(FcsProblems.TRUNCATED_DATA))));
                    return;
                }
                String[] ev = r.get("n_events").split("\\|");
                String[] par = r.get("n_params").split("\\|");
                assertEquals(sets, fcs.dataSets().size());
                for (int i = 0; i < sets; i++) {
                    FcsDataSet ds = fcs.dataSet(i);
                    assertEquals(Long.parseLong(ev[i]), ds.events(), "events of data set " + i);
                    assertEquals(Integer.parseInt(par[i]), ds.parameters().size(), "parameters of data set " + i);
                    long n = 0;
                    try (EventReader rd = fcs.events(i, ValueKind.SCALE)) {
                        EventBatch b;
                        while ((b = rd.next()) != null) n += b.size();
                    }
                    assertEquals(ds.events(), n);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> readWriteReadKeepsKeywordsAndEvents() throws IOException {
        Path root = Shared.root().resolve("corpus");
        return manifest().stream().filter(r -> !r.get("n_datasets").isBlank() && !r.get("n_datasets").equals("0"))
                .filter(r -> !r.get("quirks").contains("extends past EOF") || r.get("quirks").contains("off by one"))
                .map(r -> DynamicTest.dynamicTest(r.get("path"), () -> {
                    Path f = root.resolve(r.get("path"));
                    try (FcsFile src = FcsFile.open(f)) {
                        for (FcsDataSet ds : src.dataSets()) {
                            if (ds.parameters().stream().anyMatch(p -> p.datatype() == 'A')) continue;
                            Path out = tmp.resolve("rt" + ds.index() + ".fcs");
                            FcsWriter.copy(src, ds.index(), out);
                            try (FcsFile back = FcsFile.open(out, FcsReadOptions.STRICT)) {
                                FcsDataSet b = back.dataSet(0);
                                assertEquals(ds.events(), b.events());
                                assertEquals(ds.parameters().size(), b.parameters().size());
                                for (Keywords.Entry e : ds.keywords().entries()) {
                                    String k = e.key().strip().toUpperCase(java.util.Locale.ROOT);
                                    if (isOffsetKeyword(k) || e.key().strip().isEmpty()) continue;
                                    if (k.equals("$TIMESTEP") && !HeaderTextParser.usableTimestep(e.value())) {
                                        continue; // an unusable $TIMESTEP (redacted 'xxxxxxxxx') is not copied
                                    }
                                    String want = e.value().isEmpty() ? " " : e.value();
                                    String got = b.keywords().get(e.key());
                                    if (k.matches("\\$P\\d+(B|R|E|G|N|S|DATATYPE)|\\$DATATYPE|\\$BYTEORD")) {
                                        assertNotNull(got, k);
                                        continue; // checked through the parameter definitions below
                                    }
                                    assertEquals(want, got, "keyword " + e.key());
                                }
                                for (int p = 0; p < ds.parameters().size(); p++) {
                                    FcsParameter x = ds.parameter(p);
                                    FcsParameter y = b.parameter(p);
                                    assertEquals(x.name(), y.name());
                                    assertEquals(x.bits(), y.bits());
                                    assertEquals(x.datatype(), y.datatype());
                                    assertEquals(x.range(), y.range(), Math.abs(x.range()) * 1e-9);
                                }
                                assertSameEvents(src, ds.index(), back);
                            }
                        }
                    }
                }));
    }

    static boolean isOffsetKeyword(String k) {
        return k.equals("$BEGINDATA") || k.equals("$ENDDATA") || k.equals("$BEGINSTEXT") || k.equals("$ENDSTEXT")
                || k.equals("$BEGINANALYSIS") || k.equals("$ENDANALYSIS") || k.equals("$NEXTDATA") || k.equals("$TOT")
                || k.equals("$PAR") || k.equals("$MODE");
    }

    private static void assertSameEvents(FcsFile a, int ia, FcsFile b) {
        try (EventReader ra = a.events(ia, ValueKind.RAW); EventReader rb = b.events(0, ValueKind.RAW)) {
            List<double[]> left = new ArrayList<>();
            EventBatch x;
            while ((x = ra.next()) != null) {
                EventBatch y = rb.next();
                assertNotNull(y);
                assertEquals(x.size(), y.size());
                for (int p = 0; p < x.parameterCount(); p++) {
                    for (int i = 0; i < x.size(); i++) {
                        double u = x.column(p)[i];
                        double v = y.column(p)[i];
                        if (Double.doubleToLongBits(u) != Double.doubleToLongBits(v)) {
                            throw new AssertionError("event " + (x.firstEvent() + i) + " parameter " + p + ": " + u + " != " + v);
                        }
                    }
                }
            }
            assertTrue(left.isEmpty());
        }
    }
}
