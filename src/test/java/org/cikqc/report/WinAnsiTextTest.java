package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.pdfbox.pdmodel.font.PDFont;
import org.junit.jupiter.api.Test;

class WinAnsiTextTest {
    @Test
    void knownSymbolsGetReadableSpellings() {
        assertEquals(">= 80 %", WinAnsiText.sanitize("≥ 80 %"));
        assertEquals("-10^4 <= x", WinAnsiText.sanitize("−10⁴ ≤ x"));
        assertEquals("alpha/beta Delta", WinAnsiText.sanitize("α/β Δ"));
        assertEquals("µ ± × ° é ü ß € “q” – —", WinAnsiText.sanitize("μ ± × ° é ü ß € “q” – —"));
        assertEquals("o z C", WinAnsiText.sanitize("ő ż Ć"));
        assertEquals("a b c", WinAnsiText.sanitize("a\tb\nc"));
        assertEquals("? ?", WinAnsiText.sanitize("日 😀"));
        assertEquals("", WinAnsiText.sanitize(null));
    }

    @Test
    void everyBmpCharacterBecomesEncodableByTheStandardFonts() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int cp = 0; cp < 0x10000; cp++) {
            if (Character.isSurrogate((char) cp)) continue;
            all.appendCodePoint(cp);
        }
        all.appendCodePoint(0x1F600);
        String s = WinAnsiText.sanitize(all.toString());
        for (PDFont f : new PDFont[] {PdfPages.REGULAR, PdfPages.BOLD, PdfPages.OBLIQUE, PdfPages.MONO}) {
            f.encode(s); // throws IllegalArgumentException on any unencodable character
            f.getStringWidth(s);
        }
    }
}
