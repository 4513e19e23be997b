package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class StatsTest {

    /** The boxed stable sort the primitive one replaces. */
    private static int[] boxedOrder(double[] key, int[] idx) {
        Integer[] o = Arrays.stream(idx).boxed().toArray(Integer[]::new);
        Arrays.sort(o, (a, b) -> Double.compare(key[a], key[b]));
        return Arrays.stream(o).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void sortsIndicesByKeyStablyAsTheBoxedSortDid() {
        Random r = new Random(11);
        for (int n : new int[] {0, 1, 2, 31, 32, 33, 64, 65, 1000, 4097}) {
            double[] key = new double[n + 5];
            // few distinct values, so that ties are common, plus signed zeros
            for (int i = 0; i < key.length; i++) key[i] = r.nextInt(7) == 0 ? (r.nextBoolean() ? 0.0 : -0.0) : r.nextInt(20) - 10;
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = (i * 7 + 3) % key.length; // not in key order, repeats allowed
            int[] expected = boxedOrder(key, idx);
            Stats.sortIndicesBy(key, idx);
            assertArrayEquals(expected, idx, "n = " + n);
        }
    }

    @Test
    void sortsContinuousKeys() {
        Random r = new Random(12);
        double[] key = r.doubles(50_000).map(v -> v * 1e5 - 3e4).toArray();
        int[] idx = new int[key.length];
        for (int i = 0; i < idx.length; i++) idx[i] = idx.length - 1 - i;
        int[] expected = boxedOrder(key, idx);
        Stats.sortIndicesBy(key, idx);
        assertArrayEquals(expected, idx);
    }
}
