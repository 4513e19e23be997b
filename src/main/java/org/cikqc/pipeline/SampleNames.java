package org.cikqc.pipeline;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;

/** The output folder name of a sample: from $FIL, else the file name, made safe for every file system. */
public final class SampleNames {
    private SampleNames() { }

    private static final int MAX = 100;

    /** A safe name: letters, digits, '.', '-', '_' only; no leading dot; extension .fcs/.lmd dropped; never empty. */
    public static String of(String fil, Path file) {
        String base = fil != null && !fil.isBlank() ? fil.strip() : file.getFileName().toString();
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        if (slash >= 0) base = base.substring(slash + 1);
        String lower = base.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".fcs", ".lmd"}) {
            if (lower.endsWith(ext) && base.length() > ext.length()) base = base.substring(0, base.length() - ext.length());
        }
        String ascii = Normalizer.normalize(base, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        StringBuilder sb = new StringBuilder();
        for (char c : ascii.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                    || c == '_';
            sb.append(ok ? c : '_');
        }
        String s = sb.toString().replaceAll("_+", "_");
        while (s.startsWith(".")) s = s.substring(1);
        if (s.length() > MAX) s = s.substring(0, MAX);
        if (s.isEmpty() || s.equals("_")) s = "sample";
        String upper = s.toUpperCase(Locale.ROOT);
        if (upper.matches("(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\\..*)?")) s = "_" + s;
        return s;
    }
}
