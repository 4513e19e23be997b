package org.cikqc.plot;

import java.util.List;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * How one plot axis maps data values (channel units, after compensation) to display units (the transformed
 * scale the plot is drawn in), and back. Plots are drawn in display units; tick labels are written in data units.
 *
 * <p>The pipeline plugs its transforms in with {@link #of(String, DoubleUnaryOperator, DoubleUnaryOperator)}, e.g.
 * {@code AxisScale.of("CD3 BV421-A", logicle::apply, logicle::inverse)}; such axes get decade ticks
 * (-10³, 0, 10³, 10⁴, 10⁵ placed via {@link #toDisplay}). Linear axes get "nice" ticks (0, 50K, 100K, …).
 * Implementations must be monotonically increasing and immutable.
 */
public interface AxisScale {

    /** How tick positions are chosen. */
    enum TickStyle {
        /** Nice round data values (1, 2, 2.5, 5 × 10^k steps), labelled with K/M suffixes. */
        LINEAR,
        /**
         * Zero and ±10^k (the logicle/asinh/log convention), every one labelled; the axis drawing them keeps the
         * labels that fit (see {@link Ticks#fitLabels}).
         */
        DECADES
    }

    /** The display position of a data value. */
    double toDisplay(double data);

    /** The data value at a display position (inverse of {@link #toDisplay}). */
    double toData(double display);

    /** The axis title (channel and marker, e.g. "CD3 (BV421-A)"). */
    String label();

    /** The tick style used by {@link #ticks}. */
    TickStyle tickStyle();

    /**
     * The ticks between two display positions (inclusive), ordered by position. Positions are display units,
     * labels data units.
     */
    default List<AxisTick> ticks(double displayLo, double displayHi) {
        return tickStyle() == TickStyle.DECADES ? Ticks.decades(this, displayLo, displayHi)
                : Ticks.linear(this, displayLo, displayHi);
    }

    /** The same mapping with another axis title. */
    default AxisScale withLabel(String newLabel) {
        return of(newLabel, this::toDisplay, this::toData, tickStyle());
    }

    /** The identity scale (display = data) with nice linear ticks, for scatter channels and time. */
    static AxisScale linear(String label) {
        return of(label, DoubleUnaryOperator.identity(), DoubleUnaryOperator.identity(), TickStyle.LINEAR);
    }

    /** A transformed scale from a forward/inverse pair (logicle, asinh, log…) with decade ticks. */
    static AxisScale of(String label, DoubleUnaryOperator toDisplay, DoubleUnaryOperator toData) {
        return of(label, toDisplay, toData, TickStyle.DECADES);
    }

    /** A scale from a forward/inverse pair with the given tick style. */
    static AxisScale of(String label, DoubleUnaryOperator toDisplay, DoubleUnaryOperator toData, TickStyle style) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(toDisplay, "toDisplay");
        Objects.requireNonNull(toData, "toData");
        Objects.requireNonNull(style, "style");
        return new FunctionScale(label, toDisplay, toData, style);
    }

    /** The {@link AxisScale} built by the factories. */
    record FunctionScale(String label, DoubleUnaryOperator forward, DoubleUnaryOperator inverse, TickStyle tickStyle)
            implements AxisScale {
        @Override
        public double toDisplay(double data) { return forward.applyAsDouble(data); }

        @Override
        public double toData(double display) { return inverse.applyAsDouble(display); }
    }
}
