package org.cikqc.report;

import java.text.Normalizer;
import java.util.Map;

/**
 * Makes any text printable with the PDF standard 14 fonts (Helvetica, Courier), which encode only WinAnsi
 * (CP-1252). Known symbols get readable ASCII spellings ("≥" → ">=", "−" → "-", "α" → "alpha", "10⁴" → "10^4"),
 * accented letters outside CP-1252 lose their accent ("ő" → "o"), line breaks and controls become spaces, and
 * anything else becomes '?'. The result never makes a standard-14 font throw.
 */
public final class WinAnsiText {
    /** The CP-1252 characters in 0x80..0x9F (as Unicode), all present in the standard 14 fonts. */
    private static final String CP1252_EXTRAS = "\u20AC\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160"
            + "\u2039\u0152\u017D\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u017E\u0178";

    private static final Map<Integer, String> SPELLING = Map.ofEntries(
            Map.entry(0x2265, ">="), Map.entry(0x2264, "<="), Map.entry(0x2260, "!="), Map.entry(0x2212, "-"),
            Map.entry(0x2248, "~"), Map.entry(0x221E, "inf"), Map.entry(0x221A, "sqrt"), Map.entry(0x2192, "->"),
            Map.entry(0x2190, "<-"), Map.entry(0x21D2, "=>"), Map.entry(0x2194, "<->"), Map.entry(0x2010, "-"),
            Map.entry(0x2011, "-"), Map.entry(0x2012, "-"), Map.entry(0x2015, "-"), Map.entry(0x2032, "'"),
            Map.entry(0x2033, "\""), Map.entry(0x2044, "/"), Map.entry(0x2215, "/"), Map.entry(0x2217, "*"),
            Map.entry(0x22C5, "*"), Map.entry(0x2219, "*"), Map.entry(0x2713, "OK"), Map.entry(0x2714, "OK"),
            Map.entry(0x2717, "X"), Map.entry(0x2718, "X"), Map.entry(0x00A0, " "), Map.entry(0x202F, " "),
            Map.entry(0x2009, " "), Map.entry(0x2007, " "), Map.entry(0x2002, " "), Map.entry(0x2003, " "),
            Map.entry(0x00AD, ""), Map.entry(0x200B, ""), Map.entry(0xFEFF, ""), Map.entry(0x2070, "^0"),
            Map.entry(0x2074, "^4"), Map.entry(0x2075, "^5"), Map.entry(0x2076, "^6"), Map.entry(0x2077, "^7"),
            Map.entry(0x2078, "^8"), Map.entry(0x2079, "^9"), Map.entry(0x207A, "+"), Map.entry(0x207B, "-"),
            Map.entry(0x03BC, "\u00B5"), Map.entry(0x2103, "\u00B0C"), Map.entry(0x2116, "No."),
            Map.entry(0x03B1, "alpha"), Map.entry(0x03B2, "beta"), Map.entry(0x03B3, "gamma"),
            Map.entry(0x03B4, "delta"), Map.entry(0x03B5, "epsilon"), Map.entry(0x03B6, "zeta"),
            Map.entry(0x03B7, "eta"), Map.entry(0x03B8, "theta"), Map.entry(0x03B9, "iota"),
            Map.entry(0x03BA, "kappa"), Map.entry(0x03BB, "lambda"), Map.entry(0x03BD, "nu"), Map.entry(0x03BE, "xi"),
            Map.entry(0x03C0, "pi"), Map.entry(0x03C1, "rho"), Map.entry(0x03C3, "sigma"), Map.entry(0x03C2, "sigma"),
            Map.entry(0x03C4, "tau"), Map.entry(0x03C5, "upsilon"), Map.entry(0x03C6, "phi"),
            Map.entry(0x03C7, "chi"), Map.entry(0x03C8, "psi"), Map.entry(0x03C9, "omega"),
            Map.entry(0x0393, "Gamma"), Map.entry(0x0394, "Delta"), Map.entry(0x0398, "Theta"),
            Map.entry(0x039B, "Lambda"), Map.entry(0x03A0, "Pi"), Map.entry(0x03A3, "Sigma"), Map.entry(0x03A6, "Phi"),
            Map.entry(0x03A8, "Psi"), Map.entry(0x03A9, "Omega"));

    private WinAnsiText() { }

    /** True when the standard 14 fonts can show {@code cp} as is. */
    public static boolean encodable(int cp) {
        return (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD)
                || (cp < 0x10000 && CP1252_EXTRAS.indexOf(cp) >= 0);
    }

    /** The text made printable (see the class description); null becomes "". */
    public static String sanitize(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> append(sb, cp));
        return sb.toString();
    }

    private static void append(StringBuilder sb, int cp) {
        if (encodable(cp)) {
            sb.appendCodePoint(cp);
            return;
        }
        String spelled = SPELLING.get(cp);
        if (spelled != null) {
            sb.append(spelled);
            return;
        }
        if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
            sb.append(' ');
            return;
        }
        if (cp >= 0x2080 && cp <= 0x2089) { // subscript digits
            sb.append((char) ('0' + cp - 0x2080));
            return;
        }
        String base = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "");
        if (!base.isEmpty() && base.codePoints().allMatch(WinAnsiText::encodable)) {
            sb.append(base);
            return;
        }
        sb.append('?');
    }
}
