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
 * dropped. A character the font lacks becomes its base letter without accents when the font has that ("ő" → "o"),
 * else '?' (the bundled faces have every symbol a result uses, so nothing needs spelling out). The result never makes the font throw,
 * so no text in a result can make rendering fail. Not thread-safe (it caches the font's answers).
 */
final class FontText {
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
        String base = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "");
        if (!base.isEmpty() && base.codePoints().allMatch(this::canShow)) {
            sb.append(base);
            return;
        }
        sb.append('?');
    }
}
