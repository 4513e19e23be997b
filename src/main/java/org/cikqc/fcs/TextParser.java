package org.cikqc.fcs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cikqc.common.Problem;
import org.cikqc.common.Severity;

/**
 * Parses one TEXT (or supplemental TEXT) segment into verbatim keyword entries.
 *
 * <p>The first byte is the delimiter (any byte value). Inside a value a doubled delimiter is an escaped delimiter.
 * Some instruments write empty values as a doubled delimiter right after a keyword ({@code /$SRC//$CELLS/},
 * {@code \Comments\\Row\2\}), so with a punctuation delimiter an even run of delimiters right after a keyword is
 * read as empty values (one per pair), not as an escaped delimiter inside the keyword, unless only the escaped
 * reading makes a standard keyword of it. The standard allows a keyword to hold an escaped delimiter, but no file of
 * the reference corpus has one, while five write empty values; flowCore's default ({@code emptyValue = TRUE}) reads
 * them the same way, FlowIO and fireflow's default merge them into one keyword ({@code $INST/$EXP}). With a letter,
 * digit, '_' or space as the delimiter, characters keyword names are made of, a doubled delimiter inside a keyword
 * is an escape ({@code $DATATYPPE} with 'P', {@code APPLY  COMPENSATION} with a space) unless the keyword before it
 * is a standard one or a '$' keyword follows (see {@link #escapedInKeyword}). A run of delimiters at the very end
 * of the segment closes the last value (the extra ones are recorded as stray). A last value with no closing
 * delimiter is accepted and recorded. Whitespace or NUL padding after the last delimiter is recorded as padding. Keys
 * and values are decoded as UTF-8 when they are valid UTF-8 and as ISO-8859-1 (lossless for every byte) otherwise.
 */
final class TextParser {

    private final byte[] buf;
    private final int end;          // exclusive
    private final long baseOffset;  // file offset of buf[0]
    private final List<Problem> problems;
    private boolean reportedLatin1;
    private int emptyValues;

    private TextParser(byte[] buf, int length, long baseOffset, List<Problem> problems) {
        this.buf = buf;
        this.end = length;
        this.baseOffset = baseOffset;
        this.problems = problems;
    }

    /** Parses {@code buf[0..length)}; buf[0] is the delimiter. Problems are appended to {@code problems}. */
    static List<Keywords.Entry> parse(byte[] buf, int length, long baseOffset, List<Problem> problems) {
        return new TextParser(buf, length, baseOffset, problems).run();
    }

    private List<Keywords.Entry> run() {
        List<Keywords.Entry> out = new ArrayList<>();
        byte d = buf[0];
        int p = 1;
        boolean inKey = true;
        ByteBuilder tok = new ByteBuilder();
        String key = null;
        long keyOffset = -1;
        int tokStart = 1;
        while (p < end) {
            byte b = buf[p];
            if (b != d) {
                if (tok.len == 0) tokStart = p;
                tok.add(b);
                p++;
                continue;
            }
            int runStart = p;
            while (p < end && buf[p] == d) p++;
            int r = p - runStart;
            boolean atEnd = p >= end;
            if (inKey) {
                if (atEnd) {
                    if (tok.len == 0) {
                        if (r > 1) stray(runStart, r - 1);
                    } else {
                        key = decode(tok, tokStart);
                        keyOffset = baseOffset + tokStart;
                        if (r >= 2) {
                            out.add(entry(key, "", keyOffset));
                            emptyValues++;
                            if (r > 2) stray(runStart + 2, r - 2);
                        } else {
                            problems.add(new Problem(FcsProblems.TEXT_DANGLING_KEYWORD, Severity.WARNING,
                                    "keyword '" + key + "' at the end of TEXT has no value; read as empty",
                                    keyOffset, key));
                            out.add(entry(key, "", keyOffset));
                        }
                    }
                    tok.len = 0;
                    break;
                }
                if (r == 1) {
                    key = decode(tok, tokStart);
                    keyOffset = baseOffset + tokStart;
                    tok.len = 0;
                    inKey = false;
                } else if (tok.len == 0) {
                    // delimiters where a keyword should start: escaped delimiters opening a keyword
                    for (int i = 0; i < r / 2; i++) tok.add(d);
                    if (r % 2 == 1) stray(runStart, 1);
                    tokStart = runStart;
                } else if (escapedInKeyword(tok, d, r, p)) {
                    // the keyword holds escaped delimiters ($DATATYPPE with 'P' as the delimiter); an odd run also
                    // ends it
                    for (int i = 0; i < r / 2; i++) tok.add(d);
                    if (r % 2 == 1) {
                        key = decode(tok, tokStart);
                        keyOffset = baseOffset + tokStart;
                        tok.len = 0;
                        tokStart = p;
                        inKey = false;
                    }
                } else if (r % 2 == 0) {
                    // an even run right after a keyword: an empty value (see the class comment)
                    key = decode(tok, tokStart);
                    keyOffset = baseOffset + tokStart;
                    out.add(entry(key, "", keyOffset));
                    emptyValues++;
                    tok.len = 0;
                    for (int i = 0; i < (r - 2) / 2; i++) tok.add(d);
                    tokStart = p;
                } else {
                    // odd run after a keyword: the keyword ends; the value starts with (r-1)/2 escaped delimiters
                    key = decode(tok, tokStart);
                    keyOffset = baseOffset + tokStart;
                    tok.len = 0;
                    for (int i = 0; i < (r - 1) / 2; i++) tok.add(d);
                    tokStart = runStart + 1;
                    inKey = false;
                }
            } else {
                if (atEnd) {
                    out.add(entry(key, decode(tok, tokStart), keyOffset));
                    if (r > 1) stray(runStart + 1, r - 1);
                    tok.len = 0;
                    inKey = true;
                    break;
                }
                if (r == 1) {
                    out.add(entry(key, decode(tok, tokStart), keyOffset));
                    tok.len = 0;
                    inKey = true;
                } else {
                    if (tok.len == 0) tokStart = runStart;
                    for (int i = 0; i < r / 2; i++) tok.add(d);
                    if (r % 2 == 1) {
                        out.add(entry(key, decode(tok, tokStart), keyOffset));
                        tok.len = 0;
                        inKey = true;
                    }
                }
            }
        }
        if (tok.len > 0 || !inKey) {
            if (inKey) {
                if (isPadding(tok)) {
                    problems.add(Problem.at(FcsProblems.TEXT_TRAILING_PADDING, Severity.INFO, baseOffset + tokStart,
                            "TEXT has " + tok.len + " padding byte(s) (space/NUL) after its last delimiter"));
                } else {
                    String k = decode(tok, tokStart);
                    problems.add(new Problem(FcsProblems.TEXT_DANGLING_KEYWORD, Severity.WARNING,
                            "text '" + abbreviate(k) + "' after the last delimiter has no value; ignored",
                            baseOffset + tokStart, null));
                }
            } else {
                String v = decode(tok, tokStart);
                problems.add(new Problem(FcsProblems.TEXT_UNTERMINATED_VALUE, Severity.WARNING,
                        "last value of TEXT is not closed by a delimiter; read up to the segment end",
                        keyOffset, key));
                out.add(entry(key, v, keyOffset));
            }
        }
        if (emptyValues > 0) {
            problems.add(Problem.at(FcsProblems.TEXT_EMPTY_VALUE, Severity.WARNING, baseOffset,
                    "TEXT has " + emptyValues + " empty keyword value(s) written as doubled delimiters; read as empty"));
        }
        return out;
    }

    /**
     * Whether a run of {@code r} (≥ 2) delimiters right after the keyword fragment {@code tok} escapes delimiters
     * inside the keyword rather than closing it (an empty value for an even run; escaped delimiters opening the value
     * for an odd one). Only the names decide it: the keyword with the escapes is a standard FCS keyword and the
     * fragment is not ($DATATY + PP + E with 'P' as the delimiter), or, for an even run, the delimiter is a letter,
     * digit, '_' or space (which keyword names hold: APPLY COMPENSATION, FSC ASF) and the fragment is not a standard
     * keyword while the text after the run does not start a new one with '$'. Punctuation delimiters keep the
     * empty-value reading real files need ({@code \Comments\\Row\2\}), unless that reading would give the same
     * keyword twice (see {@link #repeatsBeforeDoubledDelimiter}).
     */
    private boolean escapedInKeyword(ByteBuilder tok, byte d, int r, int after) {
        String prefix = new String(tok.bytes, 0, tok.len, StandardCharsets.ISO_8859_1);
        String escapes = new String(new byte[] {d}, StandardCharsets.ISO_8859_1).repeat(r / 2);
        boolean prefixStandard = isStandardKeyword(prefix);
        if (r % 2 == 1) return !prefixStandard && isStandardKeyword(prefix + escapes);
        int e = after;
        while (e < end && buf[e] != d) e++;
        String suffix = new String(buf, after, e - after, StandardCharsets.ISO_8859_1);
        if (suffix.startsWith("$")) return false;
        boolean joinedStandard = isStandardKeyword(prefix + escapes + suffix);
        if (joinedStandard != prefixStandard) return joinedStandard;
        boolean word = Character.isLetterOrDigit((char) (d & 0xFF)) && (d & 0x80) == 0 || d == '_' || d == ' ';
        return !prefixStandard && (word || r == 2 && repeatsBeforeDoubledDelimiter(tok, d));
    }

    /**
     * Whether the keyword fragment {@code tok}, preceded by a delimiter, is followed by exactly two delimiters in more
     * than one place of the segment: read as a keyword with an empty value it would occur twice (keywords match
     * case-insensitively: {@code /CD Gag//100 CD4 Cells/12.5/CD GAG//100 TM CELLS/3.1/}, FlowJo's keywords of corpus
     * file 100715 written with '/'), so the pairs are escapes inside longer keywords.
     */
    private boolean repeatsBeforeDoubledDelimiter(ByteBuilder tok, byte d) {
        int n = tok.len;
        int found = 0;
        for (int i = 0; i + n + 3 < end; i++) {
            if (buf[i] != d || buf[i + n + 1] != d || buf[i + n + 2] != d || buf[i + n + 3] == d) continue;
            boolean same = true;
            for (int k = 0; k < n && same; k++) same = upper(buf[i + 1 + k]) == upper(tok.bytes[k]);
            if (same && ++found > 1) return true;
        }
        return false;
    }

    private static int upper(byte b) { return b >= 'a' && b <= 'z' ? b - 32 : b; }

    private static final java.util.regex.Pattern STANDARD_KEYWORD = java.util.regex.Pattern.compile("\\$(ABRT"
            + "|BEGINANALYSIS|BEGINDATA|BEGINSTEXT|BTIM|BYTEORD|CARRIERID|CARRIERTYPE|CELLS|COM|COMP|CSMODE|CSVBITS|CYT"
            + "|CYTSN|DATATYPE|DATE|ENDANALYSIS|ENDDATA|ENDSTEXT|ETIM|EXP|FIL|FLOWRATE|GATE|GATING|INST|LAST_MODIFIED"
            + "|LAST_MODIFIER|LOCATIONID|LOST|MODE|NEXTDATA|OP|ORIGINALITY|PAR|PLATEID|PLATENAME|PROJ|SMNO|SPILLOVER|SRC"
            + "|SYS|TIMESTEP|TOT|TR|UNICODE|UNSTAINEDCENTERS|UNSTAINEDINFO|VOL|WELLID"
            + "|P\\d+(B|D|E|F|G|L|N|O|P|R|S|T|V|CALIBRATION|DATATYPE|DET|TAG|TYPE|FEATURE|ANALYTE)"
            + "|G\\d+[EFNPRSTV]|R\\d+[IW]|CSV\\d+FLAG|DFC\\d+TO\\d+|PK\\d+|PKN\\d+)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** A keyword name the FCS standards (2.0 to 3.2) define. */
    static boolean isStandardKeyword(String name) { return STANDARD_KEYWORD.matcher(name.strip()).matches(); }

    private void stray(int at, int n) {
        problems.add(Problem.at(FcsProblems.TEXT_STRAY_DELIMITER, Severity.WARNING, baseOffset + at,
                n + " stray delimiter(s) at the end of a TEXT value; ignored"));
    }

    private static boolean isPadding(ByteBuilder t) {
        for (int i = 0; i < t.len; i++) {
            if (!AsciiNumbers.isBlank(t.bytes[i])) return false;
        }
        return true;
    }

    private static Keywords.Entry entry(String key, String value, long offset) {
        return new Keywords.Entry(key, value, offset);
    }

    private String decode(ByteBuilder t, int start) {
        boolean ascii = true;
        for (int i = 0; i < t.len; i++) if (t.bytes[i] < 0) { ascii = false; break; }
        if (ascii) return new String(t.bytes, 0, t.len, StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(t.bytes, 0, t.len)).toString();
        } catch (CharacterCodingException e) {
            if (!reportedLatin1) {
                reportedLatin1 = true;
                problems.add(Problem.at(FcsProblems.TEXT_NOT_UTF8, Severity.INFO, baseOffset + start,
                        "TEXT has bytes that are not UTF-8; decoded as ISO-8859-1 (lossless)"));
            }
            return new String(t.bytes, 0, t.len, StandardCharsets.ISO_8859_1);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Minimal growable byte array. */
    private static final class ByteBuilder {
        byte[] bytes = new byte[64];
        int len;

        void add(byte b) {
            if (len == bytes.length) bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
            bytes[len++] = b;
        }
    }
}
