package org.cikqc.common;

import java.time.Duration;

/** Durations written as a user types them on the command line ("5s", "200ms", "2m"), not as ISO-8601 ("PT5S"). */
public final class Durations {
    private Durations() { }

    /** {@code d} in the largest of h, m, s or ms that shows it exactly ("90s", "1500ms", "2h"). */
    public static String brief(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        if (s % 3600 == 0) return (s / 3600) + "h";
        if (s % 60 == 0) return (s / 60) + "m";
        return s + "s";
    }
}
