package org.cikqc.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.cikqc.common.CikqcException;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;

/** FlowJo biex against the lookup table exported by FlowJo (values printed with 6 significant digits). */
class FlowJoBiexTransformTest {

    private static final String TABLE = "transforms/flowjo/tr_biex_l256_w-7.943282_n1.000000_m4.418540_r262144.000029.csv";

    private static double[] readTable(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        double[] v = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",");
            assertEquals(i - 1, Integer.parseInt(c[0].strip()), "index column");
            v[i - 1] = Double.parseDouble(c[1].strip());
        }
        return v;
    }

    /** One unit of the 6th significant digit of v. */
    private static double digit6(double v) {
        return v == 0 ? 1e-6 : Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 5);
    }

    @Test
    void reproducesFlowJoTable() throws IOException {
        double[] ref = readTable(Shared.resolve(TABLE));
        assertEquals(4096, ref.length, "FlowJo exports channels 0..4095");
        for (double maxRange : new double[] {262144.000029, 262144}) {
            FlowJoBiexTransform t = new FlowJoBiexTransform(-7.943282, 1, 4.41854, maxRange);
            double[] tab = t.lookupTable();
            assertEquals(4097, tab.length);
            double maxUnits = 0;
            double maxRel = 0;
            int exactDigits = 0;
            for (int k = 0; k < ref.length; k++) {
                double d = Math.abs(tab[k] - ref[k]);
                maxUnits = Math.max(maxUnits, d / digit6(ref[k]));
                maxRel = Math.max(maxRel, d / Math.max(Math.abs(ref[k]), 1.0));
                if (Double.parseDouble(String.format(Locale.ROOT, "%.6g", tab[k])) == ref[k]) exactDigits++;
            }
            System.out.printf(Locale.ROOT,
                    "flowjo-biex maxRange=%s: max |diff| = %.3f units of the 6th digit, max rel (|ref|>=1) %.3g, "
                            + "%d/%d entries identical when printed to 6 digits%n",
                    maxRange, maxUnits, maxRel, exactDigits, ref.length);
            assertTrue(maxUnits <= 0.8, "max difference " + maxUnits + " units of FlowJo's 6th digit");
            assertTrue(maxRel < 5e-6, "max relative difference " + maxRel);
            assertTrue(exactDigits > 3800, "only " + exactDigits + " entries identical to 6 digits");
        }
    }

    @Test
    void tableShapeAndInterpolation() {
        FlowJoBiexTransform t = new FlowJoBiexTransform(-10, 0, 4.418540, 262144);
        double[] tab = t.lookupTable();
        for (int k = 1; k < tab.length; k++) assertTrue(tab[k] > tab[k - 1], "increasing at " + k);
        // the zero channel maps to exactly 0 and the table is odd about it
        int zero = -1;
        for (int k = 0; k < tab.length; k++) if (tab[k] == 0) zero = k;
        assertTrue(zero > 0, "a channel with data value 0");
        for (int j = 1; j < zero; j++) assertEquals(-tab[zero + j], tab[zero - j], 0.0);
        assertEquals((double) zero / FlowJoBiexTransform.CHANNEL_RANGE, t.apply(0), 1e-15);
        // exact on table nodes, linear in between
        assertEquals(1000.0 / 4096, t.apply(tab[1000]), 1e-15);
        assertEquals((1000.25) / 4096, t.apply(tab[1000] + 0.25 * (tab[1001] - tab[1000])), 1e-12);
        assertEquals(tab[1000], t.inverse(1000.0 / 4096), 1e-9 * Math.abs(tab[1000]));
        // clamping outside the table
        assertEquals(0.0, t.apply(-1e9));
        assertEquals(1.0, t.apply(1e12));
        assertEquals(tab[0], t.inverse(-0.5));
        assertEquals(tab[4096], t.inverse(2));
        assertTrue(Double.isNaN(t.apply(Double.NaN)));
        assertEquals(t.apply(12345) * 4096, t.channel(12345), 1e-9);
    }

    @Test
    void roundTripWithinTable() {
        FlowJoBiexTransform t = new FlowJoBiexTransform(-7.943282, 1, 4.41854, 262144);
        double[] tab = t.lookupTable();
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            double x = tab[0] + r.nextDouble() * (tab[4096] - tab[0]);
            assertEquals(x, t.inverse(t.apply(x)), 1e-9 * Math.max(1, Math.abs(x)));
            double y = r.nextDouble();
            assertEquals(y, t.apply(t.inverse(y)), 1e-12);
        }
        double[] v = {-500, 0, 10, 1e3, 2e5};
        double[] w = v.clone();
        t.applyInPlace(w, w.length);
        for (int i = 0; i < v.length; i++) assertEquals(t.apply(v[i]), w[i], 0.0);
    }

    @Test
    void validation() {
        CikqcException e = assertThrows(CikqcException.class, () -> new FlowJoBiexTransform(-0.5, 0, 4.5, 262144));
        assertTrue(e.getMessage().startsWith("flowjo-biex: width=-0.5"), e.getMessage());
        assertEquals(CikqcException.Kind.INVALID_SPEC, e.kind());
        assertThrows(CikqcException.class, () -> new FlowJoBiexTransform(-10, -1, 4.5, 262144));
        assertThrows(CikqcException.class, () -> new FlowJoBiexTransform(-10, 0, 0, 262144));
        assertThrows(CikqcException.class, () -> new FlowJoBiexTransform(-10, 0, 4.5, 0));
        assertThrows(CikqcException.class, () -> new FlowJoBiexTransform(-10, 0, 4.5, Double.NaN));
        assertThrows(CikqcException.class, () -> new FlowJoBiexTransform(-1e6, 0, 2.5, 262144));
        assertEquals("flowjo-biex(width=-10, negative=0, positive=4.41854, maxRange=262144)",
                new FlowJoBiexTransform(-10, 0, 4.41854, 262144).describe());
    }
}
