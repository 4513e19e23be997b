package org.cikqc.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class InstrumentQcTest {

    /** A keyword lookup over {@code kv} (key, value, key, value, ...), as {@code Keywords.getTrimmed} answers. */
    static Optional<InstrumentQc> read(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return InstrumentQc.fromKeywords(k -> m.get(k) == null ? null : m.get(k).strip());
    }

    @Test
    void facsDivaRecordWithUsWorkstationDates() {
        // as in flowWorkspaceData's diva/124500.fcs, with the acquisition moved to the next morning
        InstrumentQc q = read("CST SETUP STATUS", "SUCCESS", "CST SETUP DATE", "05/21/2014 12:43:42 PM",
                "CST BEADS LOT ID", "57599", "CST BASELINE DATE", "02/06/2014 11:45:38 AM",
                "$DATE", "22-MAY-2014", "$BTIM", "09:13:42").orElseThrow();
        assertEquals(InstrumentQc.Status.SUCCESS, q.statusClass());
        assertEquals(LocalDateTime.of(2014, 5, 21, 12, 43, 42), q.setup().local());
        assertEquals(LocalDateTime.of(2014, 5, 22, 9, 13, 42), q.acquired().local());
        assertEquals(20.5, q.ageHours(), 1e-9);
        assertFalse(q.expiredAtAcquisition());
        assertEquals(List.of(), q.unreadable());
        assertEquals(List.of("CST SETUP STATUS", "CST SETUP DATE", "CST BEADS LOT ID", "CST BASELINE DATE"),
                List.copyOf(q.keywords().keySet()), "reported in a fixed order, as written");
    }

    @Test
    void isoDatesWithOffsetsAndTheExpiryBdWrites() {
        // as in CytoExploreRData's Compensation-7AAD.fcs: the check had expired weeks before the acquisition
        InstrumentQc q = read("CST SETUP STATUS", "SUCCESS WITH WARNING", "CST SETUP DATE", "2018-04-23T11:43:44+10:00",
                "CST PERFORMANCE EXPIRED", "2018-04-24T11:43:44+10:00", "CST BEADS EXPIRED", "False",
                "$DATE", "17-MAY-2018", "$BTIM", "14:14:24").orElseThrow();
        assertEquals(InstrumentQc.Status.WARNING, q.statusClass());
        assertEquals(Boolean.FALSE, q.beadsExpired());
        assertTrue(q.expiredAtAcquisition());
        assertEquals(24 * 24 + 2 + 30 / 60.0 + 40 / 3600.0, q.ageHours(), 1e-9,
                "wall-clock hours: $BTIM has no offset, so the CST offset is not applied");
        // with FCS 3.2's $BEGINDATETIME carrying an offset, instants are compared
        InstrumentQc z = read("CST SETUP DATE", "2018-04-23T11:43:44+10:00", "$BEGINDATETIME", "2018-04-23T02:43:44Z")
                .orElseThrow();
        assertEquals(1.0, z.ageHours(), 1e-9);
    }

    @Test
    void ambiguousOrUnreadableDatesAreReportedNotGuessed() {
        InstrumentQc amb = read("CST SETUP STATUS", "SUCCESS", "CST SETUP DATE", "05/06/2014 13:00:00",
                "$DATE", "06-MAY-2014", "$BTIM", "14:00:00").orElseThrow();
        assertNull(amb.setup(), "6 May or 5 June: not guessed");
        assertTrue(Double.isNaN(amb.ageHours()));
        assertEquals(1, amb.unreadable().size(), amb.unreadable().toString());
        assertTrue(amb.unreadable().get(0).startsWith("CST SETUP DATE '05/06/2014 13:00:00'"));
        // a 24-hour date is read when the day is over 12 on either side
        assertEquals(LocalDateTime.of(2014, 6, 25, 13, 0), InstrumentQc.workstation("25/06/2014 13:00:00").local());
        assertEquals(LocalDateTime.of(2014, 6, 25, 13, 0), InstrumentQc.workstation("06/25/2014 13:00").local());
        assertEquals(LocalDateTime.of(2014, 6, 25, 0, 5), InstrumentQc.workstation("6/25/2014 12:05:00 AM").local());
        assertNull(InstrumentQc.workstation("6/25/2014 13:05:00 PM"));
        assertNull(InstrumentQc.workstation("2/30/2014 1:05:00 PM"));
        InstrumentQc bad = read("CST SETUP STATUS", "SUCCESS", "CST SETUP DATE", "yesterday", "CST BEADS EXPIRED", "maybe",
                "$DATE", "06-MAY-2014").orElseThrow();
        assertEquals(2, bad.unreadable().size(), bad.unreadable().toString());
        assertTrue(bad.acquiredDayOnly());
        assertEquals(LocalDate.of(2014, 5, 6).atTime(LocalTime.MAX), bad.acquired().local(),
                "without $BTIM the end of the day, the latest the acquisition can have started");
    }

    @Test
    void fcsDateAndTimeForms() {
        assertEquals(LocalDate.of(2010, 6, 8), InstrumentQc.fcsDate("08-JUN-2010"));
        assertEquals(LocalDate.of(2010, 6, 8), InstrumentQc.fcsDate("8-Jun-2010"));
        assertEquals(LocalDate.of(1998, 6, 8), InstrumentQc.fcsDate("08-jun-98"), "FCS 2.0 two-digit year");
        assertEquals(LocalDate.of(2010, 6, 8), InstrumentQc.fcsDate("2010-06-08"));
        assertNull(InstrumentQc.fcsDate("08/06/2010"));
        assertEquals(LocalTime.of(11, 3, 31), InstrumentQc.fcsTime("11:03:31"));
        assertEquals(LocalTime.of(11, 3, 31, 250_000_000), InstrumentQc.fcsTime("11:03:31.25"), "FCS 3.1 hundredths");
        assertEquals(LocalTime.of(11, 3, 31, 500_000_000), InstrumentQc.fcsTime("11:03:31:30"), "FCS 3.0 sixtieths");
        assertNull(InstrumentQc.fcsTime("11:03:31:60"));
        assertNull(InstrumentQc.fcsTime("25:00:00"));
    }

    @Test
    void blankOrAbsentRecordIsNoRecord() {
        assertTrue(read("$DATE", "28-FEB-2013", "$BTIM", "15:19:53").isEmpty());
        // fcsparser's Fortessa file writes every CST keyword with a blank value
        assertTrue(read("CST SETUP STATUS", " ", "CST BEADS LOT ID", " ", "CST SETUP DATE", " ",
                "CST BASELINE DATE", " ").isEmpty());
        // a lot number alone says nothing about a check
        assertTrue(read("CST BEADS LOT ID", "12345").isEmpty());
    }

    @Test
    void statusClasses() {
        assertEquals(InstrumentQc.Status.FAILED, read("CST SETUP STATUS", "FAILED").orElseThrow().statusClass());
        assertEquals(InstrumentQc.Status.FAILED, read("CST SETUP STATUS", "Fail").orElseThrow().statusClass());
        assertEquals(InstrumentQc.Status.SUCCESS, read("CST SETUP STATUS", "success").orElseThrow().statusClass());
        assertEquals(InstrumentQc.Status.UNKNOWN, read("CST SETUP STATUS", "IN PROGRESS").orElseThrow().statusClass());
        InstrumentQc none = read("CST BEADS EXPIRED", "True").orElseThrow();
        assertEquals(InstrumentQc.Status.UNKNOWN, none.statusClass());
        assertEquals(Boolean.TRUE, none.beadsExpired());
        assertTrue(none.unreadable().get(0).contains("acquisition start is not recorded"), none.unreadable().toString());
    }
}
