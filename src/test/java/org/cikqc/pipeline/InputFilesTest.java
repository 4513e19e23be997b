package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cikqc.common.CikqcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
    @Test
    void anInputFolderInsideTheOutputFolderIsSearchedWhole(@TempDir Path tmp) throws Exception {
        // fuzz round 28 D6, D7: batch data --out . found "no FCS files", watch data --out data analysed nothing
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("a.fcs"), "x");
        Files.createDirectories(tmp.resolve("res"));
        Files.writeString(tmp.resolve("res/copy.fcs"), "x");
        assertEquals(List.of(data.resolve("a.fcs").toAbsolutePath().normalize()), InputFiles.collect(List.of(data), tmp));
        assertEquals(List.of(data.resolve("a.fcs").toAbsolutePath().normalize()), InputFiles.scan(data, data));
        // an output folder inside the input folder is still left out
        assertEquals(List.of(data.resolve("a.fcs").toAbsolutePath().normalize()),
                InputFiles.collect(List.of(tmp), tmp.resolve("res")));
    }

    @Test
    void collectsFcsAndLmdCaseInsensitivelySortedWithoutHiddenOrOutput(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("sub/deeper"));
        Files.createDirectories(in.resolve(".hidden"));
        Files.createDirectories(in.resolve("out"));
        for (String n : List.of("b.FCS", "a.fcs", "sub/c.lmd", "sub/deeper/d.Lmd", "notes.txt", ".a.fcs.tmp", ".x.fcs",
                ".hidden/e.fcs", "out/f.fcs", "fcs")) {
            Files.writeString(in.resolve(n), "x");
        }
        Path extra = tmp.resolve("given.dat");
        Files.writeString(extra, "y");
        List<Path> got = InputFiles.collect(List.of(in, in.resolve("a.fcs"), extra), in.resolve("out"));
        List<String> rel = got.stream().map(p -> tmp.relativize(p).toString().replace('\\', '/')).toList();
        assertEquals(List.of("given.dat", "in/a.fcs", "in/b.FCS", "in/sub/c.lmd", "in/sub/deeper/d.Lmd"), rel);
    }

    @Test
    void aSymbolicLinkLoopIsSkippedWithAWarningAndTheRestIsStillFound(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("a/b"));
        Files.writeString(in.resolve("a/b/x.fcs"), "x");
        Files.writeString(in.resolve("z.fcs"), "z");
        try {
            Files.createSymbolicLink(in.resolve("a/b/loop"), in.resolve("a"));
        } catch (UnsupportedOperationException | java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no symbolic links here: " + e);
        }
        Files.createSymbolicLink(in.resolve("gone.fcs"), in.resolve("unmounted/share/tube.fcs"));
        List<String> skipped = new java.util.ArrayList<>();
        List<Path> got = InputFiles.collect(List.of(in), null, skipped::add);
        assertEquals(List.of(in.resolve("a/b/x.fcs").toAbsolutePath(), in.resolve("z.fcs").toAbsolutePath()), got);
        assertEquals(2, skipped.size(), skipped.toString());
        skipped.sort(null);
        org.junit.jupiter.api.Assertions.assertTrue(skipped.get(1).contains("gone.fcs: skipped, a symbolic link whose "
                + "target does not exist"), skipped.toString());
        org.junit.jupiter.api.Assertions.assertTrue(skipped.get(0).startsWith(in.resolve("a/b/loop").toString())
                && skipped.get(0).contains("loop"), skipped.get(0));
    }

    @Test
    void aMissingArgumentIsInvalidInput(@TempDir Path tmp) {
        CikqcException e = assertThrows(CikqcException.class, () -> InputFiles.collect(List.of(tmp.resolve("nope")), null));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
    }

    @Test
    void safeNames() {
        assertEquals("Lot_42_tube_1", OutputNames.safeName("Lot 42  tube 1.FCS", Path.of("x.fcs")));
        assertEquals("cafe_au_lait", OutputNames.safeName("café au lait", Path.of("x")));
        assertEquals("tube", OutputNames.safeName(null, Path.of("/data/tube.LMD")));
        assertEquals("_CON", OutputNames.safeName("CON", Path.of("x")));
        assertEquals("sample", OutputNames.safeName("///", Path.of("x")));
        assertEquals("x", OutputNames.safeName("C:\\export\\x.fcs", Path.of("y")));
    }
}
