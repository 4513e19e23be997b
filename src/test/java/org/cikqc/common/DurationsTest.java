package org.cikqc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {

    /** Durations are written as the options take them ("5s"), never as Java's ISO-8601 ("PT5S"). */
    @Test
    void writtenAsTheCommandLineTakesThem() {
        assertEquals("5s", Durations.brief(Duration.ofSeconds(5)));
        assertEquals("200ms", Durations.brief(Duration.ofMillis(200)));
        assertEquals("1500ms", Durations.brief(Duration.ofMillis(1500)));
        assertEquals("90s", Durations.brief(Duration.ofSeconds(90)));
        assertEquals("2m", Durations.brief(Duration.ofMinutes(2)));
        assertEquals("3h", Durations.brief(Duration.ofHours(3)));
        assertEquals("0ms", Durations.brief(Duration.ZERO));
    }
}
