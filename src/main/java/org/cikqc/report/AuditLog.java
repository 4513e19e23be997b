package org.cikqc.report;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The append-only, hash-chained audit trail (21 CFR 11.10(e), EU GMP Annex 11 §9): one JSON object per line.
 *
 * <h2>Format {@code cikqc.audit/1}</h2>
 * Each line is ASCII JSON (non-ASCII characters escaped), ended by a single {@code '\n'}, with the keys in this
 * order:
 * <pre>
 * {"schema":"cikqc.audit/1","seq":7,"ts":"2026-03-01T10:15:02.113Z","actor":"qc-hook@flow-pc-2",
 *  "action":"analyze","inputs":[{"file":"A01.fcs","sha256":"…"}],"outputs":[{"file":"report.pdf","sha256":"…"}],
 *  "details":{…},"prev":"&lt;sha256 of line 6&gt;","hash":"&lt;sha256 of this line without ,"hash":…&gt;"}
 * </pre>
 * <ul>
 * <li>{@code seq} counts from 1 and equals the line number;</li>
 * <li>{@code ts} is UTC, millisecond precision, from the injected {@link Clock};</li>
 * <li>{@code prev} is the SHA-256 (hex) of the previous line's exact bytes without its {@code '\n'}, or 64 zeros
 * on line 1;</li>
 * <li>{@code hash} is the SHA-256 of this line's bytes with the trailing {@code ,"hash":"…"} removed (the line up
 * to and including the {@code prev} value, then {@code '}'}).</li>
 * </ul>
 * Editing any byte breaks that line's {@code hash}; deleting, inserting or reordering lines breaks the next
 * line's {@code prev} and the {@code seq} count. Deleting the newest lines, or rewriting the whole chain, can only
 * be detected against an anchor kept elsewhere: record the {@link Appended#lineHash()} of an entry (the SHA-256 of
 * its whole line, which {@code audit verify} prints as the head) outside the log, e.g. in the LIMS, and pass it to {@link #verify(Path, Collection)}.
 *
 * <h2>Concurrency and crashes</h2>
 * An append holds a per-file lock in this JVM and an OS lock on the file (other processes), reads only the last
 * line, writes the new line with one positioned write at the end and forces it to disk before returning. A crash
 * can only leave an incomplete last line (no {@code '\n'}): {@link #verify} reports it as
 * {@link AuditVerification.Status#TORN_TAIL} (entries before it are intact), and the next append repairs it: it
 * cuts the incomplete bytes off and first appends an {@code audit.repair} entry that records their length,
 * SHA-256 and content (base64), so nothing disappears unrecorded. An append refuses (throws) when the last
 * complete line is itself damaged: a broken chain is never extended.
 *
 * <p>Instances are thread-safe and cheap; they hold no open file between appends.
 */
public final class AuditLog {
    /** The format id written in every line. */
    public static final String SCHEMA = "cikqc.audit/1";
    /** Action name of the entry written when an append repairs a torn last line. */
    public static final String REPAIR_ACTION = "audit.repair";
    /** Longest accepted line. */
    static final int MAX_LINE = 4 << 20;

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final byte[] HASH_KEY = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    /** Length of {@code ,"hash":"<64 hex>"}} at the end of every line. */
    private static final int HASH_SUFFIX = HASH_KEY.length + 64 + 2;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private final Path file;
    private final Clock clock;

    /**
     * An audit log at {@code file} (created on the first append) with timestamps from {@code clock} (use
     * {@link Clock#systemUTC()} in production; the host clock must be NTP-synchronised).
     */
    public AuditLog(Path file, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An audit log with the system UTC clock. */
    public static AuditLog open(Path file) {
        return new AuditLog(file, Clock.systemUTC());
    }

    /** The log file. */
    public Path file() { return file; }

    /** A file named in an entry, with its SHA-256 (hex). */
    public record FileRef(String file, String sha256) {
        public FileRef {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(sha256, "sha256");
        }

        /** Hashes {@code path} now and names it by its string form. */
        public static FileRef of(Path path) {
            try {
                return new FileRef(path.toString(), Sha256.hex(path));
            } catch (IOException e) {
                throw CikqcException.inputFailed("cannot read " + path + " to hash it", e);
            }
        }
    }

    /**
     * What to record.
     *
     * @param action  what happened ("analyze", "batch", "report", "spec.load", "override"…), required
     * @param actor   who or what did it (user name, or service identity and host), required
     * @param inputs  files read, with hashes
     * @param outputs files written, with hashes
     * @param details anything else (old/new value and reason for changes, spec id, verdict…); a {@link Map} (keys
     *                are sorted), a {@link JsonNode} object, or null for none
     */
    public record Entry(String action, String actor, List<FileRef> inputs, List<FileRef> outputs, Object details) {
        public Entry {
            if (action == null || action.isBlank()) throw new IllegalArgumentException("action is required");
            if (actor == null || actor.isBlank()) throw new IllegalArgumentException("actor is required");
            inputs = inputs == null ? List.of() : List.copyOf(inputs);
            outputs = outputs == null ? List.of() : List.copyOf(outputs);
        }
    }

    /**
     * The result of an append.
     *
     * @param seq      the entry's sequence number
     * @param ts       its timestamp as written
     * @param lineHash SHA-256 of its line: the new head of the chain, usable as an anchor
     * @param repaired true when a torn last line was first recorded and removed
     */
    public record Appended(long seq, String ts, String lineHash, boolean repaired) { }

    /**
     * Appends one entry durably (forced to disk before returning).
     *
     * @throws CikqcException (OUTPUT_IO) when the file cannot be written or its last entry is damaged
     */
    public Appended append(Entry entry) {
        Objects.requireNonNull(entry, "entry");
        ObjectNode details = detailsNode(entry.details());
        try {
            return LockedFile.withLock(file, ch -> {
                LockedFile.Tail tail = LockedFile.tail(ch, MAX_LINE);
                long seq = 1;
                String prev = Sha256.ZERO;
                if (tail.lastLine() != null) {
                    LineCheck last = checkLine(tail.lastLine());
                    if (last.problem != null) {
                        throw CikqcException.output("audit log " + file + " is damaged at its last complete entry ("
                                + last.problem + "); run 'cikqc audit verify'; nothing was appended", null);
                    }
                    seq = last.seq + 1;
                    prev = Sha256.hex(tail.lastLine());
                }
                boolean repaired = false;
                if (tail.torn() != null) {
                    LockedFile.truncate(ch, tail.completeEnd());
                    byte[] repair = line(seq, entry.actor(), REPAIR_ACTION, List.of(), List.of(),
                            repairDetails(tail.torn()), prev);
                    LockedFile.appendDurably(ch, tail.completeEnd(), withNewline(repair));
                    prev = Sha256.hex(repair);
                    seq++;
                    repaired = true;
                }
                byte[] line = line(seq, entry.actor(), entry.action(), entry.inputs(), entry.outputs(), details, prev);
                LockedFile.appendDurably(ch, ch.size(), withNewline(line));
                JsonNode written = JSON.readTree(line);
                return new Appended(seq, written.path("ts").asText(), Sha256.hex(line), repaired);
            });
        } catch (IOException e) {
            throw CikqcException.outputFailed("cannot append to audit log " + file, e);
        }
    }

    private static ObjectNode repairDetails(byte[] torn) {
        ObjectNode d = JSON.createObjectNode();
        d.put("reason", "incomplete last line left by an interrupted append; removed and recorded here");
        d.put("torn_bytes", torn.length);
        d.put("torn_sha256", Sha256.hex(torn));
        d.put("torn_base64", Base64.getEncoder().encodeToString(torn));
        return d;
    }

    private static ObjectNode detailsNode(Object details) {
        if (details == null) return JSON.createObjectNode();
        JsonNode n = details instanceof JsonNode j ? j : JSON.valueToTree(details);
        if (!n.isObject()) throw new IllegalArgumentException("details must be a JSON object or a map");
        return (ObjectNode) n;
    }

    private byte[] line(long seq, String actor, String action, List<FileRef> inputs, List<FileRef> outputs,
            ObjectNode details, String prev) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("seq", seq);
        o.put("ts", TS.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        o.put("actor", actor);
        o.put("action", action);
        o.set("inputs", refs(inputs));
        o.set("outputs", refs(outputs));
        o.set("details", details);
        o.put("prev", prev);
        byte[] body = JSON.writeValueAsBytes(o);
        String hash = Sha256.hex(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + HASH_SUFFIX);
        out.write(body, 0, body.length - 1);
        out.write(HASH_KEY);
        out.write(hash.getBytes(StandardCharsets.US_ASCII));
        out.write('"');
        out.write('}');
        return out.toByteArray();
    }

    private static ArrayNode refs(List<FileRef> refs) {
        ArrayNode a = JSON.createArrayNode();
        for (FileRef r : refs) a.addObject().put("file", r.file()).put("sha256", r.sha256());
        return a;
    }

    private static byte[] withNewline(byte[] line) {
        byte[] b = new byte[line.length + 1];
        System.arraycopy(line, 0, b, 0, line.length);
        b[line.length] = '\n';
        return b;
    }

    // ---- verification ----------------------------------------------------------------------------------------

    /** The outcome of checking one line on its own (hash, schema, fields). */
    private record LineCheck(long seq, String prev, String problem, boolean looksLikeEntry) { }

    private static LineCheck checkLine(byte[] line) {
        boolean looks = contains(line, ("\"schema\":\"" + SCHEMA + "\"").getBytes(StandardCharsets.US_ASCII));
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            return new LineCheck(-1, null, "not valid JSON", looks);
        }
        if (n == null || !n.isObject()) return new LineCheck(-1, null, "not a JSON object", looks);
        long seq = n.path("seq").canConvertToLong() && n.path("seq").isIntegralNumber() ? n.path("seq").asLong() : -1;
        if (!SCHEMA.equals(n.path("schema").asText(null))) {
            return new LineCheck(seq, null, "not a " + SCHEMA + " entry", looks);
        }
        if (seq < 1) return new LineCheck(seq, null, "missing or invalid seq", true);
        for (String k : new String[] {"ts", "actor", "action", "prev", "hash"}) {
            if (!n.path(k).isTextual()) return new LineCheck(seq, null, "missing field '" + k + "'", true);
        }
        if (!n.path("inputs").isArray() || !n.path("outputs").isArray() || !n.path("details").isObject()) {
            return new LineCheck(seq, null, "inputs, outputs or details malformed", true);
        }
        try {
            Instant.parse(n.path("ts").asText());
        } catch (DateTimeParseException e) {
            return new LineCheck(seq, null, "invalid timestamp '" + n.path("ts").asText() + "'", true);
        }
        String hash = n.path("hash").asText();
        int len = line.length;
        if (!Sha256.isHex(hash) || len < HASH_SUFFIX + 2
                || !endsWithHashField(line, hash)) {
            return new LineCheck(seq, null, "the hash field is not the last field of the line", true);
        }
        byte[] body = new byte[len - HASH_SUFFIX + 1];
        System.arraycopy(line, 0, body, 0, len - HASH_SUFFIX);
        body[body.length - 1] = '}';
        if (!Sha256.hex(body).equals(hash)) {
            return new LineCheck(seq, n.path("prev").asText(), "content does not match its hash (the entry was edited)",
                    true);
        }
        String prev = n.path("prev").asText();
        if (!Sha256.isHex(prev)) return new LineCheck(seq, null, "invalid prev hash", true);
        return new LineCheck(seq, prev, null, true);
    }

    private static boolean endsWithHashField(byte[] line, String hash) {
        byte[] want = (",\"hash\":\"" + hash + "\"}").getBytes(StandardCharsets.US_ASCII);
        if (line.length < want.length) return false;
        for (int i = 0; i < want.length; i++) if (line[line.length - want.length + i] != want[i]) return false;
        return true;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    /** Verifies the whole chain of {@code log}; see {@link #verify(Path, Collection)}. */
    public static AuditVerification verify(Path log) {
        return verify(log, List.of());
    }

    /**
     * Verifies the whole chain: every line's own hash, schema and fields, {@code seq} = line number, {@code prev} =
     * hash of the previous line; and that every anchor (a line hash recorded elsewhere) is the hash of one of the
     * lines. Streams the file; memory does not grow with it.
     *
     * @throws CikqcException (INVALID_INPUT) when the file cannot be read at all
     */
    public static AuditVerification verify(Path log, Collection<String> anchors) {
        Set<String> pending = new LinkedHashSet<>();
        for (String a : anchors) pending.add(a.strip().toLowerCase(java.util.Locale.ROOT));
        long lineNo = 0;
        String prevHash = Sha256.ZERO;
        AuditVerification.Break firstBreak = null;
        boolean anyEntry = false;
        boolean firstLineIsEntry = false;
        try (InputStream in = new BufferedInputStream(org.cikqc.common.RegularFiles.newInputStream(log), 1 << 16)) {
            ByteArrayOutputStream cur = new ByteArrayOutputStream(512);
            int b;
            boolean tooLong = false;
            while (true) {
                b = in.read();
                if (b == -1) break;
                if (b != '\n') {
                    if (cur.size() < MAX_LINE) cur.write(b);
                    else tooLong = true;
                    continue;
                }
                lineNo++;
                byte[] line = cur.toByteArray();
                cur.reset();
                LineCheck c = tooLong ? new LineCheck(-1, null, "line longer than " + MAX_LINE + " bytes", false)
                        : line.length == 0 ? new LineCheck(-1, null, "empty line", false) : checkLine(line);
                tooLong = false;
                if (lineNo == 1) firstLineIsEntry = c.problem == null || c.looksLikeEntry;
                anyEntry |= c.looksLikeEntry;
                if (firstBreak != null) continue; // keep scanning only to tell "broken log" from "not a log"
                String lineHash = Sha256.hex(line);
                if (c.problem != null) {
                    firstBreak = new AuditVerification.Break(lineNo, c.seq, c.problem);
                } else if (c.seq != lineNo) {
                    firstBreak = new AuditVerification.Break(lineNo, c.seq, "seq " + c.seq + " on line " + lineNo
                            + ": an entry was deleted, inserted or moved");
                } else if (!c.prev.equals(prevHash)) {
                    firstBreak = new AuditVerification.Break(lineNo, c.seq, lineNo == 1
                            ? "prev is not 64 zeros on the first entry: earlier entries were removed"
                            : "prev does not match the hash of line " + (lineNo - 1)
                                    + ": an entry was edited, deleted, inserted or moved");
                } else {
                    pending.remove(lineHash);
                    prevHash = lineHash;
                }
            }
            long verified = firstBreak == null ? lineNo : firstBreak.line() - 1;
            String head = verified == 0 ? Sha256.ZERO : prevHash;
            if (firstBreak != null) {
                AuditVerification.Status st = !firstLineIsEntry && !anyEntry
                        ? AuditVerification.Status.NOT_AN_AUDIT_LOG : AuditVerification.Status.BROKEN;
                return new AuditVerification(log, st, verified, head, firstBreak);
            }
            if (!pending.isEmpty()) {
                return new AuditVerification(log, AuditVerification.Status.BROKEN, verified, head,
                        new AuditVerification.Break(lineNo + 1, -1, "anchor " + pending.iterator().next()
                                + " is not the SHA-256 of any entry's line: the log was truncated or rewritten"));
            }
            if (cur.size() > 0 || tooLong) {
                byte[] torn = cur.toByteArray();
                LineCheck c = checkLine(torn);
                if (lineNo == 0 && !c.looksLikeEntry) {
                    return new AuditVerification(log, AuditVerification.Status.NOT_AN_AUDIT_LOG, 0, head,
                            new AuditVerification.Break(1, c.seq, "not a " + SCHEMA + " entry"));
                }
                return new AuditVerification(log, AuditVerification.Status.TORN_TAIL, verified, head,
                        new AuditVerification.Break(lineNo + 1, c.seq, "incomplete last line (" + torn.length
                                + " bytes without a line end): an append was interrupted; entries 1.." + verified
                                + " are intact and the next append records and removes it"));
            }
            return new AuditVerification(log, AuditVerification.Status.INTACT, verified, head, null);
        } catch (NoSuchFileException e) {
            throw CikqcException.input("audit log " + log + " does not exist");
        } catch (IOException e) {
            throw CikqcException.inputFailed("cannot read audit log " + log, e);
        }
    }

    /**
     * Reads every entry as JSON (for export and review), without verifying; call {@link #verify} first.
     * A line that is not JSON is returned as {@code {"unreadable_line": "<its text>"}}; a torn last line is
     * ignored.
     */
    public static List<JsonNode> entries(Path log) {
        List<JsonNode> out = new ArrayList<>();
        try {
            byte[] all = Files.readAllBytes(log);
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] != '\n') continue;
                if (i > start) {
                    try {
                        JsonNode n = JSON.readTree(all, start, i - start);
                        out.add(n != null && n.isObject() ? n
                                : JSON.createObjectNode().put("unreadable_line", new String(all, start, i - start,
                                        StandardCharsets.ISO_8859_1)));
                    } catch (IOException notJson) {
                        out.add(JSON.createObjectNode().put("unreadable_line", new String(all, start, i - start,
                                StandardCharsets.ISO_8859_1)));
                    }
                }
                start = i + 1;
            }
        } catch (IOException e) {
            throw CikqcException.inputFailed("cannot read audit log " + log, e);
        }
        return out;
    }

    /** A map in insertion order, for building {@link Entry#details()} fluently. */
    public static Map<String, Object> details(Object... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("key/value pairs expected");
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        return m;
    }
}
