package org.cikqc.autogate;

/**
 * The range (data units, inclusive) a fitted value must fall in, set by the caller from validation data; a value
 * outside it flags the result ({@link FitIssue.Code#OUTSIDE_ALLOWED_WINDOW}). Use ±infinity for an open side.
 *
 * @param min lowest allowed value
 * @param max highest allowed value
 */
public record AllowedWindow(double min, double max) {

    /** A window that allows everything. */
    public static final AllowedWindow ANY = new AllowedWindow(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    public AllowedWindow {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("allowed window needs min <= max, got [" + min + ", " + max + "]");
        }
    }

    /** True when {@code v} lies in the window (NaN never does). */
    public boolean contains(double v) { return v >= min && v <= max; }

    /** The check as an issue, or null when {@code v} is inside. */
    FitIssue check(String what, double v) {
        if (contains(v)) return null;
        return FitIssue.warning(FitIssue.Code.OUTSIDE_ALLOWED_WINDOW,
                what + " " + Stats.fmt(v) + " is outside the allowed window [" + Stats.fmt(min) + ", " + Stats.fmt(max) + "]");
    }
}
