package org.cikqc.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decides when an FCS file that an instrument or a copy job is still writing is complete, for the {@code hook}
 * and {@code watch} commands: the size must be unchanged for a settle time AND the file must be consistent with
 * its own HEADER (and TEXT): its length must reach the end of every segment the HEADER/TEXT announce (TEXT,
 * DATA, ANALYSIS, supplemental TEXT), following {@code $NEXTDATA} to further data sets. When the HEADER's DATA
 * offsets are 0 (files over 99,999,999 bytes) {@code $BEGINDATA}/{@code $ENDDATA} are read from TEXT.
 *
 * <p>End offsets are inclusive in the standard; a file that is exactly one byte shorter is still accepted,
 * because some writers record the end exclusively (the reader reports any real truncation). A copy tool that
 * pre-allocates the full size and fills it later is caught only while the HEADER/TEXT are still blank; use a
 * completion marker from the instrument export where one exists.
 *
 * <p>Instances are immutable and thread-safe; {@link #await} blocks the calling thread.
 */
public final class FileCompleteness {
    /** The 58-byte FCS HEADER. */
    static final int HEADER_LENGTH = 58;
    /** TEXT segments longer than this are not read (no real TEXT is that large). */
    static final int MAX_TEXT = 64 << 20;
    private static final int MAX_DATASETS = 64;

    /** Outcome of waiting. */
    public enum Status {
        /** The size is stable and consistent with the HEADER/TEXT. */
        COMPLETE,
        /** The deadline passed first; {@link Result#reason()} says what was still wrong. */
        TIMEOUT,
        /** The path is a directory, FIFO, socket or device: waiting cannot make it an FCS file. */
        NOT_A_FILE
    }

    /**
     * Outcome of {@link #await}.
     *
     * @param status   COMPLETE or TIMEOUT
     * @param size     the file size at the last look (-1 if the file did not exist)
     * @param required the length the HEADER/TEXT require (-1 if unknown)
     * @param reason   for TIMEOUT why the file is not complete; for COMPLETE a short description
     * @param waited   how long it took
     */
    public record Result(Status status, long size, long required, String reason, Duration waited) {
        /** True when COMPLETE. */
        public boolean complete() { return status == Status.COMPLETE; }
    }

    /**
     * One look at a file: whether its length reaches every segment its HEADER/TEXT announce.
     *
     * @param consistent true when complete by the HEADER/TEXT
     * @param size       the current size (-1 if absent)
     * @param required   the length needed (-1 when it cannot be known yet)
     * @param reason     what is missing, or a description of the complete layout
     */
    public record Inspection(boolean consistent, long size, long required, String reason) { }

    /** Sleeping, replaceable in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Duration timeout;
    private final Duration pollInterval;
    private final Duration settle;
    private final Clock clock;
    private final Sleeper sleeper;

    /**
     * A waiter with the system clock.
     *
     * @param timeout      give up after this long
     * @param pollInterval look this often
     * @param settle       the size must be unchanged for at least this long (at least one poll interval)
     */
    public FileCompleteness(Duration timeout, Duration pollInterval, Duration settle) {
        this(timeout, pollInterval, settle, Clock.systemUTC(), d -> Thread.sleep(Math.max(1, d.toMillis())));
    }

    /** A waiter with an injected clock and sleeper (tests). */
    public FileCompleteness(Duration timeout, Duration pollInterval, Duration settle, Clock clock, Sleeper sleeper) {
        this.timeout = requirePositive(timeout, "timeout");
        this.pollInterval = requirePositive(pollInterval, "pollInterval");
        this.settle = Objects.requireNonNull(settle, "settle").compareTo(pollInterval) < 0 ? pollInterval : settle;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Defaults for a watch folder: 10 min timeout, 1 s polls, 3 s settle time. */
    public static FileCompleteness defaults() {
        return new FileCompleteness(Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    private static Duration requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
        return d;
    }

    /**
     * Waits until {@code file} is complete or the timeout passes. Never throws for file problems: a missing,
     * unreadable or non-FCS file simply times out with the reason.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public Result await(Path file) throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        long lastSize = Long.MIN_VALUE;
        Instant lastChange = start;
        Inspection last = null;
        String why;
        while (true) {
            Instant now = clock.instant();
            java.nio.file.attribute.BasicFileAttributes attrs = attributes(file); // one look per poll
            long size = attrs == null ? -1 : attrs.size();
            if (attrs != null) {
                String notRegular = org.cikqc.common.RegularFiles.problem(attrs);
                if (notRegular != null) {
                    return new Result(Status.NOT_A_FILE, size, -1, "the path " + notRegular, Duration.between(start, now));
                }
            }
            if (size != lastSize) {
                lastSize = size;
                lastChange = now;
            }
            boolean stable = size >= 0 && Duration.between(lastChange, now).compareTo(settle) >= 0;
            if (size < 0) {
                why = "the file does not exist";
            } else if (!stable) {
                why = "the size is still changing or has not settled (" + size + " bytes)";
            } else {
                last = inspectRegular(file);
                if (last.consistent()) {
                    return new Result(Status.COMPLETE, last.size(), last.required(), last.reason(),
                            Duration.between(start, clock.instant()));
                }
                why = last.reason();
            }
            if (!now.isBefore(deadline)) {
                long req = last == null ? -1 : last.required();
                return new Result(Status.TIMEOUT, size, req, "timed out after " + org.cikqc.common.Durations.brief(timeout) + ": " + why,
                        Duration.between(start, now));
            }
            Duration left = Duration.between(now, deadline);
            sleeper.sleep(left.compareTo(pollInterval) < 0 ? left : pollInterval);
        }
    }

    /** The file's attributes, or null when it is absent or not yet visible (the wait goes on, the reason says so). */
    private static java.nio.file.attribute.BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** One look at {@code file}: is its length consistent with its HEADER/TEXT? Never throws for file problems. */
    public static Inspection inspect(Path file) {
        Inspection kind = notRegular(file);
        return kind != null ? kind : inspectRegular(file);
    }

    /** {@link #inspect(Path)} of a path already known to be a regular file. */
    private static Inspection inspectRegular(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return inspect(ch);
        } catch (NoSuchFileException e) {
            return new Inspection(false, -1, -1, "the file does not exist");
        } catch (IOException e) {
            return new Inspection(false, -1, -1, "cannot read the file: " + org.cikqc.common.IoErrors.describe(e));
        }
    }

    /** Null for a regular file, else why it cannot be inspected (absent; a directory, FIFO or device). */
    private static Inspection notRegular(Path file) {
        String why = org.cikqc.common.RegularFiles.problem(file);
        return why == null ? null : new Inspection(false, -1, -1, "the path " + why);
    }

    static Inspection inspect(FileChannel ch) throws IOException {
        long size = ch.size();
        long base = 0;
        long required = 0;
        StringBuilder layout = new StringBuilder();
        for (int ds = 0; ds < MAX_DATASETS; ds++) {
            if (base + HEADER_LENGTH > size) {
                return new Inspection(false, size, -1, "data set " + ds + ": the file has " + size
                        + " bytes, the HEADER at byte " + base + " needs " + HEADER_LENGTH);
            }
            byte[] h = readAt(ch, base, HEADER_LENGTH);
            String head = new String(h, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("FCS") || !Character.isDigit(head.charAt(3)) || head.charAt(4) != '.'
                    || !Character.isDigit(head.charAt(5))) {
                return new Inspection(false, size, -1, "data set " + ds + ": no FCS HEADER at byte " + base
                        + " (starts '" + printable(head.substring(0, 10)) + "')");
            }
            long[] off = new long[6];
            for (int i = 0; i < 6; i++) {
                String f = head.substring(10 + 8 * i, 18 + 8 * i).strip();
                if (f.isEmpty()) continue;
                if (!f.chars().allMatch(Character::isDigit)) {
                    return new Inspection(false, size, -1, "data set " + ds + ": HEADER offset field " + (i + 1)
                            + " is not a number ('" + printable(f) + "')");
                }
                off[i] = Long.parseLong(f);
            }
            long textStart = off[0];
            long textEnd = off[1];
            if (textStart < HEADER_LENGTH || textEnd < textStart) {
                return new Inspection(false, size, -1, "data set " + ds + ": HEADER TEXT offsets " + textStart
                        + "-" + textEnd + " are not valid");
            }
            required = Math.max(required, base + textEnd);
            if (base + textEnd > size) {
                return new Inspection(false, size, base + textEnd + 1, "data set " + ds + ": TEXT ends at byte "
                        + (base + textEnd) + " but the file has " + size + " bytes");
            }
            if (textEnd - textStart + 1 > MAX_TEXT) {
                return new Inspection(false, size, -1, "data set " + ds + ": TEXT segment larger than " + MAX_TEXT);
            }
            int textLen = (int) Math.min(textEnd - textStart + 1, size - base - textStart);
            Map<String, String> kw = keywords(readAt(ch, base + textStart, textLen));
            long dataStart = off[2];
            long dataEnd = off[3];
            long textDataEnd = number(kw.get("$ENDDATA"));
            String note = "";
            if (dataStart == 0 && dataEnd == 0) {
                dataStart = number(kw.get("$BEGINDATA"));
                dataEnd = textDataEnd;
                if (dataEnd < 0) {
                    return new Inspection(false, size, -1, "data set " + ds
                            + ": HEADER DATA offsets are 0 and TEXT has no readable $ENDDATA");
                }
            } else if (textDataEnd > 0 && textDataEnd != dataEnd) {
                // a known writer defect: HEADER and TEXT disagree; the reader decides which is right, so wait
                // only for the shorter of the two
                note = " (HEADER says DATA ends at " + dataEnd + ", TEXT at " + textDataEnd + ")";
                dataEnd = Math.min(dataEnd, textDataEnd);
            }
            long anaEnd = off[5] != 0 ? off[5] : Math.max(0, number(kw.get("$ENDANALYSIS")));
            long stextEnd = Math.max(0, number(kw.get("$ENDSTEXT")));
            long end = Math.max(Math.max(textEnd, dataEnd), Math.max(anaEnd, stextEnd));
            required = Math.max(required, base + end);
            layout.append(ds == 0 ? "" : "; ").append("data set ").append(ds).append(": DATA ").append(dataStart)
                    .append('-').append(dataEnd).append(note);
            // end offsets are inclusive; accept a file one byte short (exclusive-end writers), see class doc
            if (base + end > size) {
                return new Inspection(false, size, base + end + 1, "data set " + ds + ": segments end at byte "
                        + (base + end) + " but the file has " + size + " bytes");
            }
            long next = number(kw.get("$NEXTDATA"));
            if (next <= 0) {
                return new Inspection(true, size, required + 1, "complete: " + size + " bytes (" + layout + ")");
            }
            base += next;
        }
        return new Inspection(false, size, -1, "more than " + MAX_DATASETS + " data sets ($NEXTDATA loop?)");
    }

    private static long number(String v) {
        if (v == null) return -1;
        String t = v.strip();
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 18) return -1;
        return Long.parseLong(t);
    }

    /**
     * The keywords of a TEXT segment (upper-cased keys; first occurrence wins). The first byte is the
     * delimiter; a doubled delimiter inside a keyword or value stands for one delimiter character.
     */
    static Map<String, String> keywords(byte[] text) {
        Map<String, String> out = new HashMap<>();
        if (text.length < 2) return out;
        byte delim = text[0];
        StringBuilder cur = new StringBuilder();
        String key = null;
        int i = 1;
        while (i < text.length) {
            byte b = text[i];
            if (b == delim) {
                if (i + 1 < text.length && text[i + 1] == delim) { // escaped delimiter
                    cur.append((char) (delim & 0xFF));
                    i += 2;
                    continue;
                }
                if (key == null) {
                    key = cur.toString();
                } else {
                    out.putIfAbsent(key.strip().toUpperCase(Locale.ROOT), cur.toString());
                    key = null;
                }
                cur.setLength(0);
            } else {
                cur.append((char) (b & 0xFF));
            }
            i++;
        }
        return out;
    }

    private static byte[] readAt(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) break;
            p += n;
        }
        return buf.array();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) sb.append(c >= 0x20 && c < 0x7F ? c : '.');
        return sb.toString();
    }
}
