package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

class ResultViewTest {
    /** Reads decimals as written, as result.json is read ("80.0000" keeps its scale). */
    private static final ObjectMapper DECIMALS = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private static String limit(String json) throws Exception {
        return ResultView.limitText(DECIMALS.readTree(json));
    }

    @Test
    void limitsPrintAsTheSpecWritesThemWithTheReasonsSigns() throws Exception {
        assertEquals("≥ 80", limit("{\"op\": \">=\", \"value\": 80.0000}"));
        assertEquals("≥ 80", limit("{\"op\": \">=\", \"value\": 80}"));
        assertEquals("≤ 30.5", limit("{\"op\": \"<=\", \"value\": 30.5000}"));
        assertEquals("≥ 0.05", limit("{\"op\": \">=\", \"value\": 0.0500}"));
        assertEquals("≥ 20,000", limit("{\"op\": \">=\", \"value\": 20000}"), "counts as the value column prints them");
        assertEquals("≥ 20,000", limit("{\"op\": \">=\", \"value\": 2.0E4}"));
        assertEquals("1.5 to 3", limit("{\"min\": 1.50, \"max\": 3.0}"));
        assertEquals("≤ 0", limit("{\"max\": 0.0000}"));
        assertEquals("80", limit("80.0000"));
        assertEquals("≥ 80 %", limit("\"≥ 80 %\""), "text as written");
        assertNull(limit("null"));
        assertEquals("~= 3", limit("{\"op\": \"~=\", \"value\": 3}"), "an operator it does not know: as written");
        assertEquals("≥ 80", ResultView.limitText(new ObjectMapper().readTree("{\"op\": \">=\", \"value\": 80.0}")));
    }

    @Test
    void instrumentQcRecordIsOneLine() throws Exception {
        JsonNode r = DECIMALS.readTree("{\"sample\": {\"instrumentQc\": {\"CST BEADS EXPIRED\": \"True\", "
                + "\"CST BEADS LOT ID\": \"45123\", \"CST SETUP DATE\": \"11/21/2026 07:58:03 AM\", "
                + "\"CST SETUP STATUS\": \"SUCCESS\"}}}");
        assertEquals("CST SUCCESS, setup 11/21/2026 07:58:03 AM, beads lot 45123, beads expired",
                new ResultView(r).instrumentQc());
        JsonNode partial = DECIMALS.readTree("{\"sample\": {\"instrumentQc\": {\"CST BEADS EXPIRED\": \"False\"}}}");
        assertEquals("CST status not recorded", new ResultView(partial).instrumentQc());
        assertNull(new ResultView(DECIMALS.readTree("{\"sample\": {}}")).instrumentQc());
    }

    @Test
    void inputsAsResultJsonKeysThemByPathOrAsAList() throws Exception {
        JsonNode byPath = DECIMALS.readTree("{\"provenance\": {\"inputs\": {\"/data/run 7/tube1.fcs\": \"ab12\", "
                + "\"/data/spec.json\": \"cd34\"}}}");
        List<JsonNode> in = new ResultView(byPath).inputs();
        assertEquals(2, in.size());
        assertEquals("/data/run 7/tube1.fcs", in.get(0).path("file").asText());
        assertEquals("ab12", in.get(0).path("sha256").asText());
        assertEquals("/data/spec.json", in.get(1).path("file").asText());
        JsonNode list = DECIMALS.readTree("{\"provenance\": {\"inputs\": [{\"file\": \"a.fcs\", \"sha256\": \"ef\"}]}}");
        assertEquals("a.fcs", new ResultView(list).inputs().get(0).path("file").asText());
        assertEquals(List.of(), new ResultView(DECIMALS.readTree("{}")).inputs());
    }

    @Test
    void aPercentageIsRoundedAsTheFiguresRoundIt() throws Exception {
        // 3 of 4000 = 0.075 is 0.07499999… in binary: the figures print 0.08, and so must the dossier
        for (long[] kn : new long[][] {{3, 4000}, {1, 3}, {2, 3}, {7, 8000}, {12345, 23456}}) {
            JsonNode m = DECIMALS.readTree("{\"numerator\": " + kn[0] + ", \"denominator\": " + kn[1] + "}");
            String figure = String.format(java.util.Locale.ROOT, "%.2f", 100.0 * kn[0] / kn[1]);
            assertEquals(figure, ResultView.metricPercent(m, 2), kn[0] + "/" + kn[1]);
        }
    }

    @Test
    void decimalIsTheShortestExactForm() throws Exception {
        for (String[] c : new String[][] {{"80.0000", "80"}, {"80.5000", "80.5"}, {"-0.25", "-0.25"}, {"0.0000", "0"},
                {"999.9", "999.9"}, {"1000", "1,000"}, {"1234.5", "1234.5"}, {"123456789012", "123,456,789,012"}}) {
            JsonNode n = DECIMALS.readTree(c[0]);
            assertEquals(c[1], ResultView.decimal(n), c[0]);
        }
    }
}
