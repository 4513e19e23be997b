package org.cikqc.fcs;

/** Which values an event stream delivers. */
public enum ValueKind {
    /** As stored in DATA, integers masked to the next power of two covering $PnR. */
    RAW,
    /** Scale values: log channels decoded via $PnE, linear channels divided by $PnG, time multiplied by $TIMESTEP. */
    SCALE
}
