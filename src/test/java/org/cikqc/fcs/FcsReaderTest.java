package org.cikqc.fcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FcsReaderTest {

    @TempDir
    Path dir;

    private FcsFile open(FcsBytes b) throws IOException {
        return FcsFile.open(b.write(dir, "t" + System.nanoTime() + ".fcs"), FcsReadOptions.LENIENT);
    }

    private static double[][] readAll(FcsFile f, int ds, ValueKind kind) {
        FcsDataSet d = f.dataSet(ds);
        double[][] out = new double[d.parameters().size()][(int) d.events()];
        try (EventReader r = f.events(ds, kind)) {
            EventBatch b;
            while ((b = r.next()) != null) {
                for (int p = 0; p < out.length; p++) System.arraycopy(b.column(p), 0, out[p], (int) b.firstEvent(), b.size());
            }
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static Set<String> codes(FcsDataSet ds) {
        return ds.problems().stream().map(Problem::code).collect(Collectors.toSet());
    }

    private static void assertValues(FcsFile f, int events) {
        double[][] v = readAll(f, 0, ValueKind.RAW);
        assertEquals(events, f.dataSet(0).events());
        for (int e = 0; e < events; e++) {
            for (int p = 0; p < v.length; p++) assertEquals(FcsBytes.value(e, p), v[p][e], 0, "event " + e + " p " + p);
        }
    }

    /** A defect must be repaired and recorded in LENIENT and refused in STRICT. */
    private void assertRepaired(FcsBytes b, String code, int events) throws IOException {
        Path p = b.write(dir, code + System.nanoTime() + ".fcs");
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT)) {
            assertTrue(codes(f.dataSet(0)).contains(code), () -> "expected " + code + " in " + f.dataSet(0).problems());
            assertValues(f, events);
        }
        FcsFormatException ex = assertThrows(FcsFormatException.class, () -> FcsFile.open(p, FcsReadOptions.STRICT));
        assertTrue(ex.problem() != null);
    }

    /**
     * Keyword values that change how DATA is decoded but were read silently before (found by the CLI mutation
     * campaign): each must be recorded as a problem in LENIENT (the file still reads) and refused in STRICT.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "$P2R=0|BAD_KEYWORD_VALUE", "$P2R=Infinity|BAD_KEYWORD_VALUE", "$P2R=1e308|BAD_KEYWORD_VALUE",
            "$P2R=4294967296|",
            "$P2E=4,-1|BAD_KEYWORD_VALUE", "$P2E=1e308,1|BAD_KEYWORD_VALUE", "$P2E=4,0,0|BAD_KEYWORD_VALUE",
            "$P2E=4|BAD_KEYWORD_VALUE", "$P2E|MISSING_KEYWORD", "$P2G=1e308|BAD_KEYWORD_VALUE",
            "$P2G=1e-300|BAD_KEYWORD_VALUE", "$TIMESTEP=abc|BAD_KEYWORD_VALUE", "$TIMESTEP=0|BAD_KEYWORD_VALUE",
            "$TIMESTEP= |BAD_KEYWORD_VALUE", "$NEXTDATA|MISSING_KEYWORD", "$NEXTDATA= |NEXTDATA_INVALID",
            "$NEXTDATA=9223372036854775807|NEXTDATA_INVALID", "$NEXTDATA=9223372036854775750|NEXTDATA_INVALID",
            "$BEGINDATA=abc|BAD_KEYWORD_VALUE", "$ENDDATA=-1|BAD_KEYWORD_VALUE", "$P2DATATYPE=I|BAD_KEYWORD_VALUE",
            "$BYTEORD=1,2,3,4,5,6,7,8|BAD_KEYWORD_VALUE", "$BYTEORD=1,2|BAD_KEYWORD_VALUE",
            "$DATATYPE=f|BAD_KEYWORD_VALUE", "$BEGINANALYSIS=58|ANALYSIS_INVALID", "$ENDANALYSIS=-5|BAD_KEYWORD_VALUE",
            "$ENDSTEXT=5|STEXT_INVALID", "$P3N=P1-A|DUPLICATE_PARAMETER_NAME", "$P2R=\u0006096|BAD_KEYWORD_VALUE",
            "$P2E= |BAD_KEYWORD_VALUE", "$P2G=  |BAD_KEYWORD_VALUE"})
    void damagingKeywordValuesAreRecorded(String spec) throws IOException {
        String[] kv = spec.split("\\|", -1);
        String key = kv[0].contains("=") ? kv[0].substring(0, kv[0].indexOf('=')) : kv[0];
        String value = kv[0].contains("=") ? kv[0].substring(kv[0].indexOf('=') + 1) : null;
        FcsBytes b = new FcsBytes();
        if (List.of("$TIMESTEP", "$P2DATATYPE", "$P2G").contains(key)) b.extra.add(new String[] {key, value});
        else b.overrides.put(key, value);
        Path p = b.write(dir, "kw" + System.nanoTime() + ".fcs");
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT)) {
            FcsDataSet ds = f.dataSet(0);
            assertEquals(4, ds.events());
            if (kv[1].isEmpty()) {
                // 2^32 for float data is an ordinary display range: nothing to record
                assertTrue(ds.problems().stream().noneMatch(x -> x.severity() != Severity.INFO), ds.problems()::toString);
                return;
            }
            assertTrue(ds.problems().stream().anyMatch(x -> x.code().equals(kv[1])
                    && (x.keyword() == null || x.keyword().equals(key) || kv[1].startsWith("STEXT"))),
                    () -> "expected " + kv[1] + " for " + key + " in " + ds.problems());
            readAll(f, 0, ValueKind.SCALE);
        }
        assertThrows(FcsFormatException.class, () -> FcsFile.open(p, FcsReadOptions.STRICT));
    }

    @Test
    void anAnalysisSegmentOverlappingTextOrDataIsIgnoredAndRecorded() throws IOException {
        FcsBytes b = new FcsBytes();
        byte[] base = b.build();
        long dataStart = Long.parseLong(new String(base, 26, 8, StandardCharsets.US_ASCII).strip());
        long dataEnd = Long.parseLong(new String(base, 34, 8, StandardCharsets.US_ASCII).strip());
        long textEnd = Long.parseLong(new String(base, 18, 8, StandardCharsets.US_ASCII).strip());
        byte[] after = java.util.Arrays.copyOf(base, base.length + 10);
        long[][] cases = {{dataStart + 4, dataEnd - 4}, {58, 70}, {textEnd, dataStart}, {base.length, base.length + 9}};
        String[] expect = {"overlaps DATA", "overlaps TEXT", "overlaps TEXT", null};
        for (int i = 0; i < cases.length; i++) {
            byte[] file = after.clone();
            System.arraycopy(String.format("%8d%8d", cases[i][0], cases[i][1]).getBytes(StandardCharsets.US_ASCII), 0,
                    file, 42, 16);
            Path p = dir.resolve("analysis" + i + ".fcs");
            Files.write(p, file);
            try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT)) {
                FcsDataSet ds = f.dataSet(0);
                if (expect[i] == null) {
                    assertEquals(cases[i][0], ds.analysisStart());
                    assertTrue(ds.problems().stream().noneMatch(x -> x.code().startsWith("ANALYSIS")), ds.problems()::toString);
                    continue;
                }
                assertEquals(0, ds.analysisStart(), expect[i]);
                String m = expect[i];
                long at = cases[i][0];
                assertTrue(ds.problems().stream().anyMatch(x -> x.code().equals(FcsProblems.ANALYSIS_INVALID)
                        && x.message().contains(m) && x.offset() == at), ds.problems()::toString);
                assertValues(f, 4);
            }
            assertThrows(FcsFormatException.class, () -> FcsFile.open(p, FcsReadOptions.STRICT));
        }
    }

    @Test
    void integerRangeThatWouldMaskEveryBitIsRepaired() throws IOException {
        FcsBytes b = new FcsBytes();
        b.datatype = "I";
        b.bits = new int[] {16, 16, 16};
        b.byteord = "1,2";
        b.ranges = new String[] {"1024", "1", "1024"};
        assertRepaired(b, FcsProblems.BAD_KEYWORD_VALUE, 4); // values intact: masked with 2^16-1, not 0
        b.ranges = new String[] {"1024", "1e9", "1024"};
        assertRepaired(b, FcsProblems.BAD_KEYWORD_VALUE, 4); // more than 16 bits hold
        b.ranges = new String[] {"1024", "64", "2"};
        try (FcsFile f = open(b)) {
            assertTrue(f.dataSet(0).problems().stream().anyMatch(x -> "$P3R".equals(x.keyword())
                    && x.code().equals(FcsProblems.BAD_KEYWORD_VALUE) && x.message().contains("keeps only 1 value bit")),
                    f.dataSet(0).problems()::toString);
            assertTrue(f.dataSet(0).problems().stream().noneMatch(x -> "$P2R".equals(x.keyword())
                    && x.severity() != Severity.INFO), "64 values (6 bits) is a plausible range");
        }
    }

    @Test
    void timestepScalesTheTimeParameterByNameOrByItsFcs32Type() throws IOException {
        FcsBytes b = new FcsBytes();
        b.extra.add(new String[] {"$TIMESTEP", "0.01"});
        b.overrides.put("$P1N", "Time");
        b.overrides.put("$P3N", "Clock");
        try (FcsFile f = open(b)) {
            assertEquals(0.01, f.dataSet(0).parameters().get(0).timestep());
            assertEquals(0, f.dataSet(0).parameters().get(2).timestep(), "named neither Time nor typed Time");
        }
        b.overrides.put("$P1N", "FSC-A");
        b.extra.add(new String[] {"$P3TYPE", "Time"}); // FCS 3.2: the type names the time parameter
        try (FcsFile f = open(b); EventReader r = f.events(0, ValueKind.SCALE, 0, 4)) {
            assertEquals(0, f.dataSet(0).parameters().get(0).timestep());
            assertEquals(0.01, f.dataSet(0).parameters().get(2).timestep());
            assertTrue(f.dataSet(0).parameters().get(2).isTime());
            EventBatch batch = r.next();
            assertEquals(FcsBytes.value(1, 2) * 0.01, batch.column(2)[1], 1e-12);
            assertEquals(FcsBytes.value(1, 0), batch.column(0)[1], 1e-12);
        }
    }

    @Test
    void incompleteHeaderDataOffsetsAreAConflict() throws IOException {
        byte[] b = new FcsBytes().build();
        System.arraycopy("       0".getBytes(StandardCharsets.US_ASCII), 0, b, 34, 8); // HEADER DATA end := 0
        Path p = dir.resolve("hdr.fcs");
        Files.write(p, b);
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT)) {
            assertTrue(codes(f.dataSet(0)).contains(FcsProblems.DATA_OFFSET_CONFLICT), f.dataSet(0).problems()::toString);
            assertValues(f, 4);
        }
        assertThrows(FcsFormatException.class, () -> FcsFile.open(p, FcsReadOptions.STRICT));
    }

    @Test
    void headerOffsetsAreDigitsOnly() throws IOException {
        byte[] b = new FcsBytes().build();
        System.arraycopy("1e3     ".getBytes(StandardCharsets.US_ASCII), 0, b, 34, 8); // Long/Double would take 1000
        Path p = dir.resolve("hdr1e3.fcs");
        Files.write(p, b);
        FcsFormatException e = assertThrows(FcsFormatException.class, () -> FcsFile.open(p, FcsReadOptions.LENIENT));
        assertEquals(FcsProblems.BAD_HEADER_OFFSET, e.problem().code());
        assertEquals(34, e.problem().offset());
    }

    @Test
    void everyMaskedParameterIsNamed() throws IOException {
        FcsBytes b = new FcsBytes();
        b.datatype = "I";
        b.bits = new int[] {16, 16, 16};
        b.byteord = "1,2";
        b.ranges = new String[] {"1024", "65536", "4096"};
        try (FcsFile f = open(b)) {
            Problem masked = f.dataSet(0).problems().stream().filter(x -> x.code().equals(FcsProblems.RANGE_BITMASK))
                    .findFirst().orElseThrow();
            assertTrue(masked.message().contains("$P1R=1024") && masked.message().contains("$P3R=4096"), masked.message());
        }
    }

    @Test
    void textOffsetsOfZeroBesideHeaderOffsetsAreAConflict() throws IOException {
        FcsBytes b = new FcsBytes();
        b.overrides.put("$BEGINDATA", "0");
        b.overrides.put("$ENDDATA", "0");
        assertRepaired(b, FcsProblems.DATA_OFFSET_CONFLICT, 4);
    }

    @Test
    void controlCharactersInMessagesAreEscaped() throws IOException {
        FcsBytes b = new FcsBytes();
        b.delimiter = '\f';
        b.overrides.put("$P2B", "32\nx");
        FcsFormatException e = assertThrows(FcsFormatException.class, () -> open(b));
        assertTrue(e.getMessage().contains("'32\\x0ax'"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void cleanFileReadsInStrictModeWithoutProblems() throws IOException {
        Path p = new FcsBytes().write(dir, "clean.fcs");
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.STRICT)) {
            assertEquals(1, f.dataSets().size());
            assertEquals("FCS3.1", f.dataSet(0).version());
            assertTrue(f.dataSet(0).problems().stream().noneMatch(x -> x.severity() != Severity.INFO));
            assertValues(f, 4);
            assertEquals("P2-A", f.dataSet(0).parameter(1).name());
            assertEquals(1, f.dataSet(0).parameterIndex("p2-a"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {'/', '|', '\\', '!', '#', 0x0c, 0x1e, 0xfe, ' '})
    void anyDelimiterByte(int d) throws IOException {
        FcsBytes b = new FcsBytes();
        b.delimiter = (byte) d;
        try (FcsFile f = open(b)) {
            assertValues(f, 4);
        }
    }

    @Test
    void doubledDelimiterInsideValueIsEscaped() throws IOException {
        FcsBytes b = new FcsBytes();
        b.extra.add(new String[] {"$PROJ", "2//25//2011 11:14 AM"});
        b.extra.add(new String[] {"$P1F", "561////10 nm"});
        try (FcsFile f = open(b)) {
            assertEquals("2/25/2011 11:14 AM", f.dataSet(0).keywords().get("$PROJ"));
            assertEquals("561//10 nm", f.dataSet(0).keywords().get("$P1F"));
            assertTrue(f.dataSet(0).problems().isEmpty(), f.dataSet(0).problems().toString());
        }
    }

    @Test
    void emptyValuesDoNotMergeKeywords() throws IOException {
        FcsBytes b = new FcsBytes();
        b.rawTextPieces.add("$INST//$EXP/Admin/$SRC//$CELLS//$OP/me/".getBytes(StandardCharsets.US_ASCII));
        Path p = b.write(dir, "empty.fcs");
        try (FcsFile f = FcsFile.open(p)) {
            Keywords k = f.dataSet(0).keywords();
            assertEquals("", k.get("$INST"));
            assertEquals("Admin", k.get("$EXP"));
            assertEquals("", k.get("$SRC"));
            assertEquals("", k.get("$CELLS"));
            assertEquals("me", k.get("$OP"));
            assertTrue(codes(f.dataSet(0)).contains(FcsProblems.TEXT_EMPTY_VALUE));
            assertValues(f, 4);
        }
        assertThrows(FcsFormatException.class, () -> FcsFile.open(p, FcsReadOptions.STRICT));
    }

    /**
     * CellQuest writes empty values after non-$ keywords with a backslash delimiter (corpus data1.fcs,
     * real-8-parameters.data.fcs): an even run after a keyword is always read as empty values, never as a delimiter
     * escaped inside the keyword (the cross-check against flowCore, FlowIO and fireflow is in the README).
     */
    @Test
    void doubledDelimiterAfterAnyKeywordIsAnEmptyValue() throws IOException {
        FcsBytes b = new FcsBytes();
        b.delimiter = '\\';
        b.rawTextPieces.add("Comments\\\\Row\\2\\&5Prefix\\\\&8Doc.\\LYMPH\\MY\\\\KEY\\v\\"
                .getBytes(StandardCharsets.US_ASCII));
        try (FcsFile f = open(b)) {
            Keywords k = f.dataSet(0).keywords();
            assertEquals("", k.get("Comments"));
            assertEquals("2", k.get("Row"));
            assertEquals("", k.get("&5Prefix"));
            assertEquals("LYMPH", k.get("&8Doc."));
            assertEquals("", k.get("MY"));
            assertEquals("v", k.get("KEY"));
            assertNull(k.get("MY\\KEY"));
            assertTrue(codes(f.dataSet(0)).contains(FcsProblems.TEXT_EMPTY_VALUE));
            assertValues(f, 4);
        }
    }

    @Test
    void emptyLastValueAndStrayDelimiter() throws IOException {
        FcsBytes b = new FcsBytes();
        b.rawTextPieces.add("&10Analysis Doc.//".getBytes(StandardCharsets.US_ASCII));
        try (FcsFile f = open(b)) {
            assertEquals("", f.dataSet(0).keywords().get("&10Analysis Doc."));
        }
        FcsBytes c = new FcsBytes();
        c.rawTextPieces.add("#P14MaxUseful/1567//".getBytes(StandardCharsets.US_ASCII));
        try (FcsFile f = open(c)) {
            assertEquals("1567", f.dataSet(0).keywords().get("#P14MaxUseful"));
            assertTrue(codes(f.dataSet(0)).contains(FcsProblems.TEXT_STRAY_DELIMITER));
        }
    }

    @Test
    void dataEndOneByteTooFar() throws IOException {
        FcsBytes b = new FcsBytes();
        b.headerDataEndDelta = 1;
        b.textDataEndDelta = 1;
        assertRepaired(b, FcsProblems.DATA_END_PAST_EOF, 4);
    }

    @Test
    void blankHeaderOffsetsUseText() throws IOException {
        FcsBytes b = new FcsBytes();
        b.headerDataBlank = true;
        assertRepaired(b, FcsProblems.BLANK_HEADER_OFFSET, 4);
    }

    @Test
    void headerAndTextOffsetsDisagree() throws IOException {
        FcsBytes b = new FcsBytes();
        b.headerDataStartDelta = -30; // points inside TEXT
        assertRepaired(b, FcsProblems.DATA_OFFSET_CONFLICT, 4);
        FcsBytes c = new FcsBytes();
        c.headerDataEndDelta = 500; // past EOF
        assertRepaired(c, FcsProblems.DATA_OFFSET_CONFLICT, 4);
        FcsBytes d = new FcsBytes();
        d.textDataEndDelta = -7; // TEXT end wrong, HEADER right
        assertRepaired(d, FcsProblems.DATA_OFFSET_CONFLICT, 4);
    }

    @Test
    void aStaleBeginDataLosesToAHeaderStartRightAfterTextEvenWhenTheHeaderEndIsDamaged() throws IOException {
        // the Cyan pattern: $BEGINDATA/$ENDDATA written before TEXT grew (both 8 bytes late, into the CRC field)
        FcsBytes stale = new FcsBytes();
        stale.textDataStartDelta = 8;
        stale.textDataEndDelta = 8;
        assertRepaired(stale, FcsProblems.DATA_OFFSET_CONFLICT, 4);
        // ... and the HEADER end damaged too: its start right after TEXT still wins, with $TOT x event size
        FcsBytes both = new FcsBytes();
        both.textDataStartDelta = 8;
        both.textDataEndDelta = 8;
        both.headerDataEndDelta = -3;
        assertRepaired(both, FcsProblems.DATA_OFFSET_CONFLICT, 4);
        try (FcsFile f = FcsFile.open(both.write(dir, "stale2.fcs"), FcsReadOptions.LENIENT)) {
            String m = f.dataSet(0).problems().stream().filter(x -> x.code().equals(FcsProblems.DATA_OFFSET_CONFLICT))
                    .findFirst().orElseThrow().message();
            assertTrue(m.contains("used the HEADER start") && m.contains("starts right after TEXT")
                    && m.contains("neither declared end fits it"), m);
        }
    }

    @Test
    void controlCharactersInKeywordNamesAndChannelNamesAreReported() throws IOException {
        FcsBytes b = new FcsBytes();
        b.extra.add(new String[] {"$TIMESTEP\u0000", "0.01"}); // not $TIMESTEP: reported, not read as it
        b.extra.add(new String[] {"$P3TYPE", "Time"});
        b.extra.add(new String[] {"VENDOR\u00e9", "x"}); // non-ASCII, printable: a note
        b.overrides.put("$P2N", "FL1-A\u001b");
        try (FcsFile f = open(b)) {
            List<Problem> ps = f.dataSet(0).problems();
            Problem key = ps.stream().filter(p -> p.code().equals(FcsProblems.KEYWORD_INVALID_CHARACTER)
                    && p.keyword().startsWith("$TIMESTEP")).findFirst().orElseThrow(() -> new AssertionError(ps));
            assertEquals(Severity.WARNING, key.severity());
            assertTrue(key.offset() > 0 && key.message().contains("U+0000"), key::toString);
            assertEquals(Severity.INFO, ps.stream().filter(p -> p.code().equals(FcsProblems.KEYWORD_INVALID_CHARACTER)
                    && p.keyword().startsWith("VENDOR")).findFirst().orElseThrow().severity());
            assertTrue(ps.stream().anyMatch(p -> p.code().equals(FcsProblems.BAD_KEYWORD_VALUE) && "$P2N".equals(p.keyword())
                    && p.message().contains("U+001B")), ps::toString);
            assertEquals(0, f.dataSet(0).parameters().get(2).timestep(), "the damaged keyword is not $TIMESTEP");
            assertValues(f, 4);
        }
    }

    @Test
    void aLinearChannelWithAnOffsetIsNotedAndReadLinear() throws IOException {
        FcsBytes b = new FcsBytes();
        b.overrides.put("$P1E", "0,1");
        b.overrides.put("$P3E", "0,2");
        try (FcsFile f = open(b)) {
            Problem note = f.dataSet(0).problems().stream().filter(p -> "$P1E".equals(p.keyword())).findFirst()
                    .orElseThrow(() -> new AssertionError(f.dataSet(0).problems()));
            assertEquals(Severity.INFO, note.severity());
            assertTrue(note.message().contains("'0,1'") && note.message().endsWith("also $P3E"), note.message());
            assertValues(f, 4);
        }
    }

    @Test
    void requiredSegmentKeywordsAndTheTimeStepAreCheckedByVersion() throws IOException {
        FcsBytes v31 = new FcsBytes();
        v31.version = "FCS3.1";
        v31.overrides.put("$BEGINANALYSIS", null);
        v31.extra.add(new String[] {"$P3TYPE", "Time"});
        try (FcsFile f = open(v31)) {
            List<Problem> ps = f.dataSet(0).problems();
            assertTrue(ps.stream().anyMatch(p -> p.code().equals(FcsProblems.MISSING_OPTIONAL_OFFSET_KEYWORD)
                    && "$BEGINANALYSIS".equals(p.keyword()) && p.severity() == Severity.WARNING), ps::toString);
            assertTrue(ps.stream().anyMatch(p -> "$TIMESTEP".equals(p.keyword()) && p.severity() == Severity.INFO),
                    ps::toString);
            assertValues(f, 4);
        }
        FcsBytes v32 = new FcsBytes(); // FCS 3.2: the ANALYSIS and STEXT keywords are optional
        v32.version = "FCS3.2";
        for (String k : new String[] {"$BEGINANALYSIS", "$ENDANALYSIS", "$BEGINSTEXT", "$ENDSTEXT"}) v32.overrides.put(k, null);
        v32.extra.add(new String[] {"$TIMESTEP", "0.01"});
        v32.extra.add(new String[] {"$P3TYPE", "Time"});
        try (FcsFile f = open(v32)) {
            assertEquals(List.of(), f.dataSet(0).problems());
            assertValues(f, 4);
        }
    }

    @Test
    void supplementalTextPointingAtPrimary() throws IOException {
        FcsBytes b = new FcsBytes();
        b.supplementalPointsAtPrimary = true;
        assertRepaired(b, FcsProblems.STEXT_OVERLAPS_PRIMARY, 4);
    }

    @Test
    void totDisagreesWithDataLength() throws IOException {
        FcsBytes b = new FcsBytes();
        b.totOverride = "3";
        Path p = b.write(dir, "tot3.fcs");
        try (FcsFile f = FcsFile.open(p)) {
            assertEquals(3, f.dataSet(0).events());
            assertTrue(codes(f.dataSet(0)).contains(FcsProblems.TOT_MISMATCH));
        }
        assertThrows(FcsFormatException.class, () -> FcsFile.open(p, FcsReadOptions.STRICT));
    }

    @Test
    void truncatedFileReadsCompleteEventsOnly() throws IOException {
        FcsBytes b = new FcsBytes();
        b.truncateBytes = 8 + 6; // CRC and half an event
        Path p = b.write(dir, "trunc.fcs");
        try (FcsFile f = FcsFile.open(p)) {
            assertTrue(codes(f.dataSet(0)).contains(FcsProblems.TRUNCATED_DATA));
            assertValues(f, 3);
        }
        assertThrows(FcsFormatException.class, () -> FcsFile.open(p, FcsReadOptions.STRICT));
    }

    @Test
    void aTotBeyondTheDataEndReadsNoEventsOutOfTheAnalysisSegment() throws IOException {
        // $TOT 6 for 4 events, an ANALYSIS segment right after DATA (the CRC's 8 bytes and 40 more): the file has
        // room for 6 events, but events 5 and 6 would be ANALYSIS text
        FcsBytes b = new FcsBytes();
        b.totOverride = "6";
        b.overrides.put("$BEGINANALYSIS", "000000");
        b.overrides.put("$ENDANALYSIS", "000000");
        long dataEnd = Long.parseLong(new String(b.build(), 34, 8, StandardCharsets.US_ASCII).trim());
        b.overrides.put("$BEGINANALYSIS", String.format("%06d", dataEnd + 1));
        b.overrides.put("$ENDANALYSIS", String.format("%06d", dataEnd + 8 + 40));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(b.build());
        all.writeBytes("/ANALYSIS-KEYWORD/SOME-VALUE-TEXT-HERE-1/".getBytes(StandardCharsets.US_ASCII));
        Path p = Files.write(dir.resolve("analysis.fcs"), all.toByteArray());
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT)) {
            assertValues(f, 4);
            assertTrue(f.dataSet(0).problems().stream().anyMatch(q -> q.message().contains(
                    "the 4 complete events before the ANALYSIS segment at byte " + (dataEnd + 1) + " read")),
                    f.dataSet(0).problems().toString());
            assertFalse(codes(f.dataSet(0)).contains(FcsProblems.ANALYSIS_INVALID), f.dataSet(0).problems().toString());
        }
    }

    @Test
    void aDataSetThatDoesNotExistIsNamedWithItsFile() throws IOException {
        Path p = new FcsBytes().write(dir, "one.fcs");
        try (FcsFile f = FcsFile.open(p)) {
            org.cikqc.common.CikqcException e = assertThrows(org.cikqc.common.CikqcException.class, () -> f.dataSet(5));
            assertEquals(p + ": data set 5 does not exist (the file has 1, numbered 0)", e.getMessage());
            assertEquals(org.cikqc.common.CikqcException.Kind.INVALID_INPUT, e.kind());
        }
    }

    @Test
    void hugeTotNeverAllocates() throws IOException {
        FcsBytes b = new FcsBytes();
        b.totOverride = "900000000000000";
        try (FcsFile f = open(b)) {
            assertEquals(4, f.dataSet(0).events());
            assertTrue(codes(f.dataSet(0)).contains(FcsProblems.TRUNCATED_DATA));
        }
    }

    @Test
    void everyTotBeyondTheFileIsOneRuleHoweverLarge() throws IOException {
        // fuzz round 27 D9: $TOT x event size past 2^63 was exit 3 "overflows", $TOT past 2^63 a "not a count"
        // warning, smaller ones a truncation warning; all are a count the file cannot hold
        for (String tot : List.of("900000000000000", "1537228672809129401", "9223372036854775807",
                "10000000000000000000", "18446744073709551716")) {
            FcsBytes b = new FcsBytes();
            b.totOverride = tot;
            try (FcsFile f = open(b)) {
                assertEquals(4, f.dataSet(0).events(), tot);
                assertValues(f, 4);
                assertEquals(java.util.Set.of(FcsProblems.TRUNCATED_DATA), codes(f.dataSet(0)), tot);
                assertTrue(f.dataSet(0).problems().get(0).message().contains("4 of " + tot + " events are complete"),
                        f.dataSet(0).problems().toString());
            }
        }
    }

    @Test
    void crcIsVerifiedWhenPresent() throws IOException {
        FcsBytes b = new FcsBytes();
        b.crc = "00001234";
        assertRepaired(b, FcsProblems.CRC_MISMATCH, 4);
        FcsBytes good = new FcsBytes();
        byte[] bytes = good.build();
        int crc = Crc16.update(0xFFFF, bytes, 0, bytes.length - 8);
        good.crc = String.format("%08d", crc);
        try (FcsFile f = open(good)) {
            assertTrue(f.dataSet(0).problems().isEmpty(), f.dataSet(0).problems().toString());
        }
    }

    @Test
    void spacesAroundAParameterNameAreNotedAndMatchedWithout() throws IOException {
        FcsBytes b = new FcsBytes();
        b.overrides.put("$P2N", "P2-A ");
        try (FcsFile f = open(b)) {
            FcsDataSet ds = f.dataSet(0);
            assertEquals("P2-A ", ds.parameters().get(1).name(), "the name is kept as written");
            assertEquals(1, ds.parameterIndex("P2-A"));
            Problem note = ds.problems().stream()
                    .filter(q -> q.code().equals(FcsProblems.PARAMETER_NAME_WHITESPACE)).findFirst().orElseThrow();
            assertEquals(Severity.INFO, note.severity());
            assertEquals("$P2N", note.keyword());
            assertValues(f, 4);
        }
        // an INFO note is not a defect: STRICT reading accepts the file
        try (FcsFile f = FcsFile.open(b.write(dir, "pnn-space.fcs"), FcsReadOptions.STRICT)) {
            assertEquals(4, f.dataSet(0).events());
        }
        try (FcsFile f = open(new FcsBytes())) {
            assertFalse(codes(f.dataSet(0)).contains(FcsProblems.PARAMETER_NAME_WHITESPACE));
        }
    }

    @Test
    void keywordWhitespaceAndDuplicates() throws IOException {
        FcsBytes b = new FcsBytes();
        b.extra.add(new String[] {" $CYT ", "Aria"});
        assertRepaired(b, FcsProblems.KEYWORD_WHITESPACE, 4);
        try (FcsFile f = open(b)) {
            assertEquals("Aria", f.dataSet(0).keywords().get("$cyt"));
        }
        FcsBytes c = new FcsBytes();
        c.extra.add(new String[] {"$VOL", "1"});
        c.extra.add(new String[] {"$VOL", "2"});
        assertRepaired(c, FcsProblems.DUPLICATE_KEYWORD, 4);
        try (FcsFile f = open(c)) {
            assertEquals("1", f.dataSet(0).keywords().get("$VOL"));
            assertEquals(2, f.dataSet(0).keywords().entries().stream().filter(e -> e.key().equals("$VOL")).count());
        }
    }

    @Test
    void paddingIsInformationalAndUnterminatedLastValueIsRepaired() throws IOException {
        FcsBytes b = new FcsBytes();
        b.textPadding = 40;
        Path p = b.write(dir, "pad.fcs");
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.STRICT)) {
            assertTrue(codes(f.dataSet(0)).contains(FcsProblems.TEXT_TRAILING_PADDING));
        }
        FcsBytes c = new FcsBytes();
        c.extra.add(new String[] {"GROUPNAME", "20200722"});
        c.lastValueUnterminated = true;
        assertRepaired(c, FcsProblems.TEXT_UNTERMINATED_VALUE, 4);
        try (FcsFile f = open(c)) {
            assertEquals("20200722", f.dataSet(0).keywords().get("GROUPNAME"));
        }
    }

    @Test
    void textDecodingIsLossless() throws IOException {
        FcsBytes b = new FcsBytes();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("CREATOR/CELLQuest".getBytes(StandardCharsets.US_ASCII));
        raw.write(0xAA);
        raw.writeBytes(" 3.3/".getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes("OPERATOR/J\u00e9r\u00f4me/".getBytes(StandardCharsets.UTF_8));
        b.rawTextPieces.add(raw.toByteArray());
        try (FcsFile f = open(b)) {
            assertEquals("CELLQuest\u00aa 3.3", f.dataSet(0).keywords().get("CREATOR"));
            assertEquals("J\u00e9r\u00f4me", f.dataSet(0).keywords().get("OPERATOR"));
            assertTrue(codes(f.dataSet(0)).contains(FcsProblems.TEXT_NOT_UTF8));
        }
    }

    @Test
    void integerWidthsByteOrdersAndMasks() throws IOException {
        for (String bo : List.of("1,2,3,4", "4,3,2,1", "1,2", "2,1", "3,4,1,2")) {
            FcsBytes b = new FcsBytes();
            b.datatype = "I";
            b.byteord = bo;
            b.bits = new int[] {8, 10, 16, 24, 32, 64};
            b.ranges = new String[] {"256", "1024", "65536", "16777216", "4294967296", "1e18"};
            try (FcsFile f = open(b)) {
                assertValues(f, 4);
                assertEquals(2 + 1 + 2 + 2 + 3 + 4 + 8 - 2, f.dataSet(0).eventBytes(), bo);
            }
        }
        // 16-bit words under 3,4,1,2 have the less significant byte first (fuzz round 28 D4: read big-endian, values
        // garbage with exit 0)
        FcsBytes pdp = new FcsBytes();
        pdp.datatype = "I";
        pdp.byteord = "3,4,1,2";
        pdp.bits = new int[] {16};
        pdp.ranges = new String[] {"65536"};
        pdp.events = 1;
        pdp.dataOverride = new byte[] {0x34, 0x12};
        try (FcsFile f = open(pdp)) {
            assertEquals(0x1234, readAll(f, 0, ValueKind.RAW)[0][0]);
        }
    }

    @Test
    void bitPackedIntegerDataIsRefusedNotReadAsPaddedWords() throws IOException {
        // FCS 2.0 packing: 3 events x 3 parameters x 12 bits = 108 bits in 14 bytes (padded words would be 18);
        // 100 events: 450 bytes (600 padded), also one event's worth either side of it
        int[][] cases = {{3, 14}, {3, 15}, {100, 450}, {100, 451}, {100, 449}, {100, 452}, {100, 454}};
        for (int[] c : cases) {
            FcsBytes b = fcs20Integers12Bit();
            b.events = c[0];
            b.dataOverride = new byte[c[1]];
            Path p = b.write(dir, "packed" + c[0] + "-" + c[1] + ".fcs");
            FcsFormatException ex = assertThrows(FcsFormatException.class, () -> FcsFile.open(p, FcsReadOptions.LENIENT));
            assertEquals("$P1B", ex.problem().keyword());
            assertTrue(ex.getMessage().contains("bit-packed: its " + c[1] + " bytes fit $TOT " + c[0] + " events of 36 bits"
                    + " without byte padding (" + (c[0] * 36 + 7) / 8 + " bytes; $P1B 12), not in whole bytes ("
                    + c[0] * 6 + ")"), ex.getMessage());
        }
        // HEADER and TEXT disagree and one of them spans the packed length: the whole-byte reading of the other
        // is not trusted when its words have bits above $PnB (fuzz round 27: 450 packed bytes and junk were read as
        // 100 events), and is read with a warning when they have none (padded words, as the values written here)
        for (boolean textPacked : new boolean[] {true, false}) {
            for (boolean packedContent : new boolean[] {true, false}) {
                FcsBytes conflict = fcs20Integers12Bit();
                conflict.events = 100;
                if (textPacked) conflict.textDataEndDelta = 450 - 600;
                else conflict.headerDataEndDelta = 450 - 600;
                if (packedContent) {
                    conflict.dataOverride = new byte[600];
                    new java.util.Random(7).nextBytes(conflict.dataOverride);
                }
                Path p = conflict.write(dir, "conflict-" + textPacked + packedContent + ".fcs");
                String pair = "the " + (textPacked ? "TEXT" : "HEADER") + " DATA offsets ";
                String span = " span 450 bytes, $TOT 100 events of 36 bits without byte padding ($P1B 12)";
                if (packedContent) {
                    FcsFormatException ex = assertThrows(FcsFormatException.class,
                            () -> FcsFile.open(p, FcsReadOptions.LENIENT));
                    assertEquals("$P1B", ex.problem().keyword());
                    assertTrue(ex.getMessage().contains("DATA may be bit-packed: " + pair), ex.getMessage());
                    assertTrue(ex.getMessage().contains(span + ", while the other offsets give 600 bytes in whole bytes"),
                            ex.getMessage());
                } else {
                    try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT)) {
                        assertValues(f, 100);
                        assertTrue(f.dataSet(0).problems().stream().anyMatch(q -> q.message().startsWith(pair)
                                && q.message().contains(span + "; read as whole-byte words, since no value of the "
                                + "chosen DATA has a bit set above its $PnB")), f.dataSet(0).problems().toString());
                    }
                }
            }
        }
        // the usual stale $ENDDATA (8 bytes off) with the same parameters is still read
        FcsBytes stale = fcs20Integers12Bit();
        stale.textDataEndDelta = 8;
        try (FcsFile f = open(stale)) {
            assertValues(f, 4);
        }
        // without $TOT, 450 bytes are 75 padded or 100 packed events: read as padded, with a warning
        FcsBytes noTot = fcs20Integers12Bit();
        noTot.events = 75;
        noTot.overrides.put("$TOT", null);
        try (FcsFile f = open(noTot)) {
            assertValues(f, 75);
            assertTrue(f.dataSet(0).problems().stream().anyMatch(q -> q.message().contains(
                    "without $TOT, DATA's 450 bytes hold 75 events in whole bytes or 100 bit-packed ones")),
                    f.dataSet(0).problems().toString());
        }
        // the same parameters in 16-bit words (what real files with $PnB 10 or 12 hold) are read
        try (FcsFile f = open(fcs20Integers12Bit())) {
            assertEquals(6, f.dataSet(0).eventBytes());
            assertValues(f, 4);
        }
    }

    /** FCS 2.0, three integer parameters of $PnB 12 and range 4096, 16-bit big-endian words by default. */
    private static FcsBytes fcs20Integers12Bit() {
        FcsBytes b = new FcsBytes();
        b.version = "FCS2.0";
        b.datatype = "I";
        b.byteord = "4,3,2,1";
        b.bits = new int[] {12, 12, 12};
        b.ranges = new String[] {"4096", "4096", "4096"};
        return b;
    }

    @Test
    void integerValuesAreMaskedWhenRangeIsBelowBitWidth() throws IOException {
        FcsBytes b = new FcsBytes();
        b.datatype = "I";
        b.bits = new int[] {16};
        b.ranges = new String[] {"1024"};
        b.events = 1;
        b.dataOverride = new byte[] {(byte) 0x05, (byte) 0xFC}; // 0xFC05: bits D10-D15 set
        try (FcsFile f = open(b)) {
            assertEquals(0xFC05 & 1023, readAll(f, 0, ValueKind.RAW)[0][0]);
            assertEquals(1023L, DataLayout.mask(16, 1024));
            assertEquals(32767L, DataLayout.mask(24, 30000));
            assertEquals(0xFFFFFFL, DataLayout.mask(32, 16777216));
            assertEquals(0xFFFFFFFFL, DataLayout.mask(32, 4294967296.0));
        }
    }

    @Test
    void doublesAndMixedDataTypes() throws IOException {
        FcsBytes b = new FcsBytes();
        b.datatype = "D";
        b.bits = new int[] {64, 64};
        b.ranges = new String[] {"1", "1"};
        try (FcsFile f = open(b)) {
            assertValues(f, 4);
        }
        FcsBytes m = new FcsBytes();
        m.version = "FCS3.2";
        m.datatype = "F";
        m.pnDatatype = new String[] {"I", "F", "D"};
        m.bits = new int[] {16, 32, 64};
        try (FcsFile f = open(m)) {
            assertEquals('I', f.dataSet(0).parameter(0).datatype());
            assertEquals('D', f.dataSet(0).parameter(2).datatype());
            assertValues(f, 4);
        }
    }

    /**
     * NaN and ±Inf in float DATA (no instrument writes them): the values are passed on as they are, and the reader
     * reports one WARNING with the count per parameter and the first one's event and byte, on every decoding path
     * (float32 in bulk, either byte order; float64; mixed $PnDATATYPE). Integers never report.
     */
    @Test
    void nonFiniteFloatValuesAreReportedWithTheirCountAndFirstByte() throws IOException {
        String[][] layouts = {{"F", "1,2,3,4"}, {"F", "4,3,2,1"}, {"D", "1,2,3,4"}, {"mixed", "4,3,2,1"}};
        for (String[] l : layouts) {
            FcsBytes m = new FcsBytes();
            m.events = 40_000; // beyond one decoded chunk, so the first one is found across chunks
            m.byteord = l[1];
            int[] width;
            if (l[0].equals("mixed")) {
                m.version = "FCS3.2";
                m.pnDatatype = new String[] {"I", "F", "D"};
                m.bits = new int[] {16, 32, 64};
                width = new int[] {2, 4, 8};
            } else {
                m.datatype = l[0];
                int w = l[0].equals("D") ? 8 : 4;
                m.bits = new int[] {8 * w, 8 * w, 8 * w};
                width = new int[] {w, w, w};
            }
            m.valueOverrides.put(List.of(39_000, 1), Double.NaN);
            m.valueOverrides.put(List.of(37_000, 2), Double.POSITIVE_INFINITY);
            m.valueOverrides.put(List.of(38_000, 2), Double.NEGATIVE_INFINITY);
            try (FcsFile f = open(m)) {
                FcsDataSet ds = f.dataSet(0);
                double[][] v;
                List<Problem> found;
                try (EventReader r = f.events(0, ValueKind.RAW)) {
                    v = new double[3][40_000];
                    EventBatch b;
                    while ((b = r.next()) != null) {
                        for (int p = 0; p < 3; p++) System.arraycopy(b.column(p), 0, v[p], (int) b.firstEvent(), b.size());
                    }
                    found = r.problems();
                }
                assertTrue(Double.isNaN(v[1][39_000]), l[0]);
                assertEquals(Double.POSITIVE_INFINITY, v[2][37_000], l[0]);
                assertEquals(Double.NEGATIVE_INFINITY, v[2][38_000], l[0]);
                assertEquals(FcsBytes.value(36_999, 2), v[2][36_999], l[0]);
                assertEquals(1, found.size(), l[0] + ": " + found);
                Problem p = found.get(0);
                assertEquals(FcsProblems.NON_FINITE_VALUE, p.code());
                assertEquals(Severity.WARNING, p.severity());
                assertTrue(p.message().startsWith("DATA holds 3 non-finite float values (NaN or infinity)"), p.message());
                assertTrue(p.message().contains("$P2 (P2-A) 1, $P3 (P3-A) 2; the first is $P3 (P3-A) of event 37,001"),
                        l[0] + ": " + p.message());
                int eb = width[0] + width[1] + width[2];
                assertEquals(ds.dataStart() + 37_000L * eb + width[0] + width[1], p.offset(), l[0]);
            }
        }
        // integers cannot hold NaN: an all-ones integer is a number
        FcsBytes ints = new FcsBytes();
        ints.datatype = "I";
        ints.bits = new int[] {32, 32, 32};
        ints.valueOverrides.put(List.of(1, 0), 4294967295.0);
        try (FcsFile f = open(ints); EventReader r = f.events(0, ValueKind.RAW)) {
            while (r.next() != null) { /* read all */ }
            assertEquals(List.of(), r.problems());
        }
    }

    /** Two fixed-width ($PnB 4) ASCII parameters of range 1024 holding {@code data}, 3 events. */
    private static FcsBytes asciiFixed(String data) {
        FcsBytes b = new FcsBytes();
        b.datatype = "A";
        b.bits = new int[] {4, 4};
        b.ranges = new String[] {"1024", "1024"};
        b.events = 3;
        b.dataOverride = data.getBytes(StandardCharsets.US_ASCII);
        return b;
    }

    /** A file of two delimited ASCII parameters ($PnB *) holding {@code data}; its TEXT and DATA as Latin-1. */
    private String asciiDelimited(String name, String data, int events) throws IOException {
        FcsBytes d = new FcsBytes();
        d.datatype = "A";
        d.bits = new int[] {0, 0};
        d.events = events;
        d.dataOverride = data.getBytes(StandardCharsets.US_ASCII);
        String s = new String(d.build(), StandardCharsets.ISO_8859_1).replace("$P1B/0/", "$P1B/*/")
                .replace("$P2B/0/", "$P2B/*/");
        Files.write(dir.resolve(name), s.getBytes(StandardCharsets.ISO_8859_1));
        return s;
    }

    @Test
    void asciiFixedAndDelimited() throws IOException {
        try (FcsFile f = open(asciiFixed("   1   2  11  12  21  22"))) {
            assertValues(f, 3);
        }
        asciiDelimited("delim.fcs", "1,2\n11 12\t21 22\r\n", 3);
        try (FcsFile f = FcsFile.open(dir.resolve("delim.fcs"))) {
            assertValues(f, 3);
        }
    }

    @Test
    void asciiValuesThatAreNotNumbersAreErrorsNamingTheEventAndTheByte() throws IOException {
        byte[] fixed = asciiFixed("   1   2  11 abc  21  22").build();
        int at = indexOf(fixed, " abc".getBytes(StandardCharsets.US_ASCII));
        Path p = dir.resolve("fixed-bad.fcs");
        Files.write(p, fixed);
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT)) {
            FcsFormatException ex = assertThrows(FcsFormatException.class, () -> readAll(f, 0, ValueKind.RAW));
            assertEquals(FcsProblems.ASCII_BAD_NUMBER, ex.problem().code());
            assertEquals(at, ex.problem().offset());
            assertTrue(ex.getMessage().contains("' abc' of $P2 (P2-A), event 2, is not a number"), ex.getMessage());
        }
        for (String bad : new String[] {"NaN", "Infinity", "1e999", "0x10", "12f", "1.2.3", "1e", "-"}) {
            String s = asciiDelimited("delim-bad.fcs", "1,2\n11 " + bad + "\t21 22\r\n", 3);
            int where = s.indexOf("11 " + bad) + 3;
            try (FcsFile f = FcsFile.open(dir.resolve("delim-bad.fcs"), FcsReadOptions.LENIENT)) {
                FcsFormatException ex = assertThrows(FcsFormatException.class, () -> readAll(f, 0, ValueKind.RAW), bad);
                assertEquals(where, ex.problem().offset(), bad);
                assertTrue(ex.getMessage().contains("'" + bad + "' of $P2 (P2-A), event 2"), ex.getMessage());
            }
        }
        asciiDelimited("delim-ok.fcs", "+1.5e2 -2\n.5 7.", 2);
        try (FcsFile f = FcsFile.open(dir.resolve("delim-ok.fcs"), FcsReadOptions.LENIENT)) {
            double[][] v = readAll(f, 0, ValueKind.RAW);
            assertArrayEquals(new double[] {150, 0.5}, v[0]);
            assertArrayEquals(new double[] {-2, 7}, v[1]);
        }
    }

    @Test
    void logAmplificationAppliesToAsciiChannelNumbers() throws IOException {
        Path p = asciiFixed("   1   2  11  12  21  22").write(dir, "ascii-log.fcs");
        String t = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).replace("$P2E/0,0/", "$P2E/4,1/");
        Files.write(p, t.getBytes(StandardCharsets.ISO_8859_1));
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT)) {
            assertTrue(f.dataSet(0).parameter(1).isLog());
            double[][] v = readAll(f, 0, ValueKind.SCALE);
            assertEquals(Math.pow(10, 4 * 12 / 1024.0), v[1][1], 1e-12);
            assertEquals(11, v[0][1], 0);
        }
    }

    @Test
    void scaleValues() throws IOException {
        FcsBytes c = new FcsBytes();
        c.datatype = "I";
        c.bits = new int[] {16, 16, 16};
        c.ranges = new String[] {"1024", "1024", "1024"};
        c.extra.add(new String[] {"$TIMESTEP", "0.01"});
        c.extra.add(new String[] {"$P3G", "4"});
        Path q = c.write(dir, "scale2.fcs");
        String t = new String(Files.readAllBytes(q), StandardCharsets.ISO_8859_1)
                .replace("$P1E/0,0/", "$P1E/4,0/").replace("$P2N/P2-A/", "$P2N/Time/");
        Files.write(q, t.getBytes(StandardCharsets.ISO_8859_1));
        try (FcsFile f = FcsFile.open(q)) {
            double[][] v = readAll(f, 0, ValueKind.SCALE);
            for (int e = 0; e < 4; e++) {
                assertEquals(Math.pow(10, 4 * FcsBytes.value(e, 0) / 1024), v[0][e], 1e-9);
                assertEquals(FcsBytes.value(e, 1) * 0.01, v[1][e], 1e-12);
                assertEquals(FcsBytes.value(e, 2) / 4, v[2][e], 1e-12);
            }
            // $P1E 4,0 is read as 4,1 and says so, once, naming the parameter
            List<Problem> notes = f.dataSet(0).problems().stream()
                    .filter(x -> x.code().equals(FcsProblems.LOG_OFFSET_ZERO)).toList();
            assertEquals(1, notes.size(), f.dataSet(0).problems()::toString);
            assertEquals(Severity.INFO, notes.get(0).severity());
            assertEquals("$P1E", notes.get(0).keyword());
        }
    }

    @Test
    void nextDataChainsDataSets() throws IOException {
        FcsBytes second = new FcsBytes();
        second.version = "FCS3.0";
        byte[] b2 = second.build();
        FcsBytes first = new FcsBytes();
        first.version = "FCS2.0";
        first.datatype = "I";
        first.bits = new int[] {16, 16};
        first.byteord = "1,2";
        byte[] probe = first.build();
        first.nextData = probe.length + 100;
        byte[] b1 = first.build();
        // $NEXTDATA's digits changed the length: recompute until stable
        while (first.nextData != b1.length + 100) {
            first.nextData = b1.length + 100;
            b1 = first.build();
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(b1);
        all.writeBytes(new byte[100]);
        all.writeBytes(b2);
        Path p = dir.resolve("chain.lmd");
        Files.write(p, all.toByteArray());
        try (FcsFile f = FcsFile.open(p)) {
            assertEquals(2, f.dataSets().size());
            assertEquals("FCS2.0", f.dataSet(0).version());
            assertEquals("FCS3.0", f.dataSet(1).version());
            assertEquals(2, f.dataSet(0).parameters().size());
            assertEquals(3, f.dataSet(1).parameters().size());
            double[][] v = readAll(f, 1, ValueKind.RAW);
            assertEquals(FcsBytes.value(3, 2), v[2][3]);
        }
    }

    /**
     * Offsets of a later data set near the largest long: base + offset wrapped round to a negative position, which
     * the reader then tried to read ("I/O error: Invalid argument", no location). Now they lie beyond the file.
     */
    @ParameterizedTest
    @ValueSource(strings = {"DATA", "ANALYSIS", "STEXT"})
    void offsetsOfALaterDataSetNearTheLargestLongStayOutsideTheFile(String segment) throws IOException {
        FcsBytes second = new FcsBytes();
        second.version = "FCS3.0";
        // base (the second HEADER's position, some 400 bytes) + these wrap round past the largest long
        second.overrides.put("$BEGIN" + segment, "9223372036854775700");
        second.overrides.put("$END" + segment, "9223372036854775800");
        byte[] b2 = second.build();
        // HEADER DATA offsets 0 (as for DATA beyond 99,999,999 bytes): the TEXT's are the ones used
        System.arraycopy(String.format("%8d%8d", 0, 0).getBytes(StandardCharsets.US_ASCII), 0, b2, 26, 16);
        FcsBytes first = new FcsBytes();
        first.version = "FCS3.0";
        first.nextData = first.build().length;
        byte[] b1 = first.build();
        while (first.nextData != b1.length) {
            first.nextData = b1.length;
            b1 = first.build();
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(b1);
        all.writeBytes(b2);
        Path p = dir.resolve("late-offsets.fcs");
        Files.write(p, all.toByteArray());
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT)) {
            for (int i = 0; i < f.dataSets().size(); i++) {
                // a wrapped sum made the DATA segment's length, and the event count, negative
                long events = f.dataSet(i).events();
                assertTrue(events >= 0 && events <= Files.size(p), "data set " + i + ": " + events + " events");
                try {
                    readAll(f, i, ValueKind.RAW);
                } catch (org.cikqc.common.CikqcException e) {
                    assertTrue(e.getMessage() != null && !e.getMessage().contains("Invalid argument"), e.getMessage());
                }
            }
            List<Problem> all2 = new java.util.ArrayList<>(f.dataSet(0).problems());
            if (f.dataSets().size() > 1) all2.addAll(f.dataSet(1).problems());
            assertTrue(all2.stream().anyMatch(x -> x.severity() != Severity.INFO), all2::toString);
        } catch (FcsFormatException e) {
            assertTrue(e.problem() != null && !e.getMessage().contains("Invalid argument"), e.getMessage());
        }
    }

    @Test
    void fatalDefectsGiveOneClearError() throws IOException {
        Path shortFile = dir.resolve("short.fcs");
        Files.write(shortFile, "FCS3.1    ".getBytes(StandardCharsets.US_ASCII));
        FcsFormatException e = assertThrows(FcsFormatException.class, () -> FcsFile.open(shortFile));
        assertEquals(FcsProblems.FILE_TOO_SHORT, e.problem().code());
        assertEquals(0, e.problem().offset());

        Path notFcs = dir.resolve("not.fcs");
        Files.write(notFcs, ("PK\u0003\u0004" + " ".repeat(100)).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(FcsProblems.BAD_VERSION, assertThrows(FcsFormatException.class, () -> FcsFile.open(notFcs))
                .problem().code());

        FcsBytes huge = new FcsBytes();
        byte[] bytes = huge.build();
        String s = new String(bytes, StandardCharsets.ISO_8859_1).replace("$PAR/3/", "$PAR/9/");
        Path par = dir.resolve("par.fcs");
        Files.write(par, s.getBytes(StandardCharsets.ISO_8859_1));
        FcsFormatException pe = assertThrows(FcsFormatException.class, () -> FcsFile.open(par));
        assertEquals(FcsProblems.MISSING_KEYWORD, pe.problem().code());
        assertEquals("$P4B", pe.problem().keyword());

        byte[] textPastEof = huge.build();
        System.arraycopy("   99999".getBytes(StandardCharsets.US_ASCII), 0, textPastEof, 18, 8);
        Path tp = dir.resolve("tp.fcs");
        Files.write(tp, textPastEof);
        FcsFormatException te = assertThrows(FcsFormatException.class, () -> FcsFile.open(tp));
        assertEquals(FcsProblems.TEXT_OUT_OF_FILE, te.problem().code());
        assertTrue(te.getMessage().contains("at byte 18"), te.getMessage());

        byte[] badOffset = huge.build();
        System.arraycopy("  12x456".getBytes(StandardCharsets.US_ASCII), 0, badOffset, 26, 8);
        Path bo = dir.resolve("bo.fcs");
        Files.write(bo, badOffset);
        assertEquals(FcsProblems.BAD_HEADER_OFFSET, assertThrows(FcsFormatException.class, () -> FcsFile.open(bo))
                .problem().code());
    }

    @Test
    void eventRangesAndBatchesCoverEveryEventOnce() throws IOException {
        FcsBytes b = new FcsBytes();
        b.events = 1000;
        Path p = b.write(dir, "big.fcs");
        try (FcsFile f = FcsFile.open(p, FcsReadOptions.LENIENT.withBatchSize(7))) {
            long seen = 0;
            try (EventReader r = f.events(0, ValueKind.RAW, 100, 900)) {
                EventBatch batch;
                while ((batch = r.next()) != null) {
                    assertTrue(batch.size() <= 7);
                    for (int i = 0; i < batch.size(); i++) {
                        assertEquals(FcsBytes.value((int) (batch.firstEvent() + i), 0), batch.column(0)[i]);
                    }
                    seen += batch.size();
                }
                assertNull(r.next());
            }
            assertEquals(800, seen);
        }
    }

    @Test
    void missingFileIsInputError() {
        org.cikqc.common.CikqcException e = assertThrows(org.cikqc.common.CikqcException.class,
                () -> FcsFile.open(dir.resolve("nope.fcs")));
        assertEquals(org.cikqc.common.CikqcException.Kind.INVALID_INPUT, e.kind());
    }
}
