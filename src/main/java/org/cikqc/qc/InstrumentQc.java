package org.cikqc.qc;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cytometer's own quality-control record as the FCS file carries it, read at the acquisition it belongs to.
 * BD FACSDiva writes its Cytometer Setup and Tracking (CST) performance check into every file: {@code CST SETUP
 * STATUS} ({@code SUCCESS}, {@code SUCCESS WITH WARNING}, a failure), {@code CST SETUP DATE} (when the check ran),
 * {@code CST BASELINE DATE}, {@code CST BEADS LOT ID}, and in later versions {@code CST BEADS EXPIRED} and {@code CST
 * PERFORMANCE EXPIRED} (when the check stops being valid: 24 h after the setup). Other instruments write no such
 * record; the file then says nothing about instrument QC.
 *
 * <p>Dates are compared as the instrument's wall-clock times: the acquisition start is FCS 3.2's
 * {@code $BEGINDATETIME} or {@code $DATE} + {@code $BTIM}, which carry no time zone, and CST dates are written
 * either as ISO 8601 with the workstation's offset ({@code 2018-04-23T11:43:44+10:00}) or in the workstation's
 * format ({@code 05/21/2014 12:43:42 PM}). When both sides carry an offset the instants are compared. A date that
 * cannot be read unambiguously (a 24-hour {@code 05/06/2014 12:43:42} could be 6 May or 5 June) is reported as
 * unreadable rather than guessed.
 *
 * @param keywords           the CST keywords present with a non-blank value, as written (keyword → value)
 * @param status             {@code CST SETUP STATUS}, or null
 * @param setup              when the setup ran, or null (absent or unreadable)
 * @param acquired           when the acquisition started, or null (absent or unreadable)
 * @param acquiredDayOnly    the acquisition has a date but no time ({@code $DATE} without {@code $BTIM}):
 *                           {@code acquired} is the end of that day, the latest it can have been
 * @param performanceExpires {@code CST PERFORMANCE EXPIRED}, or null
 * @param beadsExpired       {@code CST BEADS EXPIRED} (True/False), or null
 * @param unreadable         one line per keyword present but not understood
 */
public record InstrumentQc(Map<String, String> keywords, String status, Stamp setup, Stamp acquired,
                           boolean acquiredDayOnly, Stamp performanceExpires, Boolean beadsExpired,
                           List<String> unreadable) {

    /** The CST keywords read, in the order they are reported. */
    public static final List<String> KEYWORDS = List.of("CST SETUP STATUS", "CST SETUP DATE", "CST PERFORMANCE EXPIRED",
            "CST BEADS EXPIRED", "CST BEADS LOT ID", "CST BASELINE DATE", "CST REGULATORY STATUS");

    /** The status a check must have to count as passed. */
    public enum Status { SUCCESS, WARNING, FAILED, UNKNOWN }

    /**
     * A point in time as recorded: the wall-clock time and, when the record gave one, its UTC offset.
     *
     * @param local    wall-clock date and time
     * @param offset   the recorded offset, or null
     */
    public record Stamp(LocalDateTime local, java.time.ZoneOffset offset) {
        /** Hours from {@code this} to {@code later} (instants when both carry an offset, else wall-clock times). */
        double hoursUntil(Stamp later) {
            Duration d = offset != null && later.offset != null
                    ? Duration.between(local.atOffset(offset), later.local.atOffset(later.offset))
                    : Duration.between(local, later.local);
            return d.getSeconds() / 3600.0 + d.getNano() / 3.6e12;
        }
    }

    public InstrumentQc {
        keywords = Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
        unreadable = List.copyOf(unreadable);
    }

    /** The status class of {@link #status()}. */
    public Status statusClass() {
        if (status == null) return Status.UNKNOWN;
        String s = status.strip().toUpperCase(Locale.ROOT);
        if (s.contains("FAIL")) return Status.FAILED;
        if (s.equals("SUCCESS") || s.equals("PASSED") || s.equals("PASS")) return Status.SUCCESS;
        if (s.startsWith("SUCCESS WITH WARNING") || s.startsWith("PASSED WITH WARNING")) return Status.WARNING;
        return Status.UNKNOWN;
    }

    /** Hours from the setup to the acquisition start, or NaN when either is unknown. */
    public double ageHours() {
        return setup == null || acquired == null ? Double.NaN : setup.hoursUntil(acquired);
    }

    /** True when the performance check had expired when the acquisition started (false when unknown). */
    public boolean expiredAtAcquisition() {
        return performanceExpires != null && acquired != null && performanceExpires.hoursUntil(acquired) > 0;
    }

    /**
     * Reads the record from a keyword lookup ({@code key → trimmed value or null}); empty when the file carries no
     * CST keyword with a value (blank values, as some exports write them, count as absent).
     */
    public static Optional<InstrumentQc> fromKeywords(Function<String, String> kw) {
        Map<String, String> present = new LinkedHashMap<>();
        for (String k : KEYWORDS) {
            String v = valueOf(kw, k);
            if (v != null) present.put(k, v);
        }
        if (!present.containsKey("CST SETUP STATUS") && !present.containsKey("CST SETUP DATE")
                && !present.containsKey("CST PERFORMANCE EXPIRED") && !present.containsKey("CST BEADS EXPIRED")) {
            return Optional.empty();
        }
        List<String> unreadable = new ArrayList<>();
        Stamp setup = stamp(present, "CST SETUP DATE", unreadable);
        Stamp expires = stamp(present, "CST PERFORMANCE EXPIRED", unreadable);
        Boolean beads = null;
        String be = present.get("CST BEADS EXPIRED");
        if (be != null) {
            if (be.equalsIgnoreCase("true") || be.equalsIgnoreCase("yes")) beads = true;
            else if (be.equalsIgnoreCase("false") || be.equalsIgnoreCase("no")) beads = false;
            else unreadable.add("CST BEADS EXPIRED '" + be + "' is neither True nor False");
        }
        Acquisition a = acquisitionStart(kw, unreadable);
        return Optional.of(new InstrumentQc(present, present.get("CST SETUP STATUS"), setup, a.start(), a.dayOnly(),
                expires, beads, unreadable));
    }

    /**
     * When an acquisition started, as its keywords say.
     *
     * @param start   the start, or null (absent or unreadable)
     * @param dayOnly only its date is known ({@code $DATE} without a readable {@code $BTIM}): {@code start} is the end
     *                of that day, the latest it can have been
     */
    record Acquisition(Stamp start, boolean dayOnly) { }

    /**
     * The acquisition start: {@code $BEGINDATETIME}, else {@code $DATE} + {@code $BTIM} (the end of the day without a
     * time); a keyword present but not understood, or neither recorded, adds a line to {@code unreadable}.
     */
    static Acquisition acquisitionStart(Function<String, String> kw, List<String> unreadable) {
        boolean dayOnly = false;
        Stamp acquired = null;
        String begin = valueOf(kw, "$BEGINDATETIME");
        String date = valueOf(kw, "$DATE");
        if (begin != null) {
            acquired = iso(begin);
            if (acquired == null) unreadable.add("$BEGINDATETIME '" + begin + "' is not an ISO 8601 date and time");
        }
        if (acquired == null && date != null) {
            LocalDate d = fcsDate(date);
            String btim = valueOf(kw, "$BTIM");
            LocalTime t = btim == null ? null : fcsTime(btim);
            if (d == null) unreadable.add("$DATE '" + date + "' is not dd-mmm-yyyy");
            else if (btim != null && t == null) unreadable.add("$BTIM '" + btim + "' is not hh:mm:ss");
            if (d != null) {
                dayOnly = t == null;
                acquired = new Stamp(t == null ? d.atTime(LocalTime.MAX) : d.atTime(t), null);
            }
        }
        if (begin == null && date == null) unreadable.add("the acquisition start is not recorded ($BEGINDATETIME, $DATE)");
        return new Acquisition(acquired, dayOnly);
    }

    /** A keyword's value, stripped, or null when absent or blank. */
    static String valueOf(Function<String, String> kw, String key) {
        String v = kw.apply(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Stamp stamp(Map<String, String> present, String key, List<String> unreadable) {
        String v = present.get(key);
        if (v == null) return null;
        Stamp s = dateTime(v);
        if (s == null) unreadable.add(key + " '" + v + "' is not a date and time cikqc can read unambiguously");
        return s;
    }

    /** A recorded date and time: ISO 8601 (with or without an offset) or a FACSDiva workstation date; else null. */
    static Stamp dateTime(String v) {
        Stamp s = iso(v);
        return s != null ? s : workstation(v);
    }

    /** ISO 8601 date-time with or without an offset (fractional seconds allowed), or null. */
    static Stamp iso(String v) {
        try {
            OffsetDateTime o = OffsetDateTime.parse(v);
            return new Stamp(o.toLocalDateTime(), o.getOffset());
        } catch (DateTimeParseException e) {
            try {
                return new Stamp(LocalDateTime.parse(v), null);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static final Pattern WORKSTATION = Pattern.compile(
            "(\\d{1,2})/(\\d{1,2})/(\\d{4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s*([AaPp][Mm]))?");

    /**
     * A FACSDiva workstation date: {@code M/d/yyyy h:mm:ss AM|PM} (US), or with a 24-hour clock {@code d/M/yyyy} or
     * {@code M/d/yyyy} when the day is over 12, so the order is certain; null otherwise.
     */
    static Stamp workstation(String v) {
        Matcher m = WORKSTATION.matcher(v.strip());
        if (!m.matches()) return null;
        int a = Integer.parseInt(m.group(1));
        int b = Integer.parseInt(m.group(2));
        int year = Integer.parseInt(m.group(3));
        int hour = Integer.parseInt(m.group(4));
        int minute = Integer.parseInt(m.group(5));
        int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        String ampm = m.group(7);
        int month;
        int day;
        if (ampm != null) {
            // the 12-hour clock is the US workstation format, month first
            if (hour < 1 || hour > 12) return null;
            month = a;
            day = b;
            boolean pm = ampm.equalsIgnoreCase("PM");
            hour = hour % 12 + (pm ? 12 : 0);
        } else if (a > 12 && b <= 12) {
            day = a;
            month = b;
        } else if (b > 12 && a <= 12) {
            month = a;
            day = b;
        } else if (a == b) {
            month = a;
            day = b;
        } else {
            return null; // 05/06/2014 13:00: 6 May or 5 June
        }
        try {
            return new Stamp(LocalDateTime.of(year, month, day, hour, minute, second), null);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static final DateTimeFormatter FCS_DATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-uuuu").toFormatter(Locale.ROOT);
    private static final DateTimeFormatter FCS_DATE_2DIGIT = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-").appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2, 1950)
            .toFormatter(Locale.ROOT);

    /** {@code $DATE}: dd-mmm-yyyy (FCS 3.x), dd-mmm-yy (FCS 2.0), or an ISO yyyy-mm-dd; null otherwise. */
    static LocalDate fcsDate(String v) {
        for (DateTimeFormatter f : new DateTimeFormatter[] {FCS_DATE, FCS_DATE_2DIGIT, DateTimeFormatter.ISO_LOCAL_DATE}) {
            try {
                return LocalDate.parse(v, f);
            } catch (DateTimeParseException e) {
                // next form
            }
        }
        return null;
    }

    private static final Pattern FCS_TIME = Pattern.compile("(\\d{1,2}):(\\d{2}):(\\d{2})(?:([.:])(\\d{1,9}))?");

    /** {@code $BTIM}: hh:mm:ss, with FCS 3.1's .cc hundredths or FCS 3.0's :tt sixtieths; null otherwise. */
    static LocalTime fcsTime(String v) {
        Matcher m = FCS_TIME.matcher(v);
        if (!m.matches()) return null;
        try {
            LocalTime t = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            if (m.group(5) == null) return t;
            String frac = m.group(5);
            if (m.group(4).equals(":")) {
                int sixtieths = Integer.parseInt(frac);
                return sixtieths < 60 ? t.plusNanos(sixtieths * 1_000_000_000L / 60) : null;
            }
            return t.plusNanos((long) (Double.parseDouble("0." + frac) * 1e9));
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }
}
