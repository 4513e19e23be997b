package org.cikqc.compensation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cikqc.fcs.FcsParameter;

/** Test helpers: parameter lists and the shared event tables (header "event, names...", comment lines '#'). */
final class TestData {
    private TestData() { }

    static FcsParameter param(int index, String name) {
        return new FcsParameter(index, name, null, 32, 262144, 'F', 1, 0, 0, 0);
    }

    static List<FcsParameter> params(String... names) {
        List<FcsParameter> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) out.add(param(i + 1, names[i]));
        return out;
    }

    /** An event table: parameter names (without the event column), columns, comment lines. */
    record Table(List<String> names, double[][] columns, int rows, List<String> comments) { }

    static Table read(Path file) throws IOException {
        List<String> comments = new ArrayList<>();
        List<String> names = null;
        List<double[]> rows = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.isBlank()) continue;
            if (l.startsWith("#")) { comments.add(l); continue; }
            String[] c = l.split("\t");
            if (names == null) {
                names = new ArrayList<>(List.of(c).subList(1, c.length));
                continue;
            }
            double[] r = new double[c.length - 1];
            for (int i = 1; i < c.length; i++) r[i - 1] = Double.parseDouble(c[i]);
            rows.add(r);
        }
        double[][] cols = new double[names.size()][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int p = 0; p < names.size(); p++) cols[p][i] = rows.get(i)[p];
        }
        return new Table(names, cols, rows.size(), comments);
    }
}
