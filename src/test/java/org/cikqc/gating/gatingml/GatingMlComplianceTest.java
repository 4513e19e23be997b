package org.cikqc.gating.gatingml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.ValueKind;
import org.cikqc.gating.BatchResult;
import org.cikqc.gating.CompiledStrategy;
import org.cikqc.gating.GatingEngine;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;

/**
 * The 190 cases of the ISAC Gating-ML 2.0 compliance suite ({@code shared/gatingml/CASES.tsv}), event for event,
 * plus export → import membership identity over the same files. Skips loudly without the shared folder.
 */
class GatingMlComplianceTest {

    /** One row of CASES.tsv. */
    record Case(String set, String xml, String fcs, String gateId, boolean complement, String expected, int expectedIn) { }

    static List<Case> cases(Path g) throws IOException {
        List<String> lines = Files.readAllLines(g.resolve("CASES.tsv"));
        List<Case> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (l.isBlank()) continue;
            String[] f = l.split("\t");
            out.add(new Case(f[0], f[1], f[2], f[3], f[4].equals("yes"), f[5], Integer.parseInt(f[6])));
        }
        return out;
    }

    /** Full membership of every population, over all events of data set 0. */
    static Map<String, BitSet> evaluate(GatingStrategy s, Path fcs) { return evaluate(s, fcs, GatingEngine.Options.DEFAULT); }

    static Map<String, BitSet> evaluate(GatingStrategy s, Path fcs, GatingEngine.Options options) {
        Map<String, BitSet> out = new LinkedHashMap<>();
        try (FcsFile f = FcsFile.open(fcs, FcsReadOptions.LENIENT)) {
            CompiledStrategy c = GatingEngine.compile(s, f.dataSet(0), options);
            for (String p : c.populationIds()) out.put(p, new BitSet());
            try (EventReader r = f.events(0, ValueKind.SCALE)) {
                EventBatch b;
                while ((b = r.next()) != null) {
                    BatchResult res = c.evaluate(b);
                    for (int p = 0; p < c.populationIds().size(); p++) {
                        boolean[] m = res.membership(p);
                        BitSet bs = out.get(c.populationIds().get(p));
                        for (int i = 0; i < res.size(); i++) if (m[i]) bs.set((int) (res.firstEvent() + i));
                    }
                }
            }
            out.put("", new BitSet());
            out.get("").set(0, (int) c.events());
        }
        return out;
    }

    static BitSet expected(Path file) throws IOException {
        BitSet bs = new BitSet();
        int i = 0;
        for (String l : Files.readAllLines(file)) {
            String t = l.strip();
            if (t.equals("1")) bs.set(i);
            if (t.equals("1") || t.equals("0")) i++;
        }
        bs.set(i); // sentinel: event count
        return bs;
    }

    @Test
    void all190CasesEventForEvent() throws IOException { run190(GatingEngine.Options.DEFAULT); }

    @Test
    void all190CasesEventForEventWithExactTransforms() throws IOException { run190(GatingEngine.Options.EXACT); }

    private static void run190(GatingEngine.Options options) throws IOException {
        Path g = Shared.resolve("gatingml");
        List<Case> cases = cases(g);
        assertEquals(190, cases.size());
        Map<String, Map<String, BitSet>> runs = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int ok = 0;
        for (Case c : cases) {
            Map<String, BitSet> run = runs.computeIfAbsent(c.xml() + "|" + c.fcs(),
                    k -> evaluate(GatingMlReader.read(g.resolve(c.xml())), g.resolve(c.fcs()), options));
            BitSet got = run.get(c.gateId());
            if (got == null) {
                failures.add("set " + c.set() + " " + c.gateId() + ": no such population");
                continue;
            }
            int n = run.get("").cardinality();
            BitSet mine = (BitSet) got.clone();
            if (c.complement()) mine.flip(0, n);
            mine.set(n);
            BitSet exp = expected(g.resolve(c.expected()));
            if (exp.length() - 1 != n) {
                failures.add("set " + c.set() + " " + c.gateId() + ": " + n + " events, expected " + (exp.length() - 1));
                continue;
            }
            BitSet diff = (BitSet) mine.clone();
            diff.xor(exp);
            if (!diff.isEmpty()) {
                failures.add("set " + c.set() + " " + c.gateId() + ": " + diff.cardinality() + " events differ (first "
                        + diff.nextSetBit(0) + ")");
                continue;
            }
            assertEquals(c.expectedIn(), mine.cardinality() - 1, c.gateId() + " count");
            ok++;
        }
        assertTrue(failures.isEmpty(), ok + "/190 passed; failures:\n" + String.join("\n", failures));
    }

    @Test
    void exportThenImportGivesIdenticalMembership() throws IOException {
        Path g = Shared.resolve("gatingml");
        Map<String, String> pairs = new LinkedHashMap<>();
        for (Case c : cases(g)) pairs.put(c.xml(), c.fcs());
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            GatingStrategy original = GatingMlReader.read(g.resolve(e.getKey()));
            GatingStrategy back = GatingMlReader.read(GatingMlWriter.toBytes(original), "exported.xml");
            assertEquals(evaluate(original, g.resolve(e.getValue())), evaluate(back, g.resolve(e.getValue())), e.getKey());
        }
    }
}
