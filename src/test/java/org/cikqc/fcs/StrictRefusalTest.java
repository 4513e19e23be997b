package org.cikqc.fcs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.junit.jupiter.api.Test;

class StrictRefusalTest {

    /** A strict reading refuses the file: the message must not say the defect was "ignored" as a lenient read does. */
    @Test
    void theLenientRepairIsDroppedAndTheRefusalSaid() {
        Problem stray = Problem.at("TEXT_STRAY_DELIMITER", Severity.WARNING, 2959,
                "1 stray delimiter(s) at the end of a TEXT value; ignored");
        Problem r = FcsFile.strictRefusal(stray);
        assertEquals("refused by strict reading: 1 stray delimiter(s) at the end of a TEXT value", r.message());
        assertEquals(2959, r.offset());
        assertEquals("TEXT_STRAY_DELIMITER", r.code());
        Problem matrix = Problem.keyword("SPILLOVER_MALFORMED", Severity.WARNING, "$SPILLOVER",
                "$SPILLOVER: expected 36 coefficients for 6 channels, found 0; matrix ignored");
        assertEquals("refused by strict reading: $SPILLOVER: expected 36 coefficients for 6 channels, found 0",
                FcsFile.strictRefusal(matrix).message());
        Problem other = Problem.at("X", Severity.WARNING, 1, "$PnE '1,0' is malformed; read as 0,0");
        assertEquals("refused by strict reading: $PnE '1,0' is malformed; read as 0,0",
                FcsFile.strictRefusal(other).message());
    }
}
