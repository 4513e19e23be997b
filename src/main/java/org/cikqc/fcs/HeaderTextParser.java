package org.cikqc.fcs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cikqc.common.Problem;
import org.cikqc.common.Severity;

/**
 * Parses HEADER and TEXT of every data set of a file (following $NEXTDATA), resolves the DATA segment with the
 * named repairs, and validates every size against the file's real length before anything is allocated.
 */
final class HeaderTextParser {

    private static final int HEADER_BYTES = 58;
    private static final int MAX_DATASETS = 1024;
    private static final int MAX_PARAMETERS = 100_000;
    /** Largest $PnE f1 (decades) read as log amplification; instruments use up to about 6. */
    private static final double MAX_LOG_DECADES = 30;
    /** $PnG outside [1/MAX_GAIN, MAX_GAIN] is recorded as implausible. */
    private static final double MAX_GAIN = 1e6;

    private final FileChannel ch;
    private final long len;
    private final FcsReadOptions options;
    private long[] stextRead;   // the supplemental TEXT read for the data set being parsed
    private String hugeTot;     // $TOT of the data set being parsed when it is above 2^63-1 (held as Long.MAX_VALUE)

    HeaderTextParser(FileChannel ch, long len, FcsReadOptions options) {
        this.ch = ch;
        this.len = len;
        this.options = options;
    }

    /** Result of parsing one data set: the data set and the absolute offset of the next one (or -1). */
    private record Parsed(FcsDataSet dataSet, long next) { }

    List<FcsDataSet> parseAll() throws IOException {
        if (len < HEADER_BYTES) {
            throw fatal(FcsProblems.FILE_TOO_SHORT, 0, null,
                    "file is " + len + " bytes, shorter than the 58-byte FCS HEADER");
        }
        List<FcsDataSet> out = new ArrayList<>();
        long base = 0;
        List<Problem> carried = new ArrayList<>();
        while (true) {
            List<Problem> probs = new ArrayList<>(carried);
            carried.clear();
            Parsed parsed;
            try {
                parsed = parseOne(out.size(), base, probs);
            } catch (FcsFormatException e) {
                if (out.isEmpty()) throw e;
                // a later data set of a $NEXTDATA chain is unreadable: keep the earlier ones and record it
                FcsDataSet prev = out.remove(out.size() - 1);
                List<Problem> pp = new ArrayList<>(prev.problems());
                pp.add(new Problem(FcsProblems.NEXTDATA_INVALID, Severity.WARNING,
                        "data set " + (out.size() + 2) + " at byte " + base + " cannot be read: " + org.cikqc.common.IoErrors.describe(e),
                        base, "$NEXTDATA"));
                out.add(copyWithProblems(prev, pp));
                break;
            }
            out.add(parsed.dataSet());
            long next = parsed.next();
            if (next <= 0) break;
            if (out.size() >= MAX_DATASETS) {
                FcsDataSet prev = out.remove(out.size() - 1);
                List<Problem> pp = new ArrayList<>(prev.problems());
                pp.add(Problem.keyword(FcsProblems.NEXTDATA_INVALID, Severity.WARNING, "$NEXTDATA",
                        "more than " + MAX_DATASETS + " data sets; the rest are ignored"));
                out.add(copyWithProblems(prev, pp));
                break;
            }
            base = next;
        }
        return out;
    }

    private static FcsDataSet copyWithProblems(FcsDataSet d, List<Problem> problems) {
        return new FcsDataSet(d.index(), d.version(), d.headerOffset(), d.keywords(), d.parameters(), d.events(),
                d.declaredEvents(), d.textStart(), d.textEnd(), d.dataStart(), d.dataEnd(), d.analysisStart(),
                d.analysisEnd(), problems, d.layout, d.otherSegments(), d.supplementalText());
    }

    // ------------------------------------------------------------------------------------------------ one data set

    private Parsed parseOne(int index, long base, List<Problem> probs) throws IOException {
        stextRead = null;
        if (base > len - HEADER_BYTES) {
            throw fatal(FcsProblems.NEXTDATA_INVALID, base, "$NEXTDATA",
                    "data set HEADER at byte " + base + " lies beyond the end of the file (" + len + " bytes)");
        }
        byte[] h = readBytes(base, HEADER_BYTES);
        String version = new String(h, 0, 6, StandardCharsets.ISO_8859_1);
        if (!version.matches("FCS[0-9]\\.[0-9]")) {
            throw fatal(FcsProblems.BAD_VERSION, base, null, "not an FCS file: HEADER starts with '"
                    + printable(version) + "' instead of FCSx.y");
        }
        if (!(version.equals("FCS2.0") || version.equals("FCS3.0") || version.equals("FCS3.1")
                || version.equals("FCS3.2"))) {
            throw fatal(FcsProblems.BAD_VERSION, base, null, "unsupported FCS version " + version
                    + " (2.0, 3.0, 3.1 and 3.2 are supported)");
        }
        boolean v3 = !version.equals("FCS2.0");
        long[] f = new long[6];
        String[] fieldNames = {"TEXT start", "TEXT end", "DATA start", "DATA end", "ANALYSIS start", "ANALYSIS end"};
        for (int k = 0; k < 6; k++) f[k] = headerField(h, k, base, fieldNames[k]);

        if (f[0] < 0 || f[1] < 0) {
            throw fatal(FcsProblems.BAD_HEADER_OFFSET, base + 10, null, "HEADER has no TEXT offsets");
        }
        long textStart = base + f[0];
        long textEnd = base + f[1];
        if (f[0] < HEADER_BYTES || textEnd < textStart) {
            throw fatal(FcsProblems.BAD_HEADER_OFFSET, base + 10, null,
                    "HEADER TEXT offsets " + f[0] + "-" + f[1] + " are not a valid segment after the HEADER");
        }
        if (textEnd >= len) {
            throw fatal(FcsProblems.TEXT_OUT_OF_FILE, base + 18, null,
                    "TEXT segment " + textStart + "-" + textEnd + " extends past the end of the file ("
                            + len + " bytes)");
        }
        long textLen = textEnd - textStart + 1;
        if (textLen > FcsFile.MAX_TEXT_BYTES) {
            throw fatal(FcsProblems.BAD_HEADER_OFFSET, base + 10, null,
                    "TEXT segment of " + textLen + " bytes is larger than the " + FcsFile.MAX_TEXT_BYTES + "-byte limit");
        }
        if (textLen < 2) throw fatal(FcsProblems.TEXT_EMPTY, textStart, null, "TEXT segment is empty");
        byte[] text = readBytes(textStart, (int) textLen);
        List<Problem> textProbs = new ArrayList<>();
        List<Keywords.Entry> entries = TextParser.parse(text, text.length, textStart, textProbs);
        long clampedStart = overlappingDataStart(base, f[2], Keywords.of(entries), textStart, textEnd);
        if (clampedStart > 0) {
            probs.add(Problem.at(FcsProblems.TEXT_END_OVERLAPS_DATA, Severity.WARNING, base + 18,
                    "HEADER TEXT end " + (textEnd - base) + " overlaps DATA start " + (clampedStart - base)
                            + "; TEXT read up to byte " + (clampedStart - base - 1)));
            textEnd = clampedStart - 1;
            textProbs.clear();
            entries = TextParser.parse(text, (int) (textEnd - textStart + 1), textStart, textProbs);
        }
        probs.addAll(textProbs);
        byte delimiter = text[0];
        Keywords kw = Keywords.of(entries);

        // supplemental TEXT ($BEGINSTEXT/$ENDSTEXT and the ANALYSIS pair are required in FCS 3.0 and 3.1, optional
        // in 3.2)
        boolean segmentKeywordsRequired = version.equals("FCS3.0") || version.equals("FCS3.1");
        if (v3) {
            String bs = kw.getTrimmed("$BEGINSTEXT");
            String es = kw.getTrimmed("$ENDSTEXT");
            if ((bs == null || es == null) && segmentKeywordsRequired) {
                probs.add(Problem.keyword(FcsProblems.MISSING_OPTIONAL_OFFSET_KEYWORD, Severity.WARNING,
                        bs == null ? "$BEGINSTEXT" : "$ENDSTEXT",
                        "required keyword " + (bs == null ? "$BEGINSTEXT" : "$ENDSTEXT") + " is missing"));
            } else if (bs != null && es != null) {
                long s0 = parseLongOr(bs, -1);
                long s1 = parseLongOr(es, -1);
                if (s0 < 0 || s1 < 0) {
                    probs.add(Problem.keyword(FcsProblems.STEXT_INVALID, Severity.WARNING, "$BEGINSTEXT",
                            "supplemental TEXT offsets '" + bs + "'/'" + es + "' are not numbers; ignored"));
                } else if (s0 > 0 && s1 >= s0) {
                    kw = supplemental(kw, base, s0, s1, textStart, textEnd, delimiter, probs);
                } else if (s0 > 0 || s1 > 0) {
                    probs.add(Problem.keyword(FcsProblems.STEXT_INVALID, Severity.WARNING, "$BEGINSTEXT",
                            "supplemental TEXT offsets " + s0 + "-" + s1 + " are not a segment; ignored"));
                }
            }
        }

        // duplicates and whitespace
        for (Map.Entry<String, Integer> d : kw.duplicates().entrySet()) {
            probs.add(Problem.keyword(FcsProblems.DUPLICATE_KEYWORD, Severity.WARNING, d.getKey(),
                    "keyword " + d.getKey() + " occurs " + d.getValue() + " times; the first value is used"));
        }
        for (Keywords.Entry e : kw.entries()) {
            if (!e.key().equals(e.key().strip())) {
                probs.add(new Problem(FcsProblems.KEYWORD_WHITESPACE, Severity.WARNING,
                        "keyword '" + e.key() + "' has surrounding whitespace; matched without it", e.offset(),
                        e.key().strip()));
            }
            String key = e.key().strip();
            int bad = firstNonAscii(key);
            if (bad >= 0) {
                char c = key.charAt(bad);
                boolean control = Character.isISOControl(c);
                // a keyword is ASCII 32-126 (FCS 3.1 3.2.9): "$TIMESTEP\0" is not $TIMESTEP and is not read as it
                probs.add(new Problem(FcsProblems.KEYWORD_INVALID_CHARACTER, control ? Severity.WARNING : Severity.INFO,
                        "keyword '" + key + "' contains " + codePoint(c) + (control ? ", a control character" : "")
                                + " (keywords are printable ASCII); it matches no standard keyword", e.offset(), key));
            }
        }

        // required keywords
        String mode = kw.getTrimmed("$MODE");
        if (mode == null) {
            probs.add(Problem.keyword(FcsProblems.MISSING_KEYWORD, Severity.WARNING, "$MODE",
                    "required keyword $MODE is missing; list mode (L) assumed"));
        } else if (!mode.equalsIgnoreCase("L")) {
            throw fatal(FcsProblems.UNSUPPORTED_MODE, -1, "$MODE", "$MODE " + mode
                    + " (histogram data) is not supported; only list mode (L)");
        }
        String dt = kw.getTrimmed("$DATATYPE");
        if (dt == null) throw fatal(FcsProblems.MISSING_KEYWORD, -1, "$DATATYPE", "required keyword $DATATYPE is missing");
        char datatype = Character.toUpperCase(dt.charAt(0));
        if (dt.length() != 1 || "IFDA".indexOf(datatype) < 0) {
            throw fatal(FcsProblems.UNSUPPORTED_DATATYPE, kwOffset(kw, "$DATATYPE"), "$DATATYPE",
                    "$DATATYPE '" + dt + "' is not one of I, F, D, A");
        }
        if (dt.charAt(0) != datatype) {
            probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, "$DATATYPE",
                    "$DATATYPE '" + dt + "' is not upper case; read as " + datatype));
        }
        int par = (int) requireLong(kw, "$PAR", 1, MAX_PARAMETERS);
        if (par > kw.size()) {
            throw fatal(FcsProblems.BAD_KEYWORD_VALUE, kwOffset(kw, "$PAR"), "$PAR",
                    "$PAR " + par + " is larger than the " + kw.size() + " keywords TEXT holds");
        }

        // parameters
        double timestep = timestep(kw, probs);
        List<FcsParameter> params = new ArrayList<>(par);
        boolean anyStar = false;
        boolean allStar = true;
        for (int n = 1; n <= par; n++) {
            FcsParameter p = parameter(kw, n, datatype, version, timestep, probs);
            boolean star = p.bits() == 0; // parameter() maps $PnB '*' (only) to 0
            anyStar |= star;
            allStar &= star;
            params.add(p);
        }
        if ((version.equals("FCS3.1") || version.equals("FCS3.2")) && !kw.contains("$TIMESTEP")) {
            for (FcsParameter p : params) {
                String pn = "$P" + p.index();
                if (isTimeParameter(kw, pn, p.name())) {
                    probs.add(Problem.keyword(FcsProblems.MISSING_KEYWORD, Severity.INFO, "$TIMESTEP", "$TIMESTEP is"
                            + " missing although " + pn + "N '" + p.name() + "' is the time parameter (FCS 3.1 and"
                            + " later expect a time step with one); time values stay in acquisition units"));
                    break;
                }
            }
        }
        Map<String, Integer> seenNames = new java.util.HashMap<>();
        for (FcsParameter p : params) {
            if (!p.name().equals(p.name().strip())) {
                // legal, but a tool that compares names as written ("Time " vs "Time") will not find the channel
                probs.add(Problem.keyword(FcsProblems.PARAMETER_NAME_WHITESPACE, Severity.INFO, "$P" + p.index() + "N",
                        "$P" + p.index() + "N '" + p.name() + "' has spaces around the name; cikqc matches it as '"
                                + p.name().strip() + "' (spec channels, gates, $SPILLOVER), a tool comparing names as"
                                + " written may not"));
            }
            Integer first = seenNames.putIfAbsent(p.name().strip().toLowerCase(Locale.ROOT), p.index());
            if (first != null) {
                probs.add(Problem.keyword(FcsProblems.DUPLICATE_PARAMETER_NAME, Severity.WARNING, "$P" + p.index() + "N",
                        "$P" + p.index() + "N '" + p.name() + "' repeats the name of $P" + first
                                + "N; the name refers to $P" + first));
            }
        }
        DataLayout.Ascii ascii = DataLayout.Ascii.NONE;
        boolean anyAscii = params.stream().anyMatch(p -> p.datatype() == 'A');
        if (anyAscii) {
            if (anyStar && !allStar) {
                throw fatal(FcsProblems.BAD_KEYWORD_VALUE, -1, "$P1B",
                        "delimited ASCII data needs every $PnB to be '*'");
            }
            if (params.stream().anyMatch(p -> p.datatype() != 'A')) {
                throw fatal(FcsProblems.UNSUPPORTED_DATATYPE, -1, "$DATATYPE",
                        "ASCII parameters cannot be mixed with binary ones");
            }
            ascii = anyStar ? DataLayout.Ascii.DELIMITED : DataLayout.Ascii.FIXED;
        }
        int[] order = byteOrder(kw, params, probs);
        DataLayout layout = new DataLayout(params, order, ascii);
        // one note naming every masked parameter (a later one whose $PnR changed must not hide behind the first)
        List<Integer> masked = new ArrayList<>();
        for (int p = 0; p < par; p++) if (layout.masksNarrowerThanStorage(p)) masked.add(p);
        if (!masked.isEmpty()) {
            int p0 = masked.get(0);
            FcsParameter fp = params.get(p0);
            List<String> also = new ArrayList<>();
            for (int p : masked.subList(1, masked.size())) {
                also.add("$P" + params.get(p).index() + "R=" + fmt(params.get(p).range()));
            }
            probs.add(noteForAll(FcsProblems.RANGE_BITMASK, "$P" + fp.index() + "R", "$P" + fp.index() + "R="
                    + fmt(fp.range()) + " < 2^" + fp.bits() + ": integer values masked with "
                    + Long.toUnsignedString(layout.masks[p0]), also));
        }
        // $PnE f1,0 (CellQuest writes 4,0): f2 = 0 would scale every log value to 0, so it is read as 1, as flowCore
        // reads it; one note names every such parameter
        List<FcsParameter> zero = params.stream().filter(fp -> fp.isLog() && fp.logOffset() == 0).toList();
        if (!zero.isEmpty()) {
            probs.add(pneNote(FcsProblems.LOG_OFFSET_ZERO, zero, "E='" + fmt(zero.get(0).logDecades())
                    + ",0': a log offset f2 of 0 is not valid; decoded with f2 = 1 (10^(f1·x/$PnR)), as flowCore does"));
        }
        // $PnE 0,f2 with f2 != 0: linear (f1 = 0 decides it) and f2 has no effect; the standard writes 0,0
        List<FcsParameter> linearOffset = params.stream()
                .filter(fp -> !fp.isLog() && fp.logDecades() == 0 && fp.logOffset() != 0).toList();
        if (!linearOffset.isEmpty()) {
            probs.add(pneNote(FcsProblems.BAD_KEYWORD_VALUE, linearOffset, "E='0," + fmt(linearOffset.get(0).logOffset())
                    + "': f1 = 0 means linear and the offset has no effect (the standard writes 0,0); read as linear"));
        }

        // DATA segment
        long tot = -1;
        String totS = kw.getTrimmed("$TOT");
        hugeTot = null;
        if (totS == null) {
            if (v3) {
                probs.add(Problem.keyword(FcsProblems.MISSING_KEYWORD, Severity.WARNING, "$TOT",
                        "required keyword $TOT is missing; event count taken from the DATA length"));
            }
        } else {
            tot = parseLongOr(totS, -2);
            if (tot == -2 && totS.matches("\\+?[0-9]{19,}")) {
                // a count too large for any file: the same rule as any $TOT beyond the file (complete events read)
                hugeTot = totS;
                tot = Long.MAX_VALUE;
            }
            if (tot < 0) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, "$TOT",
                        "$TOT '" + totS + "' is not a count; event count taken from the DATA length"));
                tot = -1;
            }
        }
        long[] data = resolveData(kw, base, f, textEnd, tot, layout, v3, probs);
        long dataStart = data[0];
        long dataEnd = data[1];
        long events = countEvents(kw, dataStart, dataEnd, tot, layout, nextSegment(kw, base, f, dataEnd), probs);
        if (events > 0 && layout.eventBytes > 0) dataEnd = dataStart + events * layout.eventBytes - 1;

        // ANALYSIS
        long[] an = resolveAnalysis(kw, base, f, segmentKeywordsRequired, probs);
        an = analysisApart(an, base, new long[][] {{textStart, textEnd}, stextRead, {dataStart, dataEnd}}, probs);

        // $NEXTDATA
        long next = -1;
        String nd = kw.getTrimmed("$NEXTDATA");
        if (nd == null && kw.contains("$NEXTDATA")) {
            probs.add(Problem.keyword(FcsProblems.NEXTDATA_INVALID, Severity.WARNING, "$NEXTDATA",
                    "$NEXTDATA is blank; no later data set read"));
        } else if (nd == null && v3) {
            probs.add(Problem.keyword(FcsProblems.MISSING_KEYWORD, Severity.WARNING, "$NEXTDATA",
                    "required keyword $NEXTDATA is missing; no later data set read"));
        }
        if (nd != null) {
            long v = parseLongOr(nd, -1);
            if (v < 0) {
                probs.add(Problem.keyword(FcsProblems.NEXTDATA_INVALID, Severity.WARNING, "$NEXTDATA",
                        "$NEXTDATA '" + nd + "' is not an offset; later data sets ignored"));
            } else if (v > 0) {
                long abs = base + v;
                // compared without adding to v (a $NEXTDATA near the largest long wrapped round to below the file's end)
                if (v > len - HEADER_BYTES - base) {
                    probs.add(Problem.keyword(FcsProblems.NEXTDATA_INVALID, Severity.WARNING, "$NEXTDATA",
                            "$NEXTDATA " + v + " points outside the file (" + len + " bytes); ignored"));
                } else if (abs <= Math.max(textEnd, dataEnd)) {
                    probs.add(Problem.keyword(FcsProblems.NEXTDATA_INVALID, Severity.WARNING, "$NEXTDATA",
                            "$NEXTDATA " + v + " points back into this data set; ignored"));
                } else {
                    next = abs;
                }
            }
        }

        // CRC (FCS 3.x, only when written)
        if (v3 && options.verifyCrc() && next < 0) {
            checkCrc(base, Math.max(Math.max(textEnd, dataEnd), an[1]) + 1, probs);
        }

        FcsDataSet ds = new FcsDataSet(index, version, base, kw, params, events, tot, textStart, textEnd,
                dataStart, dataEnd, an[0], an[1], probs, layout, otherSegments(base, f[0]), stextRead);
        return new Parsed(ds, next);
    }

    /**
     * The DATA start (absolute) that lies inside the TEXT segment when HEADER and TEXT agree on it (or only one of
     * them gives it), i.e. the TEXT end is one byte (or more) too far; 0 when there is no such overlap.
     */
    private static long overlappingDataStart(long base, long headerStart, Keywords kw, long textStart, long textEnd) {
        long ts = parseLongOr(kw.getTrimmed("$BEGINDATA"), -1);
        long hs = headerStart;
        boolean hIn = hs > 0 && base + hs > textStart + 1 && base + hs <= textEnd;
        boolean tIn = ts > 0 && base + ts > textStart + 1 && base + ts <= textEnd;
        boolean hOut = hs > 0 && base + hs > textEnd;
        boolean tOut = ts > 0 && base + ts > textEnd;
        if (hOut || tOut) return 0;
        if (hIn && tIn) return hs == ts ? base + hs : 0;
        if (hIn) return base + hs;
        if (tIn) return base + ts;
        return 0;
    }

    /**
     * FCS 3.2 OTHER segment offsets: pairs of 8-byte ASCII fields after the six standard ones, up to the TEXT start
     * (at most 32 pairs). Anything that is not such a pair (vendor bytes in the gap) is ignored.
     */
    private List<long[]> otherSegments(long base, long textStartRel) throws IOException {
        List<long[]> out = new ArrayList<>();
        long room = Math.min(textStartRel - HEADER_BYTES, 32L * 16);
        if (room < 16) return out;
        byte[] b = readBytes(base + HEADER_BYTES, (int) room);
        for (int k = 0; k + 16 <= b.length; k += 16) {
            String s0 = new String(b, k, 8, StandardCharsets.ISO_8859_1).strip();
            String s1 = new String(b, k + 8, 8, StandardCharsets.ISO_8859_1).strip();
            if (!s0.matches("[0-9]+") || !s1.matches("[0-9]+")) break;
            long a = Long.parseLong(s0);
            long e = Long.parseLong(s1);
            if (a <= 0 || e < a || e >= len - base) break;
            out.add(new long[] {base + a, base + e});
        }
        return out;
    }

    private Keywords supplemental(Keywords kw, long base, long s0, long s1, long textStart, long textEnd,
                                  byte delimiter, List<Problem> probs) throws IOException {
        long a = plus(base, s0);
        long b = plus(base, s1);
        if (a <= textEnd && b >= textStart) {
            probs.add(Problem.keyword(FcsProblems.STEXT_OVERLAPS_PRIMARY, Severity.WARNING, "$BEGINSTEXT",
                    "supplemental TEXT " + s0 + "-" + s1 + " overlaps the primary TEXT; ignored"));
            return kw;
        }
        if (b >= len) {
            probs.add(Problem.keyword(FcsProblems.STEXT_INVALID, Severity.WARNING, "$ENDSTEXT",
                    "supplemental TEXT " + s0 + "-" + s1 + " extends past the end of the file; ignored"));
            return kw;
        }
        long n = b - a + 1;
        if (n > FcsFile.MAX_TEXT_BYTES || n < 2) {
            probs.add(Problem.keyword(FcsProblems.STEXT_INVALID, Severity.WARNING, "$BEGINSTEXT",
                    "supplemental TEXT of " + n + " bytes is not usable; ignored"));
            return kw;
        }
        byte[] st = readBytes(a, (int) n);
        if (st[0] != delimiter) {
            probs.add(Problem.at(FcsProblems.STEXT_INVALID, Severity.WARNING, a,
                    "supplemental TEXT does not start with the TEXT delimiter (not keyword text); ignored"));
            return kw;
        }
        List<Keywords.Entry> more = TextParser.parse(st, st.length, a, probs);
        stextRead = new long[] {a, b};
        return kw.plus(more);
    }

    private FcsParameter parameter(Keywords kw, int n, char datatype, String version, double timestep,
                                   List<Problem> probs) {
        boolean v3 = !version.equals("FCS2.0");
        String pn = "$P" + n;
        String name = kw.get(pn + "N");
        if (name == null || name.isBlank()) {
            if (v3) {
                probs.add(Problem.keyword(FcsProblems.MISSING_KEYWORD, Severity.WARNING, pn + "N",
                        "required keyword " + pn + "N is missing; parameter named P" + n));
            }
            name = "P" + n;
        }
        String marker = kw.get(pn + "S");
        if (marker != null && marker.isBlank()) marker = null;
        for (String[] text : new String[][] {{pn + "N", name}, {pn + "S", marker}}) {
            int at = text[1] == null ? -1 : firstControl(text[1]);
            if (at >= 0) {
                // read as written, but a name that differs from the one on screen by an invisible byte never
                // matches a spec or a gate, so it is worth a warning here rather than a surprise later
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, text[0], text[0] + " '"
                        + text[1] + "' contains the control character " + codePoint(text[1].charAt(at))));
            }
        }
        char type = datatype;
        String pdt = kw.getTrimmed(pn + "DATATYPE");
        if (pdt != null) {
            char t = Character.toUpperCase(pdt.charAt(0));
            if (pdt.length() != 1 || "IFD".indexOf(t) < 0) {
                throw fatal(FcsProblems.UNSUPPORTED_DATATYPE, kwOffset(kw, pn + "DATATYPE"), pn + "DATATYPE",
                        pn + "DATATYPE '" + pdt + "' is not one of I, F, D");
            }
            if (!version.equals("FCS3.2") && t != datatype) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "DATATYPE",
                        pn + "DATATYPE '" + pdt + "' (an FCS 3.2 keyword) overrides $DATATYPE " + datatype + " in an "
                                + version + " file; applied"));
            }
            type = t;
        }
        String bs = kw.getTrimmed(pn + "B");
        if (bs == null) throw fatal(FcsProblems.MISSING_KEYWORD, -1, pn + "B", "required keyword " + pn + "B is missing");
        int bits;
        if (bs.equals("*")) {
            if (type != 'A') {
                throw fatal(FcsProblems.BAD_KEYWORD_VALUE, kwOffset(kw, pn + "B"), pn + "B",
                        pn + "B '*' is only valid for $DATATYPE A");
            }
            bits = 0;
        } else {
            long b = parseLongOr(bs, -1);
            if (b < 1 || b > 64 && type != 'A' || b > 1024) {
                throw fatal(FcsProblems.BAD_KEYWORD_VALUE, kwOffset(kw, pn + "B"), pn + "B",
                        pn + "B '" + bs + "' is not a valid bit width");
            }
            bits = (int) b;
            if (type == 'F' && bits != 32) {
                if (bits == 64) {
                    probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "B",
                            pn + "B=64 with $DATATYPE F; read as 64-bit double"));
                    type = 'D';
                } else {
                    throw fatal(FcsProblems.BAD_KEYWORD_VALUE, kwOffset(kw, pn + "B"), pn + "B",
                            pn + "B=" + bits + " is not valid for 32-bit float data");
                }
            } else if (type == 'D' && bits != 64) {
                if (bits == 32) {
                    probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "B",
                            pn + "B=32 with $DATATYPE D; read as 32-bit float"));
                    type = 'F';
                } else {
                    throw fatal(FcsProblems.BAD_KEYWORD_VALUE, kwOffset(kw, pn + "B"), pn + "B",
                            pn + "B=" + bits + " is not valid for 64-bit double data");
                }
            }
        }
        String rs = kw.getTrimmed(pn + "R");
        double range;
        if (rs == null) {
            probs.add(Problem.keyword(FcsProblems.MISSING_KEYWORD, Severity.WARNING, pn + "R",
                    "required keyword " + pn + "R is missing"));
            range = type == 'I' && bits < 63 ? Math.pow(2, bits) : 0;
        } else {
            range = parseDoubleOr(rs, Double.NaN);
            double full = type == 'I' && bits < 63 ? Math.pow(2, bits) : 0;
            if (Double.isNaN(range) || range < 0 || Double.isInfinite(range)) {
                String what = Double.isNaN(range) ? "is not a number" : range < 0 ? "is negative" : "is not finite";
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "R",
                        pn + "R '" + rs + "' " + what + (full > 0 ? "; 2^" + bits + " used" : "")));
                range = full;
            } else if (range == 0) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "R",
                        pn + "R '" + rs + "' is not a positive range" + (full > 0 ? "; 2^" + bits + " used" : "")));
                range = full;
            } else if (type == 'I' && range <= 1 && bits > 0) {
                // the bit mask derived from $PnR would keep no value bit: every value would read as 0
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "R",
                        pn + "R '" + rs + "' leaves no value bit of the " + bits + "-bit integers; 2^" + bits + " used"));
                range = full > 0 ? full : range;
            } else if (type == 'I' && range < 16 && bits > 4) {
                // no instrument digitises fewer than 4 bits: a tiny range masks away the data (damaged $PnR)
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "R",
                        pn + "R '" + rs + "' keeps only " + (64 - Long.numberOfLeadingZeros(DataLayout.mask(bits, range)))
                                + " value bit(s) of the " + bits + "-bit integers; used as written"));
            } else if (type == 'I' && bits < 63 && range > full) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "R",
                        pn + "R '" + rs + "' exceeds the 2^" + bits + " values a " + bits + "-bit " + pn
                                + "B holds; values keep their " + bits + " bits, the range is used as written"));
            } else if (range > 0x1p64) {
                // float data may use any range, but none beyond 2^64 comes from an instrument (e.g. 1e308)
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "R",
                        pn + "R '" + rs + "' is implausibly large (over 2^64); used as written"));
            }
        }
        double f1 = 0;
        double f2 = 0;
        String es = kw.getTrimmed(pn + "E");
        if (es == null && kw.contains(pn + "E")) {
            probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "E",
                    pn + "E is blank; read as linear"));
        } else if (es == null && v3) {
            probs.add(Problem.keyword(FcsProblems.MISSING_KEYWORD, Severity.WARNING, pn + "E",
                    "required keyword " + pn + "E is missing; read as linear"));
        }
        if (es != null) {
            String[] parts = es.split(",", -1);
            double a = parts.length >= 1 ? parseDoubleOr(parts[0], Double.NaN) : Double.NaN;
            double b = parts.length >= 2 ? parseDoubleOr(parts[1], Double.NaN) : (parts.length == 1 ? 0 : Double.NaN);
            if (Double.isNaN(a) || Double.isNaN(b) || a < 0) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "E",
                        pn + "E '" + es + "' is not 'f1,f2'; read as linear"));
            } else if (a > 0 && (Double.isInfinite(a) || a > MAX_LOG_DECADES || b < 0 || Double.isInfinite(b))) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "E",
                        pn + "E '" + es + "' is not a usable log amplification (f1 decades in (0, " + MAX_LOG_DECADES
                                + "], f2 >= 0); read as linear"));
            } else if (parts.length != 2) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "E",
                        pn + "E '" + es + "' has " + parts.length + " fields instead of 'f1,f2'; read as f1="
                                + fmt(a) + ", f2=" + fmt(b)));
                if (a > 0 && (isFloat(type) || range > 0)) {
                    f1 = a;
                    f2 = b;
                }
            } else if (a > 0 && isFloat(type)) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.INFO, pn + "E",
                        pn + "E '" + es + "' declares log amplification for " + (type == 'F' ? "float" : "double")
                                + " data, which is stored linear; not applied"));
                f1 = a;
                f2 = b;
            } else if (a > 0 && !(range > 0)) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "E",
                        pn + "E '" + es + "' needs a positive " + pn + "R; read as linear"));
            } else {
                f1 = a;
                f2 = b;
            }
        }
        double gain = 1;
        String gs = kw.getTrimmed(pn + "G");
        if (gs == null && kw.contains(pn + "G")) {
            probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "G",
                    pn + "G is blank; 1 used"));
        }
        if (gs != null) {
            double g = parseDoubleOr(gs, Double.NaN);
            if (!(g > 0) || Double.isInfinite(g)) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "G",
                        pn + "G '" + gs + "' is not a positive gain; 1 used"));
            } else {
                if (g < 1 / MAX_GAIN || g > MAX_GAIN) {
                    probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, pn + "G",
                            pn + "G '" + gs + "' is not a plausible amplifier gain (outside 1e-6..1e6); used as written"));
                }
                gain = g;
            }
        }
        // the time parameter: named Time (FCS 3.1, and the usual instrument spellings) or, FCS 3.2, $PnTYPE Time
        double ts = timestep > 0 && isTimeParameter(kw, pn, name) ? timestep : 0;
        return new FcsParameter(n, name, marker, bits, range, type, gain, f1, f2, ts);
    }

    /** $TIMESTEP when it is a usable positive number, else 0 (a value that is present but unusable is recorded). */
    private static double timestep(Keywords kw, List<Problem> probs) {
        String raw = kw.get("$TIMESTEP");
        if (raw == null) return 0;
        double t = parseDoubleOr(raw, Double.NaN);
        if (!usableTimestep(t)) {
            probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, "$TIMESTEP",
                    "$TIMESTEP '" + raw.strip() + "' is not a positive time step in seconds; time values are not"
                            + " converted to seconds (only divided by $PnG, as on any linear channel)"));
            return 0;
        }
        return t;
    }

    /** True when {@code raw} is a positive time step of at most 1e6 seconds. */
    static boolean usableTimestep(String raw) {
        return usableTimestep(parseDoubleOr(raw, Double.NaN));
    }

    private static boolean usableTimestep(double t) {
        return t > 0 && t <= 1e6;
    }

    /** Parameter {@code pn} ("$P3") is the time parameter: named so, or (FCS 3.2) of $PnTYPE Time. */
    private static boolean isTimeParameter(Keywords kw, String pn, String name) {
        return isTimeName(name) || "time".equalsIgnoreCase(kw.getTrimmed(pn + "TYPE"));
    }

    static boolean isTimeName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.equals("time") || n.equals("hdr-t") || n.equals("time (s)");
    }

    private int[] byteOrder(Keywords kw, List<FcsParameter> params, List<Problem> probs) {
        String bo = kw.getTrimmed("$BYTEORD");
        boolean needs = params.stream().anyMatch(p -> p.datatype() != 'A' && (p.datatype() != 'I' || p.bits() > 8));
        if (bo == null) {
            if (needs) throw fatal(FcsProblems.MISSING_KEYWORD, -1, "$BYTEORD", "required keyword $BYTEORD is missing");
            return new int[] {0, 1, 2, 3};
        }
        int[] order = parseByteOrd(bo);
        if (order == null) {
            if (needs) {
                throw fatal(FcsProblems.BAD_KEYWORD_VALUE, kwOffset(kw, "$BYTEORD"), "$BYTEORD",
                        "$BYTEORD '" + bo + "' is not a permutation of 1..n");
            }
            return new int[] {0, 1, 2, 3};
        }
        if (order.length != 2 && order.length != 4 && order.length != 8 && needs) {
            probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, "$BYTEORD",
                    "$BYTEORD '" + bo + "' has an unusual length"));
        } else if (needs) {
            int widest = 0;
            for (FcsParameter p : params) {
                if (p.datatype() != 'A') widest = Math.max(widest, p.datatype() == 'I' ? DataLayout.storageBytes(p.bits())
                        : p.datatype() == 'D' ? 8 : 4);
            }
            // 16-bit integer files commonly write a 4-byte order and float64 files (flowCore) one of 4 bytes too;
            // an 8-byte order for narrower values, or a 2-byte one for 4-byte values, is a damaged $BYTEORD
            if (order.length < Math.min(widest, 4) || order.length > Math.max(widest, 4)) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, "$BYTEORD",
                        "$BYTEORD '" + bo + "' orders " + order.length + " bytes but the widest value has " + widest
                                + "; read as " + (order[0] < order[order.length - 1] ? "little" : "big") + "-endian"));
            }
        }
        return order;
    }

    /** Chooses the DATA segment among the HEADER and TEXT offsets; returns absolute {start, end}. */
    private long[] resolveData(Keywords kw, long base, long[] f, long textEnd, long tot, DataLayout layout, boolean v3,
                               List<Problem> probs) throws IOException {
        int eventBytes = layout.eventBytes;
        long hs = f[2];
        long he = f[3];
        String bsS = kw.getTrimmed("$BEGINDATA");
        String esS = kw.getTrimmed("$ENDDATA");
        long ts = bsS == null ? -1 : parseLongOr(bsS, -1);
        long te = esS == null ? -1 : parseLongOr(esS, -1);
        if (v3 && (bsS == null || esS == null)) {
            probs.add(Problem.keyword(FcsProblems.MISSING_OPTIONAL_OFFSET_KEYWORD, Severity.WARNING,
                    bsS == null ? "$BEGINDATA" : "$ENDDATA",
                    "required keyword " + (bsS == null ? "$BEGINDATA" : "$ENDDATA") + " is missing"));
        }
        for (String[] k : new String[][] {{"$BEGINDATA", bsS}, {"$ENDDATA", esS}}) {
            if (k[1] != null && parseLongOr(k[1], -1) < 0) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, k[0],
                        k[0] + " '" + k[1] + "' is not an offset; ignored"));
            }
        }
        boolean headerBlank = hs == -1 || he == -1;
        boolean headerSet = hs > 0 && he > 0;
        if ((hs > 0) != (he > 0)) {
            probs.add(Problem.at(FcsProblems.DATA_OFFSET_CONFLICT, Severity.WARNING, base + (hs > 0 ? 34 : 26),
                    "HEADER DATA offsets " + hs + "-" + he + " are incomplete (one is " + (hs > 0 ? he : hs)
                            + "); " + (ts > 0 && te > 0 ? "$BEGINDATA/$ENDDATA used" : "not used")));
        }
        boolean textSet = ts > 0 && te > 0;
        if (headerSet && !textSet && ts >= 0 && te >= 0 && (ts > 0 || te > 0 || bsS != null && esS != null)) {
            probs.add(Problem.keyword(FcsProblems.DATA_OFFSET_CONFLICT, Severity.WARNING, "$BEGINDATA",
                    "DATA offsets disagree: HEADER " + hs + "-" + he + ", TEXT " + ts + "-" + te
                            + "; used the HEADER pair"));
        }
        long expected = tot >= 0 && eventBytes > 0 ? times(tot, eventBytes) : -1;
        if (tot == 0 && !headerSet && !textSet) return new long[] {base + Math.max(hs, 0), base + Math.max(hs, 0) - 1};
        if (!headerSet && !textSet) {
            throw fatal(FcsProblems.DATA_OUT_OF_FILE, base + 26, "$BEGINDATA",
                    "neither the HEADER nor TEXT gives the DATA segment offsets");
        }
        if (headerBlank && textSet) {
            probs.add(Problem.at(FcsProblems.BLANK_HEADER_OFFSET, Severity.WARNING, base + 26,
                    "HEADER DATA offsets are blank; $BEGINDATA/$ENDDATA used"));
        }
        long start;
        long end;
        if (headerSet && textSet && (hs != ts || he != te)) {
            // the declared pairs, then each start whose declared end does not fit $TOT x event size with that length
            // (a start right after TEXT is kept when only its end is damaged); ties go to the earlier pair
            long[][] pairs = {{hs, he}, {ts, te}, {hs, hs + expected - 1}, {ts, ts + expected - 1}};
            int best = 0;
            int bestScore = Integer.MIN_VALUE;
            for (int k = 0; k < pairs.length; k++) {
                if (k >= 2 && (expected < 0 || expected >= len || pairs[k][1] >= len - base || sized(pairs[k - 2][0], pairs[k - 2][1], expected))) continue;
                int sc = score(base + pairs[k][0], base + pairs[k][1], textEnd, expected);
                if (sc > bestScore) {
                    best = k;
                    bestScore = sc;
                }
            }
            refuseIfAPairIsPacked(kw, base, tot, layout, pairs, best, probs);
            start = plus(base, pairs[best][0]);
            end = plus(base, pairs[best][1]);
            probs.add(Problem.keyword(FcsProblems.DATA_OFFSET_CONFLICT, Severity.WARNING, "$BEGINDATA",
                    "DATA offsets disagree: HEADER " + hs + "-" + he + ", TEXT " + ts + "-" + te + "; used "
                            + dataChoice(best, pairs[best], textEnd - base, expected)));
        } else if (headerSet) {
            start = plus(base, hs);
            end = plus(base, he);
        } else {
            start = plus(base, ts);
            end = plus(base, te);
        }
        if (start <= textEnd && start > base + f[0]) {
            throw fatal(FcsProblems.DATA_OUT_OF_FILE, base + 26, "$BEGINDATA",
                    "DATA start " + (start - base) + " lies inside the TEXT segment");
        }
        if (start >= len) {
            long avail = 0;
            probs.add(Problem.at(FcsProblems.TRUNCATED_DATA, Severity.WARNING, start,
                    "file is truncated: DATA starts at byte " + start + " but the file has " + len
                            + " bytes; no complete event (" + avail + " bytes of DATA)"));
            return new long[] {start, start - 1};
        }
        return new long[] {start, end};
    }

    /**
     * HEADER and TEXT DATA offsets that disagree, where a declared pair that was not chosen spans exactly $TOT
     * events bit-packed (within the one-byte-too-far end): the data may be packed, and the chosen whole-byte
     * reading would give wrong values; refused like packed DATA ({@link #checkBitPacked}) unless the chosen pair's
     * words (up to its first {@value #PACKED_SAMPLE_BYTES} bytes) have no bit set above their $PnB, as padded words
     * do and a packed stream read as words practically never does: then read as words, with a warning.
     */
    private void refuseIfAPairIsPacked(Keywords kw, long base, long tot, DataLayout layout, long[][] pairs, int best,
                                       List<Problem> probs) throws IOException {
        long bits = layout.packedBits;
        if (bits == layout.eventBytes * 8L || tot <= 0 || tot > Long.MAX_VALUE / bits) return;
        long packed = (tot * bits + 7) / 8;
        long padded = times(tot, layout.eventBytes);
        if (padded - packed < 2) return;
        for (int k = 0; k < 2; k++) {
            long n = pairs[k][1] - pairs[k][0] + 1;
            if (k == best || n != packed && n != packed + 1) continue;
            String pb = unalignedBits(layout);
            String which = "the " + (k == 0 ? "HEADER" : "TEXT") + " DATA offsets " + pairs[k][0] + "-" + pairs[k][1]
                    + " span " + n + " bytes, $TOT " + tot + " events of " + bits + " bits without byte padding (" + pb
                    + " " + layout.bits[layout.firstUnalignedParameter()] + ")";
            if (wordsLookPadded(base + pairs[best][0], base + pairs[best][1], layout)) {
                probs.add(Problem.keyword(FcsProblems.DATA_OFFSET_CONFLICT, Severity.WARNING, pb, which
                        + "; read as whole-byte words, since no value of the chosen DATA has a bit set above its $PnB"));
                return;
            }
            throw fatal(FcsProblems.UNSUPPORTED_DATATYPE, kwOffset(kw, pb), pb, "DATA may be bit-packed: " + which
                    + ", while the other offsets give " + padded + " bytes in whole bytes" + PACKED_UNSUPPORTED);
        }
    }

    /** Bytes of DATA {@link #wordsLookPadded} reads at most. */
    private static final int PACKED_SAMPLE_BYTES = 1 << 16;

    /** True when the whole events in the first {@value #PACKED_SAMPLE_BYTES} bytes of start-end (within the file) have no bit set above $PnB. */
    private boolean wordsLookPadded(long start, long end, DataLayout layout) throws IOException {
        long avail = Math.min(Math.min(end, len - 1) - start + 1, PACKED_SAMPLE_BYTES);
        int n = avail <= 0 ? 0 : (int) (avail / layout.eventBytes);
        if (n == 0) return false;
        return layout.highBitsClear(ByteBuffer.wrap(readBytes(start, n * layout.eventBytes)), n);
    }

    /**
     * How consistent a candidate DATA segment is with the TEXT end, the file length and $TOT × event size: the
     * length (4), the end inside the file (2; 1 one byte past it), a start right after TEXT (3: DATA follows TEXT in
     * almost every writer, and a start that does not is what the classic stale-$BEGINDATA bug gives).
     */
    private int score(long start, long end, long textEnd, long expected) {
        if (start <= textEnd || end < start - 1 || start >= len) return -100;
        int s = 0;
        if (sized(start, end, expected)) s += 4;
        if (end < len) s += 2;
        else if (end == len) s += 1;
        if (start == textEnd + 1) s += 3;
        return s;
    }

    /** True when start-end spans $TOT × event size (or one byte more: an end one too far, repaired when read). */
    private static boolean sized(long start, long end, long expected) {
        long n = end - start + 1;
        return expected >= 0 && (n == expected || n == expected + 1);
    }

    /** Words for the DATA pair {@link #resolveData} chose among pairs k = HEADER, TEXT, HEADER start + length, TEXT start + length. */
    private String dataChoice(int k, long[] pair, long textEnd, long expected) {
        boolean adjacent = pair[0] == textEnd + 1;
        boolean sized = sized(pair[0], pair[1], expected);
        String why = adjacent && sized ? "it starts right after TEXT (end " + textEnd + ") and spans $TOT x event size "
                + expected : adjacent ? "it starts right after TEXT (end " + textEnd + ")"
                : sized ? "it spans $TOT x event size " + expected : "it lies inside the file of " + len + " bytes";
        if (k < 2) return "the " + (k == 0 ? "HEADER" : "TEXT") + " pair (" + why + ")";
        return "the " + (k == 2 ? "HEADER" : "TEXT") + " start " + pair[0] + " with the end " + pair[1] + " (" + why
                + "; neither declared end fits it)";
    }

    /** A segment declared to start after DATA: its absolute start and what it is, in words. */
    private record NextSegment(long start, String name) { }

    /**
     * The first segment declared to start after the DATA end {@code dataEnd}: the ANALYSIS segment (HEADER or
     * TEXT offsets) or the next data set ($NEXTDATA); null when none does. A $TOT larger than the DATA segment must
     * not read events out of it.
     */
    private NextSegment nextSegment(Keywords kw, long base, long[] f, long dataEnd) {
        NextSegment first = null;
        List<NextSegment> candidates = List.of(
                new NextSegment(f[4] > 0 ? base + f[4] : -1, "ANALYSIS segment"),
                new NextSegment(offsetKeyword(kw, "$BEGINANALYSIS", base), "ANALYSIS segment"),
                new NextSegment(offsetKeyword(kw, "$NEXTDATA", base), "next data set"));
        for (NextSegment c : candidates) {
            if (c.start() > dataEnd && c.start() < len && (first == null || c.start() < first.start())) first = c;
        }
        return first;
    }

    /** base + the keyword's positive offset, or -1 when it is missing, not a number or 0. */
    private static long offsetKeyword(Keywords kw, String key, long base) {
        String v = kw.getTrimmed(key);
        long o = v == null ? -1 : parseLongOr(v, -1);
        return o > 0 && o <= Long.MAX_VALUE - base ? base + o : -1;
    }

    /**
     * Event count that can actually be read, with the repairs for off-by-one ends, $TOT mismatch and truncation. A
     * $TOT beyond the declared DATA end is read from the bytes that follow only up to the next declared segment
     * ({@code next}, from {@link #nextSegment}): those bytes are ANALYSIS text or the next data set, not events.
     */
    private long countEvents(Keywords kw, long start, long end, long tot, DataLayout layout, NextSegment next,
                             List<Problem> probs) {
        if (end < start) return 0;
        if (layout.ascii == DataLayout.Ascii.DELIMITED) {
            if (end >= len) {
                probs.add(Problem.at(FcsProblems.DATA_END_PAST_EOF, Severity.WARNING, end,
                        "DATA end " + end + " is past the end of the file; read up to byte " + (len - 1)));
            }
            if (tot < 0) throw fatal(FcsProblems.MISSING_KEYWORD, -1, "$TOT", "delimited ASCII data needs $TOT");
            if (hugeTot != null) {
                throw fatal(FcsProblems.BAD_KEYWORD_VALUE, kwOffset(kw, "$TOT"), "$TOT", "delimited ASCII data needs "
                        + "$TOT, and " + hugeTot + " is more events than a file can hold");
            }
            return tot;
        }
        int eb = layout.eventBytes;
        if (eb <= 0) throw fatal(FcsProblems.BAD_KEYWORD_VALUE, -1, "$PAR", "event size is zero");
        long declaredLen = end - start + 1;
        checkBitPacked(kw, tot, declaredLen, eb, layout, probs);
        long fileAvail = len - start;
        if (tot < 0) {
            long n = declaredLen / eb;
            long rem = declaredLen % eb;
            if (rem == 1) {
                probs.add(Problem.at(FcsProblems.DATA_END_PAST_EOF, Severity.WARNING, end,
                        "DATA end offset is one byte too far; repaired"));
            } else if (rem != 0) {
                probs.add(Problem.keyword(FcsProblems.TOT_MISMATCH, Severity.WARNING, "$ENDDATA",
                        "DATA length " + declaredLen + " is not a whole number of " + eb + "-byte events"));
            }
            long complete = Math.min(n, fileAvail / eb);
            if (complete < n) truncated(start, n, complete, eb, probs);
            return complete;
        }
        long expected = times(tot, eb); // Long.MAX_VALUE when larger: more than any file holds
        long limit = next == null ? len : next.start();
        if (expected < Long.MAX_VALUE && declaredLen == expected + 1) {
            probs.add(Problem.at(FcsProblems.DATA_END_PAST_EOF, Severity.WARNING, end,
                    "DATA end offset " + end + " is one byte too far ($TOT x " + eb + " bytes ends at "
                            + (start + expected - 1) + "); repaired"));
        } else if (declaredLen != expected) {
            boolean fits = expected <= limit - start;
            if (declaredLen > expected || fits) {
                probs.add(Problem.keyword(FcsProblems.TOT_MISMATCH, Severity.WARNING, "$TOT",
                        "DATA length " + declaredLen + " bytes disagrees with $TOT " + totText(tot) + " x " + eb
                                + " bytes = " + totBytes(tot, eb) + "; " + (fits ? "$TOT events read" : "complete events read")));
            } else if (limit < len) {
                long inside = Math.min(tot, (limit - start) / eb);
                probs.add(Problem.keyword(FcsProblems.TOT_MISMATCH, Severity.WARNING, "$TOT",
                        "DATA length " + declaredLen + " bytes disagrees with $TOT " + totText(tot) + " x " + eb
                                + " bytes = " + totBytes(tot, eb) + "; the " + inside + " complete events before the " + next.name()
                                + " at byte " + limit + " read"));
                return inside;
            }
        }
        long complete = Math.min(tot, fileAvail / eb);
        if (complete < tot) truncated(start, tot, complete, eb, probs);
        return complete;
    }

    /**
     * FCS 2.0 let integer values of $PnB bits that are not whole bytes be packed into a bit stream without padding.
     * Such DATA is refused: its bit order is not pinned down, and reading it as padded words (10/12 bits in 16) would
     * give wrong values with at most a truncation warning. It is told apart from the usual padded words, which real
     * files with $PnB 10 or 12 hold, by its length: within one event of $TOT × the event's bits and nearer to that than
     * to $TOT × the padded event size (the two at least 2 bytes apart; one byte past the padded size is the usual
     * off-by-one end). Without $TOT the two readings cannot be told apart when the length is a whole number of
     * events in both: a WARNING says so.
     */
    private void checkBitPacked(Keywords kw, long tot, long declaredLen, int eb, DataLayout layout,
                                List<Problem> probs) {
        long bits = layout.packedBits;
        if (bits == eb * 8L || tot == 0 || declaredLen <= 0) return;
        int p = layout.firstUnalignedParameter();
        String pb = unalignedBits(layout);
        long eventBytesPacked = (bits + 7) / 8;
        if (tot > Long.MAX_VALUE / bits) tot = -1; // a $TOT beyond any file says nothing about the packing
        if (tot < 0) {
            long m = declaredLen > Long.MAX_VALUE / 8 ? -1 : declaredLen * 8 / bits;
            if (m > 0 && (m * bits + 7) / 8 == declaredLen && declaredLen % eb == 0) {
                probs.add(Problem.keyword(FcsProblems.TOT_MISMATCH, Severity.WARNING, pb,
                        (hugeTot != null ? "with $TOT beyond any file" : "without $TOT") + ", DATA's " + declaredLen + " bytes hold " + declaredLen / eb + " events in whole"
                                + " bytes or " + m + " bit-packed ones of " + bits + " bits (" + pb + " "
                                + layout.bits[p] + "); read as whole bytes"));
            }
            return;
        }
        long packed = (tot * bits + 7) / 8;
        long padded = tot * eb;
        long fromPacked = Math.abs(declaredLen - packed);
        if (padded - packed >= 2 && fromPacked <= eventBytesPacked && fromPacked < Math.abs(declaredLen - padded)
                && declaredLen != padded + 1) {
            throw fatal(FcsProblems.UNSUPPORTED_DATATYPE, kwOffset(kw, pb), pb,
                    "DATA is bit-packed: its " + declaredLen + " bytes fit $TOT " + tot + " events of " + bits
                            + " bits without byte padding (" + packed + " bytes; " + pb + " " + layout.bits[p]
                            + "), not in whole bytes (" + padded + ")" + PACKED_UNSUPPORTED);
        }
    }

    /** The end of a refusal of bit-packed DATA. */
    private static final String PACKED_UNSUPPORTED = "; bit-packed integer data (FCS 2.0 allowed it) is not supported";

    /** "$PnB" of the first parameter whose bits do not fill whole bytes: the keyword a bit-packing message names. */
    private static String unalignedBits(DataLayout layout) {
        return "$P" + (layout.firstUnalignedParameter() + 1) + "B";
    }

    private void truncated(long start, long want, long complete, int eb, List<Problem> probs) {
        probs.add(Problem.at(FcsProblems.TRUNCATED_DATA, Severity.WARNING, len,
                "file is truncated at " + len + " bytes: " + complete + " of " + totText(want) + " events are complete (DATA from byte "
                        + start + ", " + eb + " bytes per event)"));
    }

    /** tot × eventBytes, or Long.MAX_VALUE when that does not fit in a long (more than any file holds). */
    private static long times(long tot, int eventBytes) {
        return tot > Long.MAX_VALUE / eventBytes ? Long.MAX_VALUE : tot * eventBytes;
    }

    /** $TOT in words: its declared digits when it is above 2^63-1. */
    private String totText(long tot) {
        return tot == Long.MAX_VALUE && hugeTot != null ? hugeTot : Long.toString(tot);
    }

    /** $TOT × event size in words, exact however large. */
    private String totBytes(long tot, int eb) {
        return new java.math.BigInteger(totText(tot)).multiply(java.math.BigInteger.valueOf(eb)).toString();
    }

    private long[] resolveAnalysis(Keywords kw, long base, long[] f, boolean required, List<Problem> probs) {
        for (String k : new String[] {"$BEGINANALYSIS", "$ENDANALYSIS"}) {
            String v = kw.getTrimmed(k);
            if (v == null && required) {
                probs.add(Problem.keyword(FcsProblems.MISSING_OPTIONAL_OFFSET_KEYWORD, Severity.WARNING, k,
                        "required keyword " + k + " is missing; the HEADER's ANALYSIS offsets are used"));
            }
            if (v != null && parseLongOr(v, -1) < 0) {
                probs.add(Problem.keyword(FcsProblems.BAD_KEYWORD_VALUE, Severity.WARNING, k,
                        k + " '" + v + "' is not an offset; ignored"));
            }
        }
        long s = f[4] > 0 ? f[4] : Math.max(0, parseLongOr(kw.getTrimmed("$BEGINANALYSIS"), 0));
        long e = f[5] > 0 ? f[5] : Math.max(0, parseLongOr(kw.getTrimmed("$ENDANALYSIS"), 0));
        if ((s > 0 || e > 0) && (s < HEADER_BYTES || e < s)) {
            probs.add(Problem.at(FcsProblems.ANALYSIS_INVALID, Severity.WARNING, base + 42,
                    "ANALYSIS offsets " + s + "-" + e + " are not a segment after the HEADER; ignored"));
            return new long[] {0, 0};
        }
        if (s <= 0 || e < s) return new long[] {0, 0};
        if (e >= len - base) {
            probs.add(Problem.at(FcsProblems.ANALYSIS_OUT_OF_FILE, Severity.WARNING, base + s,
                    "ANALYSIS segment " + s + "-" + e + " extends past the end of the file; ignored"));
            return new long[] {0, 0};
        }
        return new long[] {base + s, base + e};
    }

    /**
     * The ANALYSIS segment, or none when it overlaps TEXT, supplemental TEXT or DATA (segments are disjoint in
     * every FCS version; an overlapping one is a damaged offset, and what it covers is not analysis results).
     */
    private static long[] analysisApart(long[] an, long base, long[][] others, List<Problem> probs) {
        if (an[0] <= 0) return an;
        String[] names = {"TEXT", "supplemental TEXT", "DATA"};
        for (int i = 0; i < others.length; i++) {
            long[] o = others[i];
            if (o == null || o[1] < o[0] || an[0] > o[1] || an[1] < o[0]) continue;
            probs.add(Problem.at(FcsProblems.ANALYSIS_INVALID, Severity.WARNING, an[0], "ANALYSIS segment "
                    + (an[0] - base) + "-" + (an[1] - base) + " overlaps " + names[i] + " " + (o[0] - base) + "-"
                    + (o[1] - base) + "; ignored"));
            return new long[] {0, 0};
        }
        return an;
    }

    private void checkCrc(long base, long pos, List<Problem> probs) throws IOException {
        if (pos > len - 8 || pos <= base) return;
        byte[] c = readBytes(pos, 8);
        String s = new String(c, StandardCharsets.ISO_8859_1).strip();
        if (s.isEmpty() || s.chars().allMatch(ch -> ch == '0' || ch == 0)) return;
        if (!s.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F') || (ch >= 'a' && ch <= 'f'))) {
            return;
        }
        int crc = Crc16.ccitt(ch, base, pos);
        boolean match = false;
        try {
            match = Long.parseLong(s) == crc;
        } catch (NumberFormatException e) {
            match = false;
        }
        if (!match) match = Long.parseLong(s, 16) == crc;
        if (!match) {
            probs.add(Problem.at(FcsProblems.CRC_MISMATCH, Severity.WARNING, pos,
                    "CRC '" + s + "' does not match the computed CRC-16/CCITT " + crc + " (" + Integer.toHexString(crc)
                            + ")"));
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private long headerField(byte[] h, int k, long base, String what) {
        int from = 10 + 8 * k;
        String s = new String(h, from, 8, StandardCharsets.ISO_8859_1).strip();
        if (s.isEmpty()) return -1;
        long v = s.matches("[0-9]+") ? parseLongOr(s, -2) : -2; // ASCII digits only (no '1e3', '+7', '0x10')
        if (v < 0) {
            throw fatal(FcsProblems.BAD_HEADER_OFFSET, base + from, null,
                    "HEADER " + what + " offset '" + printable(s) + "' is not a number");
        }
        return v;
    }

    private byte[] readBytes(long pos, int n) throws IOException {
        if (pos < 0 || pos > len - n) {
            // an offset that ran past the file (or past the range of a long: a sum of offsets that overflowed)
            throw fatal(FcsProblems.TEXT_OUT_OF_FILE, pos, null, n + " bytes at byte " + Long.toUnsignedString(pos)
                    + " lie outside the file (" + len + " bytes)");
        }
        byte[] b = new byte[n];
        ByteBuffer buf = ByteBuffer.wrap(b);
        long p = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw fatal(FcsProblems.TEXT_OUT_OF_FILE, p, null, "unexpected end of file at byte " + p);
            }
            p += r;
        }
        return b;
    }

    private long requireLong(Keywords kw, String key, long min, long max) {
        String v = kw.getTrimmed(key);
        if (v == null) throw fatal(FcsProblems.MISSING_KEYWORD, -1, key, "required keyword " + key + " is missing");
        long x = parseLongOr(v, Long.MIN_VALUE);
        if (x < min || x > max) {
            throw fatal(FcsProblems.BAD_KEYWORD_VALUE, kwOffset(kw, key), key,
                    key + " '" + v + "' is not a number in [" + min + ", " + max + "]");
        }
        return x;
    }

    private static long kwOffset(Keywords kw, String key) {
        Keywords.Entry e = kw.entry(key);
        return e == null ? -1 : e.offset();
    }

    /**
     * Parses a $BYTEORD value (surrounding whitespace ignored) into 0-based byte significances, or null when it is
     * not a comma-separated permutation of 1..n.
     */
    static int[] parseByteOrd(String bo) {
        String[] parts = bo.strip().split(",");
        int[] order = new int[parts.length];
        boolean[] seen = new boolean[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long v = parseLongOr(parts[i], -1);
            if (v < 1 || v > parts.length || seen[(int) v - 1]) return null;
            seen[(int) v - 1] = true;
            order[i] = (int) v - 1;
        }
        return order;
    }

    static long parseLongOr(String s, long dflt) {
        if (s == null) return dflt;
        String t = s.strip();
        if (t.isEmpty() || hasControl(t)) return dflt;
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(t);
                if (d == Math.rint(d) && Math.abs(d) < 9.0e15) return (long) d;
            } catch (NumberFormatException e2) {
                return dflt;
            }
            return dflt;
        }
    }

    /** Float and double data are stored linear (FCS 3.1 $PnE); integer and ASCII data hold channel numbers. */
    private static boolean isFloat(char type) { return type == 'F' || type == 'D'; }

    static double parseDoubleOr(String s, double dflt) {
        if (s == null) return dflt;
        String t = s.strip();
        if (t.isEmpty() || hasControl(t)) return dflt;
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(t.replace(',', '.'));
            } catch (NumberFormatException e2) {
                return dflt;
            }
        }
    }

    /** Index of the first control character (C0, DEL, C1) of {@code t}, or -1. */
    private static int firstControl(String t) {
        for (int i = 0; i < t.length(); i++) if (Character.isISOControl(t.charAt(i))) return i;
        return -1;
    }

    /** "U+0000". */
    private static String codePoint(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    /** Index of the first character of {@code t} outside printable ASCII (32-126), or -1. */
    private static int firstNonAscii(String t) {
        for (int i = 0; i < t.length(); i++) if (t.charAt(i) < 0x20 || t.charAt(i) > 0x7e) return i;
        return -1;
    }

    /** True when {@code t} holds a control character (Double.parseDouble would silently trim one at either end). */
    private static boolean hasControl(String t) {
        return firstControl(t) >= 0;
    }

    /** {@link #noteForAll} about the $PnE of {@code ps}: "$P<first>" + {@code firstText}, the others' $PnE named. */
    private static Problem pneNote(String code, List<FcsParameter> ps, String firstText) {
        List<String> also = new ArrayList<>();
        for (FcsParameter z : ps.subList(1, ps.size())) also.add("$P" + z.index() + "E");
        String first = "$P" + ps.get(0).index();
        return noteForAll(code, first + "E", first + firstText, also);
    }

    /**
     * One INFO note for a rule that applies to several parameters: the first described in full, the others named
     * after "; also " (so a later parameter never hides behind the first).
     */
    private static Problem noteForAll(String code, String keyword, String first, List<String> also) {
        return Problem.keyword(code, Severity.INFO, keyword,
                also.isEmpty() ? first : first + "; also " + String.join(", ", also));
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 32 && c < 127) b.append(c);
            else b.append(String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }

    /**
     * {@code base + offset}, held at {@link Long#MAX_VALUE} where the sum would wrap round (an offset keyword near
     * the largest long in a later data set), so that it stays beyond the end of the file.
     */
    private static long plus(long base, long offset) {
        return offset > Long.MAX_VALUE - base ? Long.MAX_VALUE : base + offset;
    }

    private static FcsFormatException fatal(String code, long offset, String keyword, String message) {
        return new FcsFormatException(new Problem(code, Severity.ERROR, message, offset, keyword));
    }
}
