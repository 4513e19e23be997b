package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.cikqc.plot.PlotFonts;
import org.junit.jupiter.api.Test;

class FontTextTest {
    private static FontText dejaVu(PDDocument doc) throws Exception {
        try (InputStream in = PlotFonts.REGULAR_FACE.open()) {
            return new FontText(PDType0Font.load(doc, in, true));
        }
    }

    @Test
    void symbolsTheFaceHasPrintAsThemselves() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            FontText t = dejaVu(doc);
            assertEquals("≥ 80 % − 10⁴ ≤ x", t.showable("≥ 80 % − 10⁴ ≤ x"));
            String symbols = "IFN-γ α/β Δ µ μ ± × ° é ü ß € “q” – — ő ż Ć";
            assertEquals(symbols, t.showable(symbols));
            assertEquals("é", t.showable("e\u0301"), "composed (NFC) so the accent sits on its letter");
        }
    }

    @Test
    void controlsBecomeSpacesInvisibleCharactersGoAndMissingGlyphsDegrade() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            FontText t = dejaVu(doc);
            assertEquals("a b c d", t.showable("a\tb\nc\u2028d"));
            assertEquals("softhyphen", t.showable("soft\u00ADhy\u200Bphen\uFEFF"));
            assertFalse(t.canShow(0x65E5));
            assertEquals("? ?", t.showable("日 \uD800"), "a glyph the face lacks, a lone surrogate");
            assertEquals("", t.showable(null));
        }
    }

    @Test
    void everyCharacterBecomesShowable() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int cp = 0; cp < 0x10000; cp++) all.appendCodePoint(cp); // lone surrogates included
        all.appendCodePoint(0x1F600).appendCodePoint(0x20000);
        try (PDDocument doc = new PDDocument()) {
            FontText t = dejaVu(doc);
            String s = t.showable(all.toString());
            t.font().encode(s); // throws IllegalArgumentException on any character without a glyph
            assertTrue(t.font().getStringWidth(s) > 0);
        }
    }
}
