package org.cikqc.qc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How long the sample was held before it was acquired: from the time a site records in a keyword of its own (when
 * the product was thawed, sampled or stained, e.g. {@code THAW TIME}, written by the acquisition software's
 * experiment or tube keywords) to the acquisition start. Validated hold times are part of a release method's
 * stability data (CIK cells: acceptable within 60 min of thawing, Mareschi 2020). Dates are read as
 * {@link InstrumentQc} reads them: ISO 8601 with or without an offset, or a FACSDiva workstation date; the
 * acquisition start is {@code $BEGINDATETIME}, else {@code $DATE} + {@code $BTIM} (without a time, the end of that
 * day, the longest the hold can have been).
 *
 * @param keyword         the keyword read
 * @param value           its value as written
 * @param start           when the hold started, or null (unreadable)
 * @param acquired        when the acquisition started, or null (absent or unreadable)
 * @param acquiredDayOnly the acquisition has a date but no time ({@code acquired} is the end of that day)
 * @param unreadable      one line per keyword present but not understood, or the acquisition start not recorded
 */
public record SampleHold(String keyword, String value, InstrumentQc.Stamp start, InstrumentQc.Stamp acquired,
                         boolean acquiredDayOnly, List<String> unreadable) {

    public SampleHold {
        unreadable = List.copyOf(unreadable);
    }

    /**
     * Reads the hold from a keyword lookup ({@code key → trimmed value or null}); empty when the file does not carry
     * {@code keyword} with a value.
     */
    public static Optional<SampleHold> fromKeywords(Function<String, String> kw, String keyword) {
        String v = InstrumentQc.valueOf(kw, keyword);
        if (v == null) return Optional.empty();
        List<String> unreadable = new ArrayList<>();
        InstrumentQc.Stamp start = InstrumentQc.dateTime(v);
        if (start == null) unreadable.add(keyword + " '" + v + "' is not a date and time cikqc can read unambiguously");
        InstrumentQc.Acquisition a = InstrumentQc.acquisitionStart(kw, unreadable);
        return Optional.of(new SampleHold(keyword, v, start, a.start(), a.dayOnly(), unreadable));
    }

    /** Minutes from the start of the hold to the acquisition start, or NaN when either is unknown. */
    public double minutes() {
        return start == null || acquired == null ? Double.NaN : 60 * start.hoursUntil(acquired);
    }
}
