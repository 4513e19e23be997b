package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void unknownOptionIsUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"--no-such-option"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(2, code);
        assertTrue(err.toString().contains("cikqc:"), err.toString());
    }

    @Test
    void versionPrints() {
        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"--version"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(0, code);
        assertTrue(out.toString().startsWith("cikqc "), out.toString());
    }
}
