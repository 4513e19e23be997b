package org.cikqc.fcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.common.Problem;
import org.junit.jupiter.api.Test;

class TextParserTest {

    /** Writes the pairs with {@code d} as the delimiter, doubling it inside keywords and values (FCS 3.x). */
    private static String write(char d, String... kv) {
        String e = String.valueOf(d);
        StringBuilder sb = new StringBuilder(e);
        for (String s : kv) sb.append(s.replace(e, e + e)).append(d);
        return sb.toString();
    }

    private static Map<String, String> parse(String text, List<Problem> problems) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        Map<String, String> m = new LinkedHashMap<>();
        for (Keywords.Entry e : TextParser.parse(b, b.length, 58, problems)) m.put(e.key(), e.value());
        return m;
    }

    private static final String[] PAIRS = {"$BYTEORD", "1,2,3,4", "$DATATYPE", "F", "$MODE", "L", "$PAR", "1",
            "$P1N", "FSC-A", "$P1B", "32", "$P1E", "0,0", "$P1R", "262144", "$TOT", "3", "$CYT", "Excalibur",
            "APPLY COMPENSATION", "TRUE", "FSC ASF", "0.78", "$NEXTDATA", "0"};

    /**
     * Delimiters that begin or end a keyword or value here ('A' before "APPLY", '1' as the value of $PAR) are left
     * out: a doubled delimiter there is ambiguous in the standard itself.
     */
    @Test
    void escapedDelimitersInsideKeywordsReadTheSameWhateverTheDelimiter() {
        Map<String, String> slash = parse(write('/', PAIRS), new ArrayList<>());
        assertEquals(PAIRS.length / 2, slash.size(), slash::toString);
        for (char d : new char[] {'P', 'E', 'S', 'Z', ' ', '_', '|', '\\', ','}) {
            List<Problem> problems = new ArrayList<>();
            Map<String, String> m = parse(write(d, PAIRS), problems);
            assertEquals(slash, m, "delimiter '" + d + "': " + write(d, PAIRS));
            assertTrue(problems.isEmpty(), d + ": " + problems);
        }
    }

    @Test
    void emptyValuesWrittenAsDoubledPunctuationDelimitersStayEmpty() {
        // as five corpus files write them (FACSCalibur, FlowKit's data1.fcs)
        Map<String, String> a = parse("\\$DATE\\28-Aug-00\\Comments\\\\Row\\2\\$P3S\\\\$P4S\\\\&1Sample Vol\\200\\",
                new ArrayList<>());
        assertEquals("", a.get("Comments"));
        assertEquals("2", a.get("Row"));
        assertEquals("", a.get("$P3S"));
        assertEquals("", a.get("$P4S"));
        assertEquals("200", a.get("&1Sample Vol"));
        Map<String, String> b = parse("/$SRC//$CELLS/x/", new ArrayList<>());
        assertEquals(Map.of("$SRC", "", "$CELLS", "x"), b);
        // a letter delimiter: an empty standard keyword before a '$' one is still an empty value
        Map<String, String> c = parse("Q$SRCQQ$CELLSQxQ", new ArrayList<>());
        assertEquals(Map.of("$SRC", "", "$CELLS", "x"), c);
    }

    @Test
    void aPunctuationDelimiterInsideKeywordsThatWouldOtherwiseRepeatIsAnEscape() {
        // FlowJo's keywords of corpus file 100715 written with '/': the empty-value reading made "CD Gag" (and
        // "CD GAG", the same keyword) an empty keyword four times, and split off the rest as keywords of their own
        String[] pairs = {"$PAR", "2", "CD Gag/100 CD4 Cells", "12.5", "CD Gag/100 CM Cells", "3.1",
                "CD GAG/100 TM CELLS", "0.4", "$TOT", "3"};
        for (char d : new char[] {'/', '|', '\\'}) {
            String[] kv = pairs.clone();
            for (int i = 0; i < kv.length; i++) kv[i] = kv[i].replace('/', d);
            List<Problem> problems = new ArrayList<>();
            Map<String, String> m = parse(write(d, kv), problems);
            assertEquals(5, m.size(), d + ": " + m);
            assertEquals("3.1", m.get("CD Gag" + d + "100 CM Cells"), m::toString);
            assertTrue(problems.isEmpty(), d + ": " + problems);
        }
        // once only, it stays the empty-value reading real files need
        Map<String, String> once = parse("/$PAR/2/Comments//Row/2/", new ArrayList<>());
        assertEquals(Map.of("$PAR", "2", "Comments", "", "Row", "2"), once);
    }

    @Test
    void anOddRunAfterAStandardKeywordOpensAValueThatStartsWithTheDelimiter() {
        // 'E' as the delimiter: "$CYT" then "Excalibur" (its E doubled), and "$DATATYPE" (its E doubled) then "F"
        Map<String, String> m = parse("E$CYTEEExcaliburE$DATATYPEEEFE", new ArrayList<>());
        assertEquals("Excalibur", m.get("$CYT"), m::toString);
        assertEquals("F", m.get("$DATATYPE"), m::toString);
    }

    @Test
    void standardKeywordNames() {
        for (String k : new String[] {"$DATATYPE", "$p12n", "$P3DATATYPE", "$SPILLOVER", "$DFC1TO2", "$G1E", "$CSV2FLAG"}) {
            assertTrue(TextParser.isStandardKeyword(k), k);
        }
        for (String k : new String[] {"$DATATY", "$P", "$PNN", "APPLY", "$CYTE", "$P1"}) {
            assertTrue(!TextParser.isStandardKeyword(k), k);
        }
    }
}
