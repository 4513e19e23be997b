package org.cikqc.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The qc package uses only common and fcs (ARCHITECTURE.md layer rule) and never prints. */
class QcLayerTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?org\\.cikqc\\.(\\w+)", Pattern.MULTILINE);

    @Test
    void qcDependsOnlyOnCommonAndFcsAndDoesNotPrint() throws IOException {
        Path dir = Path.of("src/main/java/org/cikqc/qc");
        assertTrue(Files.isDirectory(dir), "run from the project root: " + dir.toAbsolutePath());
        List<String> bad = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                files++;
                String src = Files.readString(f, StandardCharsets.UTF_8);
                Matcher m = IMPORT.matcher(src);
                while (m.find()) {
                    String pkg = m.group(2);
                    if (!pkg.equals("common") && !pkg.equals("fcs") && !pkg.equals("qc")) {
                        bad.add(f.getFileName() + " imports org.cikqc." + pkg);
                    }
                }
                if (src.contains("System.out") || src.contains("System.err") || src.contains("printStackTrace")) {
                    bad.add(f.getFileName() + " prints");
                }
                if (src.matches("(?s).*catch\\s*\\([^)]*\\)\\s*\\{\\s*}.*")) bad.add(f.getFileName() + " has an empty catch");
            }
        }
        assertTrue(files >= 15, "found " + files + " source files");
        assertEquals(List.of(), bad);
    }
}
