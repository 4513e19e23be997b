package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCompletenessTest {

    /** A minimal FCS 3.1 file: HEADER, TEXT with the given delimiter, DATA of n bytes. */
    static byte[] fcs(int dataBytes, boolean dataOffsetsInHeader) {
        String text0 = "|$BEGINANALYSIS|0|$ENDANALYSIS|0|$BEGINSTEXT|0|$ENDSTEXT|0|$BYTEORD|1,2,3,4|$DATATYPE|I"
                + "|$MODE|L|$NEXTDATA|0|$PAR|1|$P1B|8|$P1R|256|$P1E|0,0|$P1N|FSC||A|$TOT|" + dataBytes + "|";
        int textStart = 58;
        // fixed-width data offsets so the TEXT length does not depend on them
        String tmpl = text0 + "$BEGINDATA|%010d|$ENDDATA|%010d|";
        int textLen = String.format(Locale.ROOT, tmpl, 0, 0).length();
        int textEnd = textStart + textLen - 1;
        int dataStart = textEnd + 1;
        int dataEnd = dataStart + dataBytes - 1;
        String text = String.format(Locale.ROOT, tmpl, dataStart, dataEnd);
        String header = String.format(Locale.ROOT, "FCS3.1    %8d%8d%8d%8d%8d%8d", textStart, textEnd,
                dataOffsetsInHeader ? dataStart : 0, dataOffsetsInHeader ? dataEnd : 0, 0, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < dataBytes; i++) out.write(i & 0xFF);
        return out.toByteArray();
    }

    private static Path write(Path dir, String name, byte[] b, int len) throws Exception {
        byte[] cut = new byte[len];
        System.arraycopy(b, 0, cut, 0, len);
        return Files.write(dir.resolve(name), cut);
    }

    @Test
    void headerOffsetsDecideCompleteness(@TempDir Path dir) throws Exception {
        byte[] f = fcs(1000, true);
        assertTrue(FileCompleteness.inspect(write(dir, "full.fcs", f, f.length)).consistent());
        assertTrue(FileCompleteness.inspect(write(dir, "minus1.fcs", f, f.length - 1)).consistent(),
                "one byte short is accepted (exclusive-end writers)");
        FileCompleteness.Inspection i = FileCompleteness.inspect(write(dir, "minus2.fcs", f, f.length - 2));
        assertFalse(i.consistent());
        assertEquals(f.length, i.required());
        assertTrue(i.reason().contains("segments end at byte " + (f.length - 1)), i.reason());
        assertFalse(FileCompleteness.inspect(write(dir, "h.fcs", f, 57)).consistent());
        assertTrue(FileCompleteness.inspect(write(dir, "t.fcs", f, 100)).reason().contains("TEXT ends at byte"));
        assertFalse(FileCompleteness.inspect(dir.resolve("absent.fcs")).consistent());
    }

    @Test
    void zeroDataOffsetsAreReadFromText(@TempDir Path dir) throws Exception {
        byte[] f = fcs(5000, false);
        FileCompleteness.Inspection ok = FileCompleteness.inspect(write(dir, "big.fcs", f, f.length));
        assertTrue(ok.consistent(), ok.reason());
        FileCompleteness.Inspection half = FileCompleteness.inspect(write(dir, "half.fcs", f, f.length / 2));
        assertFalse(half.consistent());
        assertEquals(f.length, half.required(), "required length taken from $ENDDATA");
    }

    @Test
    void blankPreallocatedFileIsNotComplete(@TempDir Path dir) throws Exception {
        Path p = Files.write(dir.resolve("zeros.fcs"), new byte[4096]);
        FileCompleteness.Inspection i = FileCompleteness.inspect(p);
        assertFalse(i.consistent());
        assertTrue(i.reason().contains("no FCS HEADER"), i.reason());
    }

    @Test
    void textKeywordsHonourEscapedDelimiters() {
        var kw = FileCompleteness.keywords("/$P1N/FSC//A/$ENDDATA/123/".getBytes(StandardCharsets.US_ASCII));
        assertEquals("FSC/A", kw.get("$P1N"));
        assertEquals("123", kw.get("$ENDDATA"));
    }

    /** A clock the fake sleeper advances, with an action per sleep (a writer appending to the file). */
    static final class FakeTime extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final List<Runnable> onSleep = new ArrayList<>();
        int sleeps;

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }

        void sleep(Duration d) {
            now = now.plus(d);
            if (sleeps < onSleep.size()) onSleep.get(sleeps).run();
            sleeps++;
        }
    }

    @Test
    void waitsForAGrowingFileToSettleAndComplete(@TempDir Path dir) throws Exception {
        byte[] f = fcs(3000, true);
        Path p = dir.resolve("growing.fcs");
        FakeTime t = new FakeTime();
        int[] cuts = {0, 40, 500, 1500, 2500, f.length};
        for (int c = 1; c < cuts.length; c++) {
            int from = cuts[c - 1];
            int to = cuts[c];
            t.onSleep.add(() -> append(p, f, from, to));
        }
        FileCompleteness w = new FileCompleteness(Duration.ofMinutes(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2), t, t::sleep);
        FileCompleteness.Result r = w.await(p);
        assertEquals(FileCompleteness.Status.COMPLETE, r.status(), r.reason());
        assertEquals(f.length, r.size());
        assertEquals(Duration.ofSeconds(7), r.waited(), "5 growth steps, then settled for 2 s");
    }

    private static void append(Path p, byte[] f, int from, int to) {
        try {
            byte[] part = new byte[to - from];
            System.arraycopy(f, from, part, 0, part.length);
            Files.write(p, part, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void stalledCopyTimesOutWithReason(@TempDir Path dir) throws Exception {
        byte[] f = fcs(3000, true);
        Path p = write(dir, "stalled.fcs", f, 2000);
        FakeTime t = new FakeTime();
        FileCompleteness w = new FileCompleteness(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(3), t, t::sleep);
        FileCompleteness.Result r = w.await(p);
        assertEquals(FileCompleteness.Status.TIMEOUT, r.status());
        assertEquals(2000, r.size());
        assertTrue(r.reason().startsWith("timed out after 30s: data set 0: segments end at byte"), r.reason());
        assertEquals(Duration.ofSeconds(30), r.waited());
        FileCompleteness.Result missing = w.await(dir.resolve("never.fcs"));
        assertTrue(missing.reason().contains("does not exist"), missing.reason());
    }

    @Test
    void everyReadableCorpusFileIsCompleteAndTruncationsAreNot() throws Exception {
        Path corpus = Shared.resolve("corpus/fcs");
        Set<String> brokenOnPurpose = Set.of("corrupted.fcs", "sample_header.fcs");
        int complete = 0;
        List<Path> files;
        try (Stream<Path> s = Files.walk(corpus)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path p : files) {
            FileCompleteness.Inspection i = FileCompleteness.inspect(p);
            boolean broken = brokenOnPurpose.stream().anyMatch(b -> p.getFileName().toString().endsWith(b));
            if (broken) {
                assertFalse(i.consistent(), p + ": " + i.reason());
                continue;
            }
            assertTrue(i.consistent(), p + ": " + i.reason());
            complete++;
            long size = Files.size(p);
            if (i.required() >= size - 1 && size > 2000) {
                byte[] all = Files.readAllBytes(p);
                Path cut = Files.write(Files.createTempFile("cut", ".fcs"), java.util.Arrays.copyOf(all,
                        (int) (size * 0.6)));
                try {
                    assertFalse(FileCompleteness.inspect(cut).consistent(), "60% of " + p.getFileName());
                } finally {
                    Files.delete(cut);
                }
            }
        }
        assertTrue(complete >= 70, "corpus files checked: " + complete);
    }
}
