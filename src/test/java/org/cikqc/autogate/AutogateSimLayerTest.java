package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The layer rule (ARCHITECTURE.md) for the autogate and sim packages: only the packages below them. */
class AutogateSimLayerTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?org\\.cikqc\\.(\\w+)\\.",
            Pattern.MULTILINE);

    private static List<String> violations(String pkg, Set<String> allowed) throws IOException {
        Path dir = Path.of("src/main/java/org/cikqc", pkg);
        List<String> bad = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    if (!allowed.contains(m.group(1))) bad.add(f.getFileName() + " imports org.cikqc." + m.group(1));
                }
            }
        }
        return bad;
    }

    @Test
    void autogateUsesOnlyTransformAndCommon() throws IOException {
        List<String> bad = violations("autogate", Set.of("autogate", "transform", "common", "gating"));
        assertTrue(bad.isEmpty(), bad.toString());
    }

    @Test
    void simUsesOnlyFcsAndCommon() throws IOException {
        List<String> bad = violations("sim", Set.of("sim", "fcs", "common"));
        assertTrue(bad.isEmpty(), bad.toString());
    }
}
