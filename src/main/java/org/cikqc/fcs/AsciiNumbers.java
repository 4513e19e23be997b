package org.cikqc.fcs;

/** Parses ASCII numbers ($DATATYPE A) without allocating for the common integer case. */
final class AsciiNumbers {
    private AsciiNumbers() { }

    /** Parses {@code src[o..o+w)}, ignoring surrounding blanks; NaN when it is not a number. */
    static double parse(byte[] src, int o, int w) {
        int s = o;
        int e = o + w;
        while (s < e && isBlank(src[s])) s++;
        while (e > s && isBlank(src[e - 1])) e--;
        if (s == e) return Double.NaN;
        boolean neg = false;
        int i = s;
        if (src[i] == '-' || src[i] == '+') { neg = src[i] == '-'; i++; }
        long v = 0;
        boolean digits = false;
        for (; i < e; i++) {
            int c = src[i] - '0';
            if (c < 0 || c > 9 || v > 99_999_999_999_999L) break;
            v = v * 10 + c;
            digits = true;
        }
        if (i == e && digits) return neg ? -v : v;
        try {
            return Double.parseDouble(new String(src, s, e - s, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException ex) {
            return Double.NaN;
        }
    }

    static boolean isBlank(byte b) { return b == ' ' || b == '\t' || b == 0 || b == '\r' || b == '\n'; }

    /** Delimiters between values of delimited ASCII data (FCS: blank, tab, comma, CR, LF). */
    static boolean isSeparator(byte b) { return isBlank(b) || b == ','; }
}
