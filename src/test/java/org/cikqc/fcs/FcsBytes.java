package org.cikqc.fcs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test builder that writes FCS bytes by hand, so that a test can introduce exactly one chosen defect.
 * Defaults: FCS3.1, delimiter '/', 3 float32 little-endian parameters, 4 events with value = event*10 + parameter.
 */
final class FcsBytes {
    String version = "FCS3.1";
    byte delimiter = '/';
    String datatype = "F";
    String byteord = "1,2,3,4";
    int[] bits = {32, 32, 32};
    String[] ranges = {"1024", "1024", "1024"};
    String[] pnDatatype;   // FCS 3.2 per-parameter types (null = none)
    int events = 4;
    /** extra raw keyword/value text appended verbatim (already delimited, without the leading delimiter). */
    List<String[]> extra = new ArrayList<>();
    /** raw TEXT override: when set, used verbatim (with delimiters), offsets still appended unless noOffsets. */
    byte[] dataOverride;
    // defects
    boolean headerDataBlank;
    long headerDataStartDelta;     // add to HEADER data start
    long headerDataEndDelta;       // add to HEADER data end
    long textDataStartDelta;       // add to $BEGINDATA
    long textDataEndDelta;         // add to $ENDDATA
    String totOverride;
    int truncateBytes;
    int textPadding;
    boolean lastValueUnterminated;
    boolean supplementalPointsAtPrimary;
    String crc = "00000000";
    boolean omitOffsetKeywords;
    long nextData;
    List<byte[]> rawTextPieces = new ArrayList<>();
    /** values replacing {@link #value} for chosen {event, parameter} pairs (e.g. a NaN written into float DATA). */
    java.util.Map<java.util.List<Integer>, Double> valueOverrides = new java.util.HashMap<>();
    /** keyword values replacing the generated ones (a null value leaves the keyword out). */
    java.util.Map<String, String> overrides = new java.util.HashMap<>();

    /** Value of event e, parameter p. */
    static double value(int e, int p) { return e * 10 + p + 1; }

    byte[] build() throws IOException {
        int np = bits.length;
        byte[] data = dataOverride != null ? dataOverride : data(np);
        long textStart = 58;
        byte[] text = text(np, 0, 0);
        long dataStart = textStart + text.length;
        for (int i = 0; i < 4; i++) {
            text = text(np, dataStart, dataStart + data.length - 1);
            long ds = textStart + text.length;
            if (ds == dataStart) break;
            dataStart = ds;
        }
        long textEnd = textStart + text.length - 1;
        long dataEnd = dataStart + data.length - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String hds = headerDataBlank ? "        " : pad(dataStart + headerDataStartDelta);
        String hde = headerDataBlank ? "        " : pad(dataEnd + headerDataEndDelta);
        out.write((version + "    " + pad(textStart) + pad(textEnd) + hds + hde + pad(0) + pad(0))
                .getBytes(StandardCharsets.US_ASCII));
        out.write(text);
        out.write(data);
        out.write(crc.getBytes(StandardCharsets.US_ASCII));
        byte[] all = out.toByteArray();
        if (truncateBytes > 0) all = java.util.Arrays.copyOf(all, all.length - truncateBytes);
        return all;
    }

    Path write(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, build());
        return p;
    }

    private byte[] data(int np) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        // 3,4,1,2 (PDP-11): 32-bit values as two 16-bit words, most significant first, each less significant byte
        // first; narrower and wider values take that little-endian pair order
        boolean le = byteord.startsWith("1") || byteord.equals("3,4,1,2");
        for (int e = 0; e < events; e++) {
            for (int p = 0; p < np; p++) {
                String t = pnDatatype != null ? pnDatatype[p] : datatype;
                double v = valueOverrides.getOrDefault(java.util.List.of(e, p), value(e, p));
                long bitsV;
                int w;
                switch (t) {
                    case "F" -> { bitsV = Float.floatToRawIntBits((float) v) & 0xFFFFFFFFL; w = 4; }
                    case "D" -> { bitsV = Double.doubleToRawLongBits(v); w = 8; }
                    default -> { bitsV = (long) v; w = (bits[p] + 7) / 8; }
                }
                if (byteord.equals("3,4,1,2") && w == 4) {
                    int[] ord = {2, 3, 0, 1};
                    for (int k = 0; k < 4; k++) b.write((int) (bitsV >>> (8 * ord[k])));
                } else {
                    for (int k = 0; k < w; k++) b.write((int) (bitsV >>> (8 * (le ? k : w - 1 - k))));
                }
            }
        }
        return b.toByteArray();
    }

    private byte[] text(int np, long ds, long de) {
        String d = new String(new byte[] {delimiter}, StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        List<String[]> kv = new ArrayList<>();
        if (!omitOffsetKeywords) {
            kv.add(new String[] {"$BEGINANALYSIS", "0"});
            kv.add(new String[] {"$ENDANALYSIS", "0"});
            kv.add(new String[] {"$BEGINSTEXT", supplementalPointsAtPrimary ? "58" : "0"});
            kv.add(new String[] {"$ENDSTEXT", supplementalPointsAtPrimary ? "100" : "0"});
            kv.add(new String[] {"$BEGINDATA", Long.toString(ds + textDataStartDelta)});
            kv.add(new String[] {"$ENDDATA", Long.toString(de + textDataEndDelta)});
        }
        kv.add(new String[] {"$BYTEORD", byteord});
        kv.add(new String[] {"$DATATYPE", datatype});
        kv.add(new String[] {"$MODE", "L"});
        kv.add(new String[] {"$NEXTDATA", Long.toString(nextData)});
        kv.add(new String[] {"$PAR", Integer.toString(np)});
        kv.add(new String[] {"$TOT", totOverride != null ? totOverride : Integer.toString(events)});
        for (int p = 0; p < np; p++) {
            int n = p + 1;
            kv.add(new String[] {"$P" + n + "N", "P" + n + "-A"});
            kv.add(new String[] {"$P" + n + "B", Integer.toString(bits[p])});
            kv.add(new String[] {"$P" + n + "E", "0,0"});
            kv.add(new String[] {"$P" + n + "R", ranges[p]});
            if (pnDatatype != null) kv.add(new String[] {"$P" + n + "DATATYPE", pnDatatype[p]});
        }
        kv.addAll(extra);
        kv.removeIf(e -> overrides.containsKey(e[0]) && overrides.get(e[0]) == null);
        for (String[] e : kv) if (overrides.get(e[0]) != null) e[1] = overrides.get(e[0]);
        sb.append(d);
        for (int i = 0; i < kv.size(); i++) {
            String[] e = kv.get(i);
            sb.append(e[0]).append(d).append(e[1]);
            if (!(lastValueUnterminated && i == kv.size() - 1)) sb.append(d);
        }
        byte[] base = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(base);
        for (byte[] piece : rawTextPieces) o.writeBytes(piece);
        for (int i = 0; i < textPadding; i++) o.write(' ');
        return o.toByteArray();
    }

    private static String pad(long v) {
        String s = Long.toString(v);
        return " ".repeat(Math.max(0, 8 - s.length())) + s;
    }
}
