package org.cikqc.fcs;

/** Parses ASCII numbers ($DATATYPE A) without allocating for the common integer case. */
final class AsciiNumbers {
    private AsciiNumbers() { }

    /**
     * Parses {@code src[o..o+w)}, ignoring surrounding blanks; NaN when it is not a finite number (blank, text,
     * "NaN", "Infinity" or an overflow such as 1e999).
     */
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
            String t = new String(src, s, e - s, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!isDecimal(t)) return Double.NaN;
            double d = Double.parseDouble(t);
            return Double.isInfinite(d) ? Double.NaN : d;
        } catch (NumberFormatException ex) {
            return Double.NaN;
        }
    }

    /** A plain decimal: optional sign, digits with at most one point, optional exponent (no hex, no d/f suffix). */
    private static boolean isDecimal(String t) {
        int i = 0;
        int n = t.length();
        if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
        int digits = 0;
        boolean point = false;
        for (; i < n; i++) {
            char ch = t.charAt(i);
            if (ch >= '0' && ch <= '9') digits++;
            else if (ch == '.' && !point) point = true;
            else break;
        }
        if (digits == 0) return false;
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
            int exp = 0;
            for (; i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9'; i++) exp++;
            if (exp == 0) return false;
        }
        return i == n;
    }

    static boolean isBlank(byte b) { return b == ' ' || b == '\t' || b == 0 || b == '\r' || b == '\n'; }

    /** Delimiters between values of delimited ASCII data (FCS: blank, tab, comma, CR, LF). */
    static boolean isSeparator(byte b) { return isBlank(b) || b == ','; }
}
