package org.cikqc.fcs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;

/**
 * Writes one FCS 3.1 data set (3.2 when parameters mix data types) streaming, in bounded memory, atomically
 * (a temp file renamed into place on {@link #close()}). Offsets are computed so that files larger than
 * 99,999,999 bytes carry 0 in the HEADER and the real offsets in $BEGINDATA/$ENDDATA.
 *
 * <p>Keywords given by the caller are written verbatim in their order; the writer sets the segment offsets,
 * $TOT, $PAR, $MODE and, when absent or inconsistent with the parameter definitions, $DATATYPE, $BYTEORD and the
 * $PnN/$PnB/$PnR/$PnE/$PnG/$PnS/$PnDATATYPE keywords; a $TIMESTEP that is not a usable time step is left out.
 * Integer parameters are stored in ceil($PnB/8) bytes.
 * Empty keyword values are written as a single space (FCS 3.1 forbids empty values).
 */
public final class FcsWriter implements AutoCloseable {

    private static final Pattern PN_KEY = Pattern.compile("\\$P(\\d+)(N|B|R|E|G|S|DATATYPE)", Pattern.CASE_INSENSITIVE);
    private static final List<String> COMPUTED = List.of("$BEGINANALYSIS", "$ENDANALYSIS", "$BEGINSTEXT",
            "$ENDSTEXT", "$BEGINDATA", "$ENDDATA", "$NEXTDATA", "$TOT", "$PAR", "$MODE");

    private final Path target;
    private final Path tmp;
    private final FileChannel ch;
    private final List<FcsParameter> params;
    private final long events;
    private final int[] order;
    private final boolean little;
    private final boolean big;
    private final int eventBytes;
    private final int[] widths;
    private final char[] types;
    private final long dataStart;
    private final long dataEnd;
    private long written;
    private boolean closed;
    private ByteBuffer buf;

    private FcsWriter(Path target, Path tmp, FileChannel ch, List<FcsParameter> params, long events, int[] order,
                      long dataStart, long dataEnd, int eventBytes) {
        this.target = target;
        this.tmp = tmp;
        this.ch = ch;
        this.params = params;
        this.events = events;
        this.order = order;
        this.dataStart = dataStart;
        this.dataEnd = dataEnd;
        this.eventBytes = eventBytes;
        boolean le = true;
        boolean be = true;
        for (int i = 0; i < order.length; i++) {
            le &= order[i] == i;
            be &= order[i] == order.length - 1 - i;
        }
        this.little = le;
        this.big = be;
        this.widths = new int[params.size()];
        this.types = new char[params.size()];
        for (int p = 0; p < params.size(); p++) {
            FcsParameter fp = params.get(p);
            types[p] = fp.datatype();
            widths[p] = switch (fp.datatype()) {
                case 'F' -> 4;
                case 'D' -> 8;
                default -> DataLayout.storageBytes(fp.bits());
            };
        }
    }

    /**
     * Creates {@code target} (written to a temp file until {@link #close()}) for {@code events} events of
     * {@code params} with the extra {@code keywords}. Byte order: the keywords' $BYTEORD when given, else little-endian.
     */
    public static FcsWriter create(Path target, List<FcsParameter> params, Map<String, String> keywords, long events) {
        if (params.isEmpty()) throw new IllegalArgumentException("at least one parameter is needed");
        if (events < 0) throw new IllegalArgumentException("events < 0");
        for (FcsParameter p : params) {
            if (p.datatype() == 'A') {
                throw CikqcException.input("writing ASCII ($DATATYPE A) data is not supported; parameter " + p.name());
            }
            if (p.datatype() == 'I' && (p.bits() < 1 || p.bits() > 64)) {
                throw new IllegalArgumentException("$P" + p.index() + "B " + p.bits());
            }
        }
        Map<String, String> user = new LinkedHashMap<>(keywords);
        int[] order = parseOrder(getIgnoreCase(user, "$BYTEORD"));
        int eb = 0;
        for (FcsParameter p : params) {
            eb += switch (p.datatype()) {
                case 'F' -> 4;
                case 'D' -> 8;
                default -> DataLayout.storageBytes(p.bits());
            };
        }
        long dataLen = events * eb;
        boolean mixed = params.stream().map(FcsParameter::datatype).distinct().count() > 1;
        String version = mixed ? "FCS3.2" : "FCS3.1";
        List<String[]> kv = keywordList(params, user, mixed);
        // lay out: HEADER (58) | TEXT | DATA | CRC (8)
        long textStart = 58;
        byte delim = chooseDelimiter(kv);
        long dataStart = 0;
        long dataEnd = 0;
        byte[] text = null;
        for (int iter = 0; iter < 8; iter++) {
            long ds = textStart + (text == null ? 0 : text.length);
            long de = dataLen == 0 ? ds : ds + dataLen - 1;
            byte[] t = encodeText(kv, delim, ds, dataLen == 0 ? 0 : de, events, params.size());
            if (text != null && t.length == text.length) {
                text = t;
                dataStart = ds;
                dataEnd = dataLen == 0 ? 0 : de;
                break;
            }
            text = t;
            dataStart = textStart + t.length;
            dataEnd = dataLen == 0 ? 0 : dataStart + dataLen - 1;
        }
        text = encodeText(kv, delim, dataStart, dataEnd, events, params.size());
        long textEnd = textStart + text.length - 1;
        if (textEnd > 99_999_999L) throw CikqcException.input("TEXT segment too large for the FCS HEADER");
        byte[] header = header(version, textStart, textEnd, dataStart, dataEnd, dataLen == 0);
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            AtomicFiles.createDirectories(abs.getParent());
            // a new sibling with the process umask's permissions (createTempFile would make it owner-only)
            tmp = AtomicFiles.newTemporary(abs.getParent(), "." + abs.getFileName() + ".", AtomicFiles.TEMP_SUFFIX);
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ByteBuffer hb = ByteBuffer.allocate(header.length + text.length);
            hb.put(header).put(text).flip();
            while (hb.hasRemaining()) ch.write(hb);
            List<FcsParameter> ps = new ArrayList<>(params);
            return new FcsWriter(abs, tmp, ch, ps, events, order, dataStart, dataEnd, eb);
        } catch (IOException e) {
            throw AtomicFiles.writeFailed("cannot write " + target, tmp, e);
        }
    }

    /** Writes a whole data set (keywords and every event of {@code ds}, raw values) to {@code target}. */
    public static void copy(FcsFile source, int dataSet, Path target) {
        FcsDataSet ds = source.dataSet(dataSet);
        try (FcsWriter w = create(target, ds.parameters(), ds.keywords().asMap(), ds.events());
             EventReader r = source.events(dataSet, ValueKind.RAW)) {
            EventBatch b;
            while ((b = r.next()) != null) w.write(b.columns(), b.size());
        }
    }

    /** Appends {@code n} events given column-major (raw values as they will be stored). */
    public void write(double[][] columns, int n) {
        if (closed) throw new IllegalStateException("writer closed");
        if (written + n > events) {
            throw new IllegalStateException("more events than declared (" + events + ")");
        }
        int need = n * eventBytes;
        if (buf == null || buf.capacity() < Math.min(need, 8 << 20)) buf = ByteBuffer.allocate(Math.max(Math.min(need, 8 << 20), eventBytes));
        int perChunk = Math.max(1, buf.capacity() / eventBytes);
        for (int s = 0; s < n; s += perChunk) {
            int m = Math.min(perChunk, n - s);
            buf.clear();
            byte[] a = buf.array();
            int pos = 0;
            for (int i = s; i < s + m; i++) {
                for (int p = 0; p < widths.length; p++) {
                    double v = columns[p][i];
                    switch (types[p]) {
                        case 'F' -> put(a, pos, Float.floatToRawIntBits((float) v) & 0xFFFFFFFFL, 4);
                        case 'D' -> put(a, pos, Double.doubleToRawLongBits(v), 8);
                        default -> put(a, pos, toUnsigned(v), widths[p]);
                    }
                    pos += widths[p];
                }
            }
            buf.limit(pos);
            try {
                while (buf.hasRemaining()) ch.write(buf);
            } catch (IOException e) {
                abort();
                throw CikqcException.outputFailed("cannot write " + target, e);
            }
        }
        written += n;
    }

    private static long toUnsigned(double v) {
        if (!(v > 0)) return 0;
        if (v >= 0x1p63) return (long) (v / 2) << 1;
        return Math.round(v);
    }

    private void put(byte[] a, int pos, long v, int w) {
        if (w == order.length) {
            for (int k = 0; k < w; k++) a[pos + k] = (byte) (v >>> (8 * order[k]));
        } else if (little || !big && order[0] < order[order.length - 1]) {
            for (int k = 0; k < w; k++) a[pos + k] = (byte) (v >>> (8 * k));
        } else {
            for (int k = 0; k < w; k++) a[pos + k] = (byte) (v >>> (8 * (w - 1 - k)));
        }
    }

    /** Events written so far. */
    public long written() { return written; }

    /** Finishes the file (CRC field "00000000" = not computed), forces it to disk and renames it into place. */
    @Override
    public void close() {
        if (closed) return;
        if (written != events) {
            abort();
            throw new IllegalStateException("declared " + events + " events but " + written + " were written");
        }
        try {
            ByteBuffer crc = ByteBuffer.wrap("00000000".getBytes(StandardCharsets.US_ASCII));
            while (crc.hasRemaining()) ch.write(crc);
            ch.force(true);
            ch.close();
            closed = true;
            AtomicFiles.move(tmp, target);
            AtomicFiles.untrack(tmp);
        } catch (IOException e) {
            abort();
            throw CikqcException.outputFailed("cannot write " + target, e);
        }
    }

    /** Abandons the file: nothing is left at the target or in temp files. */
    public void abort() {
        closed = true;
        try {
            ch.close();
            Files.deleteIfExists(tmp);
            AtomicFiles.untrack(tmp);
        } catch (IOException e) {
            AtomicFiles.deleteAtExit(tmp);
        }
    }

    /** Absolute DATA offsets of the file being written (for tests). */
    long dataStart() { return dataStart; }

    long dataEnd() { return dataEnd; }

    // ------------------------------------------------------------------------------------------- keyword layout

    private static List<String[]> keywordList(List<FcsParameter> params, Map<String, String> user, boolean mixed) {
        List<String[]> out = new ArrayList<>();
        for (String k : COMPUTED) out.add(new String[] {k, null});
        char common = params.get(0).datatype();
        String dt = getIgnoreCase(user, "$DATATYPE");
        String dtValue = mixed ? (dt != null && "IFD".contains(dt.strip().toUpperCase(Locale.ROOT)) ? dt : "F")
                : String.valueOf(common);
        if (!mixed && dt != null && dt.strip().equalsIgnoreCase(dtValue)) dtValue = dt;
        out.add(new String[] {"$DATATYPE", dtValue});
        char declared = Character.toUpperCase(dtValue.strip().charAt(0));
        String bo = getIgnoreCase(user, "$BYTEORD");
        out.add(new String[] {"$BYTEORD", bo != null ? bo : "1,2,3,4"});
        Map<String, String> gen = new LinkedHashMap<>();
        java.util.Set<String> optional = new java.util.HashSet<>();
        for (FcsParameter p : params) {
            String n = "$P" + p.index();
            gen.put(n + "N", p.name());
            gen.put(n + "S", p.marker() == null ? "" : p.marker());
            if (p.marker() == null) optional.add(n + "S");
            gen.put(n + "B", Integer.toString(p.bits()));
            gen.put(n + "E", HeaderTextParser.fmt(p.logDecades()) + "," + HeaderTextParser.fmt(p.logOffset()));
            gen.put(n + "R", HeaderTextParser.fmt(p.range()));
            gen.put(n + "G", HeaderTextParser.fmt(p.gain()));
            if (p.gain() == 1.0) optional.add(n + "G");
            gen.put(n + "DATATYPE", String.valueOf(p.datatype()));
            if (p.datatype() == declared) optional.add(n + "DATATYPE");
        }
        // user keywords: verbatim, unless they are computed here or inconsistent with the parameter definitions
        for (Map.Entry<String, String> e : user.entrySet()) {
            String key = e.getKey();
            String k = key.strip().toUpperCase(Locale.ROOT);
            if (COMPUTED.contains(k) || k.equals("$DATATYPE") || k.equals("$BYTEORD")) continue;
            if (k.equals("$TIMESTEP") && !HeaderTextParser.usableTimestep(e.getValue())) continue; // the reader ignored it
            Matcher m = PN_KEY.matcher(key.strip());
            if (m.matches()) {
                int n = Integer.parseInt(m.group(1));
                String g = "$P" + n + m.group(2).toUpperCase(Locale.ROOT);
                if (n < 1 || n > params.size()) {
                    out.add(new String[] {key, e.getValue()}); // about no parameter of this data set: kept verbatim
                    continue;
                }
                String mine = gen.get(g);
                if (mine == null) continue;
                if (!consistent(m.group(2).toUpperCase(Locale.ROOT), e.getValue(), mine)) {
                    optional.remove(g); // the caller had this keyword: write the corrected value in its place
                    continue;
                }
                gen.remove(g);
            }
            out.add(new String[] {key, e.getValue()});
        }
        for (Map.Entry<String, String> e : gen.entrySet()) {
            if (!optional.contains(e.getKey())) out.add(new String[] {e.getKey(), e.getValue()});
        }
        return out;
    }

    private static boolean consistent(String what, String user, String mine) {
        String u = user.strip();
        if (u.equalsIgnoreCase(mine)) return true;
        if (what.equals("S")) return mine.isEmpty() ? user.isBlank() : user.equals(mine);
        if (what.equals("N")) return user.equals(mine);
        if (what.equals("DATATYPE")) return u.equalsIgnoreCase(mine);
        if (what.equals("E")) {
            String[] a = u.split(",");
            String[] b = mine.split(",");
            if (a.length != 2) return false;
            return same(a[0], b[0]) && same(a[1], b[1]);
        }
        return same(u, mine);
    }

    private static boolean same(String a, String b) {
        double x = HeaderTextParser.parseDoubleOr(a, Double.NaN);
        double y = HeaderTextParser.parseDoubleOr(b, Double.NaN);
        return x == y || Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y));
    }

    private static String getIgnoreCase(Map<String, String> m, String key) {
        for (Map.Entry<String, String> e : m.entrySet()) if (e.getKey().strip().equalsIgnoreCase(key)) return e.getValue();
        return null;
    }

    private static int[] parseOrder(String bo) {
        if (bo == null) return new int[] {0, 1, 2, 3};
        int[] o = HeaderTextParser.parseByteOrd(bo);
        if (o == null) throw CikqcException.input("$BYTEORD '" + bo + "' is not a permutation of 1..n");
        return o;
    }

    private static byte chooseDelimiter(List<String[]> kv) {
        byte[] candidates = {'/', '|', '\\', '!', '#', '^', '~', 0x0c};
        for (byte c : candidates) {
            boolean used = false;
            for (String[] e : kv) {
                if (e[0].indexOf(c) >= 0 || e[1] != null && e[1].indexOf(c) >= 0) {
                    used = true;
                    break;
                }
            }
            if (!used) return c;
        }
        return '/';
    }

    private static byte[] encodeText(List<String[]> kv, byte delim, long dataStart, long dataEnd, long tot, int par) {
        StringBuilder sb = new StringBuilder(4096);
        String d = new String(new byte[] {delim}, StandardCharsets.ISO_8859_1);
        sb.append(d);
        for (String[] e : kv) {
            String v = switch (e[0]) {
                case "$BEGINANALYSIS", "$ENDANALYSIS", "$BEGINSTEXT", "$ENDSTEXT", "$NEXTDATA" -> "0";
                case "$BEGINDATA" -> Long.toString(dataStart);
                case "$ENDDATA" -> Long.toString(dataEnd);
                case "$TOT" -> Long.toString(tot);
                case "$PAR" -> Integer.toString(par);
                case "$MODE" -> "L";
                default -> e[1];
            };
            if (v == null || v.isEmpty()) v = " ";
            sb.append(e[0].replace(d, d + d)).append(d).append(v.replace(d, d + d)).append(d);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] header(String version, long ts, long te, long ds, long de, boolean empty) {
        boolean big = de > 99_999_999L || ds > 99_999_999L;
        String h = version + "    " + pad8(ts) + pad8(te) + pad8(big ? 0 : ds) + pad8(big || empty ? 0 : de)
                + pad8(0) + pad8(0);
        return h.getBytes(StandardCharsets.US_ASCII);
    }

    private static String pad8(long v) {
        String s = Long.toString(v);
        return " ".repeat(8 - s.length()) + s;
    }
}
