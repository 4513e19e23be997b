package org.cikqc.plot;

/**
 * One tick of an axis: its position in display units, the data value it stands for, and its label.
 *
 * <p>The label is {@code text} followed by an optional {@code superscript} (for "10" and "3" read 10³); minor
 * ticks have no label ({@code text} is null).
 *
 * @param display     the position in display (transformed) units
 * @param data        the data value at that position
 * @param text        the label's base text ("0", "50K", "10", "-10"), null for an unlabelled tick
 * @param superscript the exponent drawn raised after {@code text}, or null
 * @param major       true for a labelled (long) tick mark, false for a minor one
 */
public record AxisTick(double display, double data, String text, String superscript, boolean major) {

    /** A labelled tick without exponent. */
    public static AxisTick major(double display, double data, String text) {
        return new AxisTick(display, data, text, null, true);
    }

    /** An unlabelled minor tick. */
    public static AxisTick minor(double display, double data) {
        return new AxisTick(display, data, null, null, false);
    }

    /** The label as plain text ("10^3" for a superscript), or "" for a minor tick. */
    public String plainLabel() {
        if (text == null) return "";
        return superscript == null ? text : text + "^" + superscript;
    }
}
