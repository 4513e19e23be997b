package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the pipeline's figures say about their channels and populations. */
class PlotsTest {

    @Test
    void anAxisTitleNamesAChannelOnceWhenItsMarkerRepeatsItsName() {
        assertEquals("CD3 (FITC-A)", Plots.axisTitle("FITC-A", "CD3"));
        assertEquals("CD3 (FITC-A)", Plots.axisTitle("FITC-A", " CD3 "));
        assertEquals("FSC-A", Plots.axisTitle("FSC-A", "FSC-A"));
        assertEquals("FSC-A", Plots.axisTitle("FSC-A", " fsc-a "), "case and surrounding blanks aside");
        assertEquals("SSC-A", Plots.axisTitle("SSC-A", null));
        assertEquals("SSC-A", Plots.axisTitle("SSC-A", "  "));
        assertEquals("Time (HDR-TM)", Plots.axisTitle("HDR-TM", "Time"));
    }
}
