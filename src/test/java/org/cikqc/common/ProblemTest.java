package org.cikqc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void aLongMessageKeepsItsStartAndItsEnd() {
        String name = "y".repeat(1_000_000);
        String message = "$P1N '" + name + "' is too long";
        Problem p = Problem.at("CODE", Severity.ERROR, 77, message);
        assertTrue(p.message().length() <= Problem.MAX_MESSAGE + 40, String.valueOf(p.message().length()));
        assertTrue(p.message().startsWith("$P1N 'yyy"), p.message());
        assertTrue(p.message().endsWith("yyy' is too long"), p.message());
        assertTrue(p.message().contains("[… " + (message.length() - Problem.MAX_MESSAGE) + " characters left out …]"),
                p.message());
        assertTrue(p.describe().endsWith("is too long (at byte 77)"), p.describe());
        Problem k = Problem.keyword("CODE", Severity.WARNING, "$" + name, "x");
        assertTrue(k.keyword().length() < 250, String.valueOf(k.keyword().length()));
    }

    @Test
    void aShortMessageIsKeptAsItIs() {
        String m = "z".repeat(Problem.MAX_MESSAGE);
        assertSame(m, Problem.bounded(m, Problem.MAX_MESSAGE));
        assertEquals(m, Problem.at("C", Severity.INFO, -1, m).message());
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String s = "\uD83D\uDE00".repeat(2_000);
        String b = Problem.bounded(s, 1_000);
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (Character.isHighSurrogate(c)) assertTrue(Character.isLowSurrogate(b.charAt(i + 1)), "at " + i);
            if (Character.isLowSurrogate(c)) assertTrue(i > 0 && Character.isHighSurrogate(b.charAt(i - 1)), "at " + i);
        }
    }
}
