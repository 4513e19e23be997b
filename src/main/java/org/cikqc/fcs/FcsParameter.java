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
 * @param logDecades f1 of $PnE as written (0 for linear; applied to integer data only, see {@link #isLog()})
 * @param logOffset  f2 of $PnE as written (0 for linear; a log channel with f2 = 0 is decoded with f2 = 1)
 * @param timestep   $TIMESTEP when this is the time parameter, else 0
 */
public record FcsParameter(int index, String name, String marker, int bits, double range, char datatype,
                           double gain, double logDecades, double logOffset, double timestep) {

    /**
     * True when values are decoded logarithmically: $PnE declares log amplification (f1 &gt; 0) for integer data.
     * Float and double data are stored linear (FCS 3.1), so a $PnE they carry is kept as written but not applied.
     */
    public boolean isLog() { return logDecades > 0 && datatype == 'I'; }

    /** True when this parameter is the acquisition time. */
    public boolean isTime() { return timestep > 0 || "TIME".equalsIgnoreCase(name.strip()); }

    /** The label used in exports: $PnN. */
    public String label() { return name; }

}
