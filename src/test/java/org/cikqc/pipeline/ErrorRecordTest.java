package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorRecordTest {

    @Test
    void oneLineJoinsLinesAndBoundsTheLength() {
        assertEquals("a b c", ErrorRecord.oneLine(" a\r\nb\tc "));
        assertEquals("", ErrorRecord.oneLine(null));
        String m = ErrorRecord.oneLine("f.fcs: channel '" + "x".repeat(5_000_000) + "'\nis unknown (at byte 7)");
        assertTrue(m.length() < 2_100, String.valueOf(m.length()));
        assertTrue(m.startsWith("f.fcs: channel 'xxx") && m.endsWith("xxx' is unknown (at byte 7)"), m);
    }
}
