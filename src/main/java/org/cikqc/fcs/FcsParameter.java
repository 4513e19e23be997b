package org.cikqc.fcs;

/**
 * One parameter ($Pn…) of a data set.
 *
 * @param index      1-based parameter number n
 * @param name       $PnN (short name), never null
 * @param marker     $PnS (stain/marker), or null
 * @param bits       $PnB; for $DATATYPE A with delimited values ("*") 0
 * @param range      $PnR as a number (may exceed 2^31)
 * @param datatype   the effective data type of this parameter: 'I', 'F', 'D' or 'A' ($PnDATATYPE overrides $DATATYPE)
 * @param gain       $PnG, 1 when absent
 * @param logDecades f1 of $PnE as written (0 for linear; applied to integer and ASCII data only, see {@link #isLog()})
 * @param logOffset  f2 of $PnE as written (0 for linear; a log channel with f2 = 0 is decoded with f2 = 1)
 * @param timestep   $TIMESTEP when this is the time parameter, else 0
 */
public record FcsParameter(int index, String name, String marker, int bits, double range, char datatype,
                           double gain, double logDecades, double logOffset, double timestep) {

    /**
     * True when values are decoded logarithmically: $PnE declares log amplification (f1 &gt; 0) for integer or ASCII
     * data (ASCII values are channel numbers written as text).
     * Float and double data are stored linear (FCS 3.1), so a $PnE they carry is kept as written but not applied.
     */
    public boolean isLog() { return logDecades > 0 && (datatype == 'I' || datatype == 'A'); }

    /** True when this parameter is the acquisition time. */
    public boolean isTime() { return timestep > 0 || "TIME".equalsIgnoreCase(name.strip()); }

    /**
     * The scale value of a raw (stored) value, as {@link ValueKind#SCALE} decodes it: f2·10^(f1·x/$PnR) for a log
     * channel (f2 = 0 read as 1), x·$TIMESTEP for the time parameter, x/$PnG otherwise.
     */
    public double scaleValue(double raw) {
        if (isLog()) return (logOffset == 0 ? 1.0 : logOffset) * Math.pow(10.0, logDecades * raw / range);
        if (timestep > 0) return raw * timestep;
        return raw / gain;
    }

    /**
     * The ceiling in scale units: the scale value of the top channel $PnR − 1, at or above which a value is at the
     * detector's limit (a margin event). 262,143 for an 18-bit linear channel, 9,910 for a 1,024-channel 4-decade
     * log channel, ($PnR − 1)/$PnG for a linear channel with a gain.
     */
    public double scaleCeiling() { return scaleValue(range - 1); }

    /**
     * The top of the scale in scale units, the scale value of $PnR: 262,144 for an 18-bit linear channel, 10^4 for
     * a 4-decade log channel, $PnR/$PnG with a gain. The T of a display transform of this channel.
     */
    public double scaleTop() { return scaleValue(range); }

    /** The label used in exports: $PnN. */
    public String label() { return name; }

}
