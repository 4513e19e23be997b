package org.cikqc.sim;

/**
 * Where the simulated acquisition anomaly lies, in time and in events.
 *
 * @param mode         the anomaly
 * @param startSeconds start of the segment, seconds from acquisition start
 * @param endSeconds   end of the segment (exclusive), seconds
 * @param startTime    start in Time-channel units (seconds / $TIMESTEP)
 * @param endTime      end in Time-channel units (exclusive)
 * @param firstEvent   index of the first event in the segment (or of the first event after it when it is empty)
 * @param endEvent     index one past the last event in the segment
 */
public record ClogSegment(ClogMode mode, double startSeconds, double endSeconds, double startTime, double endTime,
                          long firstEvent, long endEvent) {

    /** Number of events in the segment. */
    public long events() { return endEvent - firstEvent; }
}
