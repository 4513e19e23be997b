package org.cikqc.compensation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.Keywords;

/**
 * Reads spillover matrices from FCS keywords and from FlowJo-style CSV/TSV files.
 *
 * <h2>Keywords ({@link #fromKeywords})</h2>
 * Sources in order of preference; the first that parses to a usable (invertible) matrix wins:
 * <ol>
 * <li>{@code $SPILLOVER} (FCS 3.1), {@code SPILL} (BD), {@code $SPILL}, {@code SPILLOVER}/{@code spillover}:
 *     {@code n, c1..cn, v11, v12, .., vnn}, row-major, row i = source (dye of channel ci), column j = detector cj.
 *     Channels are $PnN names (matched exactly, case-insensitively, or with/without -A/-H when unambiguous) or
 *     1-based parameter numbers (Beckman/Accuri write {@code 3,4,...}; flowCore-rewritten files write
 *     {@code X3}); matrices may leave scatter channels out. Values written with decimal commas ({@code 0,5}) are
 *     detected when the value count exceeds n² and only one reading gives a spillover matrix (unit diagonal,
 *     |off-diagonal| &lt;= 1).</li>
 * <li>{@code $COMP} (FCS 2.0/3.0, e.g. Beckman Gallios/Navios): {@code n, m11..mnn} over parameters $P1..$Pn,
 *     read with the $SPILLOVER orientation (row = source parameter, column = detector parameter). Parameters whose
 *     diagonal is 0 (e.g. TIME, which Beckman writes as an all-zero row) are not compensated. Real Beckman files
 *     also write $COMP matrices that are not spillover matrices at all (blocks of 1.0 linking the -H/-A/-W
 *     signals of one detector, which are singular): those are reported and ignored.</li>
 * <li>{@code $DFCiTOj} (Beckman CXP/Kaluza FCS 2.0 data sets; Navios IFU: "% of FLi to subtract from FLj"):
 *     spillover of the dye of FLi into detector FLj = value/100, i.e. row FLi, column FLj, unit diagonal. FLi are
 *     the parameters named {@code FL<i>} plus an optional suffix ({@code FL1}, {@code FL1 Log}, {@code FL1 INT LIN});
 *     one block is built per suffix. Evidence for the orientation: the FC500 file of the corpus has
 *     {@code $DFC1TO2=11.20, $DFC2TO1=0.90} for a FITC (FL1) / PE (FL2) stain, and FITC spills ~10% into the PE
 *     detector while PE spills ~1% into the FITC one. All-zero $DFC sets mean "no compensation" (no matrix).</li>
 * </ol>
 * Nothing is thrown for bad keywords: each defect becomes a {@link Problem} (WARNING, keyword named) and that
 * source is ignored, so LENIENT callers fall back to the next source and STRICT callers can refuse. When several
 * sources parse and compensate differently (coefficients differing by more than 1e-6, identity-padded), the
 * preferred one is returned with a {@code SPILLOVER_CONFLICT} WARNING.
 *
 * <p>Problem codes: {@code SPILLOVER_MALFORMED}, {@code SPILLOVER_UNKNOWN_CHANNEL}, {@code SPILLOVER_SINGULAR},
 * {@code SPILLOVER_DECIMAL_COMMA}, {@code SPILLOVER_CHANNEL_ALIAS} (INFO), {@code SPILLOVER_CONFLICT},
 * {@code DFC_UNMAPPED}.
 *
 * <h2>CSV / TSV ({@link #fromCsv})</h2>
 * A header line of detector names, then one row of coefficients per source. Tab, semicolon or comma separated
 * (semicolon files may use decimal commas). The first column may hold row labels (sources), with or without a
 * header cell for it; a leading {@code #} on the header line is ignored (FlowJo/FlowKit exports write
 * {@code # FITC-A,PE-A,...}), and comment/title lines before the header are skipped. Without row labels the matrix is
 * square with sources = detectors. A "null channel" matrix that leaves a detector out simply does not compensate it.
 */
public final class SpilloverParser {

    /** Keywords holding an n, names, n×n spillover matrix, in order of preference. */
    public static final List<String> SPILLOVER_KEYWORDS = List.of("$SPILLOVER", "SPILL", "$SPILL", "SPILLOVER");

    static final double CONFLICT_TOL = 1e-6;

    private static final Pattern INT = Pattern.compile("[+-]?\\d+");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern X_NUMBER = Pattern.compile("[Xx](\\d+)");
    private static final Pattern DFC = Pattern.compile("\\$DFC(\\d+)TO(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FL = Pattern.compile("FL(\\d+)(\\D.*)?", Pattern.CASE_INSENSITIVE);

    private SpilloverParser() { }

    /** A parsed candidate: a matrix, or null when the source was unusable (its problems are recorded). */
    private record Candidate(String keyword, SpilloverMatrix matrix) { }

    /**
     * True when the keywords hold a matrix keyword that {@link #fromKeywords} reads and that states a compensation:
     * a spillover keyword or {@code $COMP}. {@code $DFCiTOj} is left out: instruments write a full set of zeros to
     * say "no compensation" (Gallios), so a set that yields no matrix is not a defect.
     */
    public static boolean hasMatrixKeyword(Keywords kw) {
        for (String key : SPILLOVER_KEYWORDS) if (kw.entry(key) != null) return true;
        return kw.entry("$COMP") != null;
    }

    /**
     * The spillover matrix declared by one data set's keywords, or empty when none is usable.
     *
     * @param kw       the data set's keywords
     * @param params   its parameters ($P1 first)
     * @param problems receives one Problem per defect found (never thrown)
     */
    public static Optional<SpilloverMatrix> fromKeywords(Keywords kw, List<FcsParameter> params, List<Problem> problems) {
        List<Candidate> found = new ArrayList<>();
        for (String key : SPILLOVER_KEYWORDS) {
            Keywords.Entry e = kw.entry(key);
            if (e == null) continue;
            SpilloverMatrix m = parseSpillover(e.key().strip(), e.value(), params, problems);
            found.add(new Candidate(e.key().strip(), m));
        }
        Keywords.Entry comp = kw.entry("$COMP");
        if (comp != null) found.add(new Candidate("$COMP", parseComp(comp.value(), params, problems)));
        if (hasDfc(kw)) found.add(new Candidate("$DFCiTOj", parseDfc(kw, params, problems)));

        Candidate chosen = null;
        for (Candidate c : found) {
            if (c.matrix() != null) { chosen = c; break; }
        }
        if (chosen == null) return Optional.empty();
        for (Candidate c : found) {
            if (c == chosen || c.matrix() == null) continue;
            if (!chosen.matrix().sameCompensation(c.matrix(), CONFLICT_TOL)) {
                problems.add(Problem.keyword("SPILLOVER_CONFLICT", Severity.WARNING, c.keyword(),
                        chosen.keyword() + " and " + c.keyword() + " declare different compensation; using "
                                + chosen.keyword()));
            }
        }
        return Optional.of(chosen.matrix());
    }

    // ------------------------------------------------------------------ $SPILLOVER / SPILL

    /** Parses one n,names,values keyword value; null (with a Problem) when unusable. */
    static SpilloverMatrix parseSpillover(String key, String value, List<FcsParameter> params, List<Problem> problems) {
        List<String> tok = tokens(value);
        if (tok.isEmpty()) return malformed(problems, key, key + " is empty");
        Integer n = parseCount(tok.get(0));
        if (n == null || n < 1) return malformed(problems, key, key + ": first field '" + tok.get(0) + "' is not a channel count");
        if (tok.size() < 1 + n) {
            return malformed(problems, key, key + ": declares " + n + " channels but has only " + (tok.size() - 1) + " fields");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = resolveChannel(key, tok.get(1 + i), params, problems);
            if (name == null) return null;
            if (names.contains(name)) return malformed(problems, key, key + ": channel " + name + " listed twice");
            names.add(name);
        }
        double[][] v = values(key, tok.subList(1 + n, tok.size()), n, problems);
        if (v == null) return null;
        return usable(key, new SpilloverMatrix(names, names, v, key), problems);
    }

    private static Integer parseCount(String s) {
        String t = s.strip();
        if (t.matches("\\d{1,5}")) return Integer.parseInt(t);
        if (t.matches("\\d{1,5}\\.0*")) return (int) Double.parseDouble(t);
        return null;
    }

    /** A $PnN name for one channel field (name or 1-based parameter number), or null with a Problem. */
    private static String resolveChannel(String key, String field, List<FcsParameter> params, List<Problem> problems) {
        ChannelMatcher.Match m = ChannelMatcher.find(field, params);
        if (m.found()) return params.get(m.position()).name();
        String f = field.strip();
        if (INT.matcher(f).matches()) {
            int k = Integer.parseInt(f);
            if (k >= 1 && k <= params.size()) return params.get(k - 1).name();
            unknown(problems, key, key + ": channel number " + f + " is outside $P1..$P" + params.size());
            return null;
        }
        Matcher x = X_NUMBER.matcher(f);
        if (x.matches()) {
            int k = Integer.parseInt(x.group(1));
            if (k >= 1 && k <= params.size()) {
                problems.add(Problem.keyword("SPILLOVER_CHANNEL_ALIAS", Severity.INFO, key, key + ": channel '" + f
                        + "' read as parameter number " + k + " (" + params.get(k - 1).name() + ")"));
                return params.get(k - 1).name();
            }
        }
        unknown(problems, key, key + ": channel '" + f + "' " + m.reason() + " " + ChannelMatcher.allNames(params));
        return null;
    }

    // ------------------------------------------------------------------ $COMP

    static SpilloverMatrix parseComp(String value, List<FcsParameter> params, List<Problem> problems) {
        String key = "$COMP";
        List<String> tok = tokens(value);
        if (tok.isEmpty()) return malformed(problems, key, "$COMP is empty");
        Integer n = parseCount(tok.get(0));
        if (n == null || n < 1) return malformed(problems, key, "$COMP: first field '" + tok.get(0) + "' is not a dimension");
        if (n > params.size()) {
            return malformed(problems, key, "$COMP: dimension " + n + " exceeds the " + params.size() + " parameters");
        }
        double[][] v = values(key, tok.subList(1, tok.size()), n, problems);
        if (v == null) return null;
        List<String> keep = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (v[i][i] != 0) {
                keep.add(params.get(i).name());
                idx.add(i);
            }
        }
        if (keep.isEmpty()) return malformed(problems, key, "$COMP: every diagonal coefficient is 0");
        double[][] sub = new double[keep.size()][keep.size()];
        for (int i = 0; i < sub.length; i++) {
            for (int j = 0; j < sub.length; j++) sub[i][j] = v[idx.get(i)][idx.get(j)];
        }
        return usable(key, new SpilloverMatrix(keep, keep, sub, key), problems);
    }

    // ------------------------------------------------------------------ $DFCiTOj

    private static boolean hasDfc(Keywords kw) {
        for (Keywords.Entry e : kw.entries()) if (DFC.matcher(e.key().strip()).matches()) return true;
        return false;
    }

    static SpilloverMatrix parseDfc(Keywords kw, List<FcsParameter> params, List<Problem> problems) {
        String key = "$DFCiTOj";
        Map<Long, Double> coef = new LinkedHashMap<>();
        for (Keywords.Entry e : kw.entries()) {
            Matcher m = DFC.matcher(e.key().strip());
            if (!m.matches()) continue;
            int from = Integer.parseInt(m.group(1));
            int to = Integer.parseInt(m.group(2));
            String raw = e.value().strip();
            String s = raw.indexOf('.') < 0 ? raw.replace(',', '.') : raw;
            double p;
            try {
                p = Double.parseDouble(s);
            } catch (NumberFormatException ex) {
                problems.add(Problem.keyword("SPILLOVER_MALFORMED", Severity.WARNING, e.key().strip(),
                        e.key().strip() + ": '" + raw + "' is not a number; $DFCiTOj compensation ignored"));
                return null;
            }
            if (!Double.isFinite(p)) {
                problems.add(Problem.keyword("SPILLOVER_MALFORMED", Severity.WARNING, e.key().strip(),
                        e.key().strip() + ": '" + raw + "' is not finite; $DFCiTOj compensation ignored"));
                return null;
            }
            if (from != to && p != 0) coef.putIfAbsent(((long) from << 32) | to, p);
        }
        if (coef.isEmpty()) return null; // all zero: the instrument declares no compensation
        // FL numbers involved in non-zero coefficients
        TreeSet<Integer> involved = new TreeSet<>();
        for (long k : coef.keySet()) {
            involved.add((int) (k >>> 32));
            involved.add((int) k);
        }
        // group parameters named FL<i><suffix> by suffix
        Map<String, TreeMap<Integer, String>> groups = new LinkedHashMap<>();
        for (FcsParameter p : params) {
            Matcher m = FL.matcher(p.name().strip());
            if (!m.matches()) continue;
            int i = Integer.parseInt(m.group(1));
            if (!involved.contains(i)) continue;
            String suffix = m.group(2) == null ? "" : m.group(2).strip().toUpperCase(Locale.ROOT);
            groups.computeIfAbsent(suffix, s -> new TreeMap<>()).putIfAbsent(i, p.name());
        }
        List<String> names = new ArrayList<>();
        List<Integer> fl = new ArrayList<>();
        List<Integer> block = new ArrayList<>();
        int b = 0;
        for (TreeMap<Integer, String> g : groups.values()) {
            boolean any = false;
            for (int i : g.keySet()) {
                for (int j : g.keySet()) if (coef.containsKey(((long) i << 32) | j)) any = true;
            }
            if (!any) continue;
            for (Map.Entry<Integer, String> e : g.entrySet()) {
                names.add(e.getValue());
                fl.add(e.getKey());
                block.add(b);
            }
            b++;
        }
        if (names.isEmpty()) {
            problems.add(Problem.keyword("DFC_UNMAPPED", Severity.WARNING, key, "$DFCiTOj: no pair of parameters named FL"
                    + involved + " carries the non-zero coefficients; compensation ignored"));
            return null;
        }
        double[][] v = new double[names.size()][names.size()];
        for (int r = 0; r < v.length; r++) {
            for (int c = 0; c < v.length; c++) {
                if (r == c) v[r][c] = 1;
                else if (block.get(r).equals(block.get(c))) {
                    Double p = coef.get(((long) fl.get(r) << 32) | fl.get(c));
                    v[r][c] = p == null ? 0 : p / 100.0;
                }
            }
        }
        return usable(key, new SpilloverMatrix(names, names, v, key), problems);
    }

    // ------------------------------------------------------------------ shared helpers

    /** Splits on commas, trims, drops trailing empty fields. */
    static List<String> tokens(String value) {
        List<String> out = new ArrayList<>(Arrays.asList(value.split(",", -1)));
        for (int i = 0; i < out.size(); i++) out.set(i, out.get(i).strip());
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return out;
    }

    /** n×n values from the value fields, handling decimal commas; null with a Problem when impossible. */
    static double[][] values(String key, List<String> fields, int n, List<Problem> problems) {
        int need = n * n;
        if (fields.size() < need) {
            return malformed(problems, key, key + ": expected " + need + " coefficients for " + n + " channels, found "
                    + fields.size());
        }
        double[] flat;
        if (fields.size() == need) {
            flat = new double[need];
            for (int i = 0; i < need; i++) {
                Double d = number(fields.get(i));
                if (d == null) {
                    return malformed(problems, key, key + ": coefficient " + (i + 1) + " '" + fields.get(i) + "' is not a number");
                }
                flat[i] = d;
            }
        } else {
            flat = decimalCommas(fields, n);
            if (flat == null) {
                return malformed(problems, key, key + ": " + fields.size() + " fields where " + need
                        + " coefficients were expected, and no unambiguous decimal-comma reading exists");
            }
            problems.add(Problem.keyword("SPILLOVER_DECIMAL_COMMA", Severity.WARNING, key, key
                    + ": coefficients written with decimal commas (" + fields.size() + " fields for " + need
                    + " values); read as decimals"));
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(flat, i * n, v[i], 0, n);
        return v;
    }

    private static Double number(String s) {
        if (s.isEmpty()) return null;
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Reads {@code fields} as n² numbers where some are split in two by a decimal comma ("0,5" → 0 and 5). If every
     * pair merges (all values written with a comma) that reading is taken; otherwise a bounded search keeps the
     * readings that look like a spillover matrix (unit diagonal, |off-diagonal| &lt;= 1) and succeeds only when exactly
     * one remains.
     */
    static double[] decimalCommas(List<String> fields, int n) {
        int need = n * n;
        int r = fields.size();
        if (r == 2 * need) {
            double[] out = new double[need];
            boolean ok = true;
            for (int i = 0; i < need && ok; i++) {
                Double d = merge(fields.get(2 * i), fields.get(2 * i + 1));
                if (d == null) ok = false; else out[i] = d;
            }
            if (ok && plausible(out, n, need)) return out;
        }
        double[][] found = new double[2][];
        int[] count = {0};
        long[] budget = {200_000};
        search(fields, 0, new double[need], 0, n, found, count, budget);
        if (count[0] == 1 && budget[0] > 0) return found[0];
        return null;
    }

    private static void search(List<String> f, int pos, double[] acc, int k, int n, double[][] found, int[] count,
                               long[] budget) {
        if (count[0] > 1 || --budget[0] <= 0) return;
        int need = n * n;
        int remainingFields = f.size() - pos;
        int remainingValues = need - k;
        if (remainingFields < remainingValues || remainingFields > 2 * remainingValues) return;
        if (k == need) {
            if (pos == f.size()) {
                if (count[0] == 0) found[0] = acc.clone();
                count[0]++;
            }
            return;
        }
        boolean diag = k / n == k % n;
        // merged "int,frac"
        if (pos + 1 < f.size()) {
            Double d = merge(f.get(pos), f.get(pos + 1));
            if (d != null && plausibleValue(d, diag)) {
                acc[k] = d;
                search(f, pos + 2, acc, k + 1, n, found, count, budget);
            }
        }
        Double d = number(f.get(pos));
        if (d != null && plausibleValue(d, diag)) {
            acc[k] = d;
            search(f, pos + 1, acc, k + 1, n, found, count, budget);
        }
    }

    private static Double merge(String intPart, String frac) {
        if (!INT.matcher(intPart).matches() || !DIGITS.matcher(frac).matches()) return null;
        return number(intPart + "." + frac);
    }

    private static boolean plausibleValue(double v, boolean diagonal) {
        return diagonal ? Math.abs(v - 1) < 1e-12 : Math.abs(v) <= 1;
    }

    private static boolean plausible(double[] flat, int n, int need) {
        for (int k = 0; k < need; k++) if (!plausibleValue(flat[k], k / n == k % n)) return false;
        return true;
    }

    /** Returns m if it can be inverted, else records SPILLOVER_SINGULAR and returns null. */
    private static SpilloverMatrix usable(String key, SpilloverMatrix m, List<Problem> problems) {
        String diagonal = m.nonUnitDiagonal();
        if (diagonal != null) {
            return malformed(problems, key, key + ": coefficient " + diagonal + " is not 1 (a spillover matrix has 1 on"
                    + " its diagonal; as written it would rescale that channel)");
        }
        if (!m.isInvertible()) {
            problems.add(Problem.keyword("SPILLOVER_SINGULAR", Severity.WARNING, key, key + ": the " + m.sourceCount()
                    + "x" + m.detectorCount() + " matrix over " + m.detectors()
                    + " is singular (not a spillover matrix); ignored"));
            return null;
        }
        return m;
    }

    private static <T> T malformed(List<Problem> problems, String key, String msg) {
        problems.add(Problem.keyword("SPILLOVER_MALFORMED", Severity.WARNING, key, msg + "; matrix ignored"));
        return null;
    }

    private static void unknown(List<Problem> problems, String key, String msg) {
        problems.add(Problem.keyword("SPILLOVER_UNKNOWN_CHANNEL", Severity.WARNING, key, msg + "; matrix ignored"));
    }

    // ------------------------------------------------------------------ CSV / TSV

    /**
     * Reads a FlowJo-style matrix file (see the class description).
     *
     * @throws CikqcException INVALID_INPUT naming the file, row and problem (e.g.
     *                        {@code comp.csv: row 3 has 5 values, expected 6}); OUTPUT_IO is never used
     */
    public static SpilloverMatrix fromCsv(Path file) {
        return readCsv(file).matrix();
    }

    /**
     * A matrix file as read: the matrix and the SHA-256 of the very bytes it was parsed from (a file rewritten
     * while it is in use is then recorded as the version used, not as the version found afterwards).
     */
    public record CsvMatrix(SpilloverMatrix matrix, String sha256) { }

    /** As {@link #fromCsv}, with the hash of the bytes read. */
    public static CsvMatrix readCsv(Path file) {
        String fname = file.getFileName().toString();
        byte[] bytes;
        try {
            bytes = org.cikqc.common.RegularFiles.readAll(file, 16L << 20, "compensation matrix file");
        } catch (java.nio.file.NoSuchFileException e) {
            throw CikqcException.input(fname + ": no such file");
        } catch (IOException e) {
            throw CikqcException.inputFailed(fname + ": cannot read", e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.ISO_8859_1); // Latin-1 exports (e.g. "µ" in a detector name)
        }
        return new CsvMatrix(parseCsv(fname, text.lines().toList()), org.cikqc.common.Sha256.hex(bytes));
    }

    static SpilloverMatrix parseCsv(String fname, List<String> rawLines) {
        List<String> lines = new ArrayList<>();
        List<Integer> lineNo = new ArrayList<>();
        for (int i = 0; i < rawLines.size(); i++) {
            String l = rawLines.get(i);
            if (i == 0 && !l.isEmpty() && l.charAt(0) == '\uFEFF') l = l.substring(1);
            if (l.isBlank()) continue;
            lines.add(l);
            lineNo.add(i + 1);
        }
        if (lines.isEmpty()) throw CikqcException.input(fname + ": empty matrix file");
        char sep = delimiter(lines);
        boolean decimalComma = sep == ';';
        // header: the first line with two or more cells (a leading '#' is ignored, but a '#' line followed by another
        // non-numeric line is a comment); single-cell title lines are skipped (or are the header of a 1x1 matrix)
        int headerAt = -1;
        int fallback = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (isDataRow(cells(l, sep), decimalComma)) {
                if (headerAt < 0 && fallback == i - 1 && fallback >= 0) headerAt = fallback;
                break;
            }
            boolean hash = l.startsWith("#");
            List<String> c = cells(hash ? l.substring(1) : l, sep);
            long nonEmpty = c.stream().filter(x -> !x.isEmpty()).count();
            if (nonEmpty >= 2) {
                boolean nextIsData = i + 1 < lines.size() && isDataRow(cells(lines.get(i + 1), sep), decimalComma);
                if (hash && !nextIsData) continue;
                headerAt = i;
                break;
            }
            fallback = i;
        }
        if (headerAt < 0) {
            boolean anyData = false;
            for (String l : lines) anyData |= isDataRow(cells(l, sep), decimalComma);
            throw CikqcException.input(fname + (anyData ? ": no header line with detector names before the coefficients"
                    : ": no row of numeric coefficients found"));
        }
        int firstData = headerAt + 1;
        if (firstData >= lines.size()) throw CikqcException.input(fname + ": no row of numeric coefficients found");
        String headerLine = lines.get(headerAt).strip();
        if (headerLine.startsWith("#")) headerLine = headerLine.substring(1);
        List<String> header = cells(headerLine, sep);
        // data rows: until the end (comment lines skipped)
        List<List<String>> rows = new ArrayList<>();
        List<Integer> rowLine = new ArrayList<>();
        for (int i = firstData; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("#")) continue;
            rows.add(cells(lines.get(i), sep));
            rowLine.add(lineNo.get(i));
        }
        // row labels?
        List<String> first = rows.get(0);
        boolean labels = !isNumber(first.get(0), decimalComma);
        List<String> detectors = new ArrayList<>(header);
        if (labels && header.size() == first.size()) detectors.remove(0); // header has a cell over the labels
        while (!detectors.isEmpty() && detectors.get(detectors.size() - 1).isEmpty()) detectors.remove(detectors.size() - 1);
        for (int j = 0; j < detectors.size(); j++) {
            if (detectors.get(j).isEmpty()) throw CikqcException.input(fname + ": header column " + (j + 1) + " is empty");
        }
        int m = detectors.size();
        if (m == 0) throw CikqcException.input(fname + ": header line has no detector names");
        List<String> sources = new ArrayList<>();
        double[][] v = new double[rows.size()][m];
        for (int r = 0; r < rows.size(); r++) {
            List<String> c = new ArrayList<>(rows.get(r));
            while (c.size() > m + (labels ? 1 : 0) && c.get(c.size() - 1).isEmpty()) c.remove(c.size() - 1);
            String label = null;
            if (labels) {
                label = c.remove(0);
                if (label.isEmpty()) throw CikqcException.input(fname + ": row " + (r + 1) + " (line " + rowLine.get(r) + ") has no row label");
                sources.add(label);
            }
            if (c.size() != m) {
                throw CikqcException.input(fname + ": row " + (r + 1) + " has " + c.size() + " values, expected " + m);
            }
            for (int j = 0; j < m; j++) {
                String s = c.get(j);
                if (decimalComma) s = s.replace(',', '.');
                Double d = number(s);
                if (d == null) {
                    throw CikqcException.input(fname + ": row " + (r + 1) + ", column '" + detectors.get(j) + "': '"
                            + c.get(j) + "' is not a number");
                }
                v[r][j] = d;
            }
        }
        if (!labels) {
            if (rows.size() != m) {
                throw CikqcException.input(fname + ": " + rows.size() + " rows of coefficients for " + m
                        + " detectors (a matrix without row labels must be square)");
            }
            sources = detectors;
        }
        SpilloverMatrix matrix = new SpilloverMatrix(sources, detectors, v, "csv:" + fname);
        String diagonal = matrix.nonUnitDiagonal();
        if (diagonal != null) {
            throw CikqcException.input(fname + ": coefficient " + diagonal + " is not 1: a spillover matrix has 1 on its"
                    + " diagonal" + (diagonal.endsWith("= 100") ? " (a percentage matrix: divide it by 100)" : ""));
        }
        return matrix;
    }

    private static char delimiter(List<String> lines) {
        for (String l : lines) if (l.indexOf('\t') >= 0) return '\t';
        for (String l : lines) if (l.indexOf(';') >= 0) return ';';
        return ',';
    }

    private static List<String> cells(String line, char sep) {
        List<String> out = new ArrayList<>();
        for (String c : line.split(Pattern.quote(String.valueOf(sep)), -1)) {
            String t = c.strip();
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1).strip();
            out.add(t);
        }
        return out;
    }

    private static boolean isNumber(String s, boolean decimalComma) {
        return number(decimalComma ? s.replace(',', '.') : s) != null;
    }

    private static boolean isDataRow(List<String> c, boolean decimalComma) {
        int numeric = 0;
        int nonEmpty = 0;
        for (int i = 0; i < c.size(); i++) {
            if (c.get(i).isEmpty()) continue;
            nonEmpty++;
            if (isNumber(c.get(i), decimalComma)) numeric++;
        }
        if (nonEmpty < 1 || numeric < 1) return false;
        return numeric == nonEmpty || (numeric == nonEmpty - 1 && !isNumber(c.get(0), decimalComma) && !c.get(0).isEmpty());
    }
}
