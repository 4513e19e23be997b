package org.cikqc.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layer rule of ARCHITECTURE.md: a package may use only the packages below it. Checked on the sources'
 * imports and fully qualified references to {@code org.cikqc.*}.
 */
class LayerRuleTest {

    /** package → packages it may use (itself and its sub-packages are always allowed). */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("common", Set.of()),
            Map.entry("fcs", Set.of("common")),
            Map.entry("transform", Set.of("common")),
            Map.entry("compensation", Set.of("fcs", "common")),
            Map.entry("gating", Set.of("compensation", "transform", "fcs", "common")),
            Map.entry("sim", Set.of("fcs", "common", "transform", "compensation")),
            Map.entry("autogate", Set.of("gating", "transform", "compensation", "fcs", "common")),
            Map.entry("qc", Set.of("gating", "fcs", "common")),
            Map.entry("plot", Set.of("gating", "transform", "common")),
            Map.entry("pipeline", Set.of("autogate", "qc", "gating", "compensation", "transform", "fcs", "common",
                    "plot", "sim")),
            Map.entry("report", Set.of("plot", "pipeline", "qc", "gating", "transform", "fcs", "common")),
            Map.entry("bench", Set.of("pipeline", "report", "plot", "autogate", "qc", "gating", "compensation",
                    "transform", "fcs", "common", "sim")),
            Map.entry("cli", Set.of("pipeline", "report", "plot", "autogate", "qc", "gating", "compensation",
                    "transform", "fcs", "common", "sim", "bench")));

    private static final Pattern REF = Pattern.compile("org\\.cikqc\\.([a-z]+)");

    @Test
    void packagesUseOnlyTheLayersBelowThem() throws IOException {
        Path root = Path.of("src/main/java/org/cikqc");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f).getName(0).toString();
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add(f + ": package '" + pkg + "' has no place in the layer map");
                    continue;
                }
                int lineNo = 0;
                for (String line : Files.readAllLines(f)) {
                    lineNo++;
                    String code = line.strip();
                    if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*")) continue;
                    Matcher m = REF.matcher(code);
                    while (m.find()) {
                        String used = m.group(1);
                        if (!used.equals(pkg) && !allowed.contains(used)) {
                            violations.add(f + ":" + lineNo + ": '" + pkg + "' uses '" + used + "'");
                        }
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }
}
