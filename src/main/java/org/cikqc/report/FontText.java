package org.cikqc.report;

import java.io.IOException;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * Text made showable in one font of a PDF. Characters the font has print as themselves (the dossier's DejaVu Sans
 * covers Latin, Greek, Cyrillic and the usual symbols: ≥, ±, µ, γ, 10⁴ …). Line breaks, tabs and other
 * controls become spaces and invisible format characters (soft hyphen, zero-width space, byte order mark) are
 * dropped. A character the font lacks gets a readable spelling when the font can show that ("≥" → ">=",
 * "α" → "alpha"), else its base letter without accents ("ő" → "o"), else '?'. The result never makes the font throw,
 * so no text in a result can make rendering fail. Not thread-safe (it caches the font's answers).
 */
final class FontText {
    private static final Map<Integer, String> SPELLING = Map.ofEntries(
            Map.entry(0x2265, ">="), Map.entry(0x2264, "<="), Map.entry(0x2260, "!="), Map.entry(0x2212, "-"),
            Map.entry(0x2248, "~"), Map.entry(0x221E, "inf"), Map.entry(0x221A, "sqrt"), Map.entry(0x2192, "->"),
            Map.entry(0x2190, "<-"), Map.entry(0x21D2, "=>"), Map.entry(0x2194, "<->"), Map.entry(0x2010, "-"),
            Map.entry(0x2011, "-"), Map.entry(0x2012, "-"), Map.entry(0x2015, "-"), Map.entry(0x2032, "'"),
            Map.entry(0x2033, "\""), Map.entry(0x2044, "/"), Map.entry(0x2215, "/"), Map.entry(0x2217, "*"),
            Map.entry(0x22C5, "*"), Map.entry(0x2219, "*"), Map.entry(0x2713, "OK"), Map.entry(0x2714, "OK"),
            Map.entry(0x2717, "X"), Map.entry(0x2718, "X"), Map.entry(0x00A0, " "), Map.entry(0x202F, " "),
            Map.entry(0x2007, " "), Map.entry(0x2070, "^0"), Map.entry(0x2074, "^4"), Map.entry(0x2075, "^5"),
            Map.entry(0x2076, "^6"), Map.entry(0x2077, "^7"), Map.entry(0x2078, "^8"), Map.entry(0x2079, "^9"),
            Map.entry(0x207A, "+"), Map.entry(0x207B, "-"), Map.entry(0x03BC, "\u00B5"), Map.entry(0x2103, "\u00B0C"),
            Map.entry(0x2116, "No."),
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

    private final PDFont font;
    private final Map<Integer, Boolean> glyphs = new HashMap<>();

    FontText(PDFont font) {
        this.font = font;
    }

    PDFont font() { return font; }

    /** True when the font has a glyph for {@code cp}. */
    boolean canShow(int cp) {
        return glyphs.computeIfAbsent(cp, c -> {
            try {
                font.encode(new String(Character.toChars(c)));
                return true;
            } catch (IllegalArgumentException | IOException e) {
                return false;
            }
        });
    }

    /** The text made showable (see the class description); null becomes "". */
    String showable(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        Normalizer.normalize(s, Normalizer.Form.NFC).codePoints().forEach(cp -> append(sb, cp));
        return sb.toString();
    }

    private void append(StringBuilder sb, int cp) {
        if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
            sb.append(' ');
            return;
        }
        if (Character.getType(cp) == Character.FORMAT) return;
        if (canShow(cp)) {
            sb.appendCodePoint(cp);
            return;
        }
        String spelled = SPELLING.get(cp);
        if (spelled != null && spelled.codePoints().allMatch(this::canShow)) {
            sb.append(spelled);
            return;
        }
        if (cp >= 0x2080 && cp <= 0x2089 && canShow('0')) { // subscript digits
            sb.append((char) ('0' + cp - 0x2080));
            return;
        }
        String base = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "");
        if (!base.isEmpty() && base.codePoints().allMatch(this::canShow)) {
            sb.append(base);
            return;
        }
        sb.append('?');
    }
}
