package org.cikqc.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.common.BuildInfo;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes a simulated sample as an FCS 3.1 file (float32, big-endian like BD FACSDiva), streaming chunk by chunk
 * in bounded memory. Keywords: $CYT, $TIMESTEP, $SPILLOVER (the matrix that was applied), $PnN/$PnS/$PnR/$PnB,
 * CREATOR, and {@code CIKQC_SIM_SPEC} (the spec as compact JSON) and {@code CIKQC_SIM_SEED}. No date or time
 * keywords are written, so equal specs give byte-identical files.
 */
public final class SimulatedFcs {
    private SimulatedFcs() { }

    /** The FCS parameter definitions of the simulator's channels. */
    public static List<FcsParameter> parameters(CikSimulator sim) {
        List<FcsParameter> params = new ArrayList<>();
        List<SimChannel> ch = sim.channels();
        for (int p = 0; p < ch.size(); p++) {
            SimChannel c = ch.get(p);
            double timestep = c.kind() == SimChannel.Kind.TIME ? CikSimulator.TIMESTEP : 0;
            params.add(new FcsParameter(p + 1, c.name(), c.marker(), 32, SimChannel.RANGE, 'F', 1, 0, 0, timestep));
        }
        return params;
    }

    /** The keywords written besides the ones the writer derives from the parameters. */
    public static Map<String, String> keywords(CikSimulator sim) {
        Map<String, String> kw = new LinkedHashMap<>();
        kw.put("$BYTEORD", "4,3,2,1");
        kw.put("$DATATYPE", "F");
        kw.put("$CYT", "cikqc simulator (BD FACSDiva channel layout)");
        kw.put("$SRC", "simulated CIK product");
        kw.put("$TIMESTEP", Spillover.format(CikSimulator.TIMESTEP));
        kw.put("$SPILLOVER", sim.spillover().toKeyword());
        kw.put("CREATOR", "cikqc " + BuildInfo.version() + " simulate");
        kw.put("CIKQC_SIM_SEED", Long.toString(sim.spec().seed()));
        try {
            kw.put("CIKQC_SIM_SPEC", new ObjectMapper().writeValueAsString(sim.spec()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("spec is not serializable", e);
        }
        return kw;
    }

    /**
     * Simulates {@code sim}'s spec straight into {@code fcs} (atomically: nothing is left at the target on failure)
     * and returns the truth.
     */
    public static SimulationTruth write(CikSimulator sim, Path fcs) {
        List<FcsParameter> params = parameters(sim);
        FcsWriter writer = FcsWriter.create(fcs, params, keywords(sim), sim.spec().events());
        SimulationTruth truth;
        try {
            double[][] cols = new double[params.size()][];
            truth = sim.generate(chunk -> {
                for (int p = 0; p < cols.length; p++) {
                    if (cols[p] == null || cols[p].length < chunk.size()) cols[p] = new double[chunk.size()];
                    float[] src = chunk.columns()[p];
                    for (int i = 0; i < chunk.size(); i++) cols[p][i] = src[i];
                }
                writer.write(cols, chunk.size());
            });
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
        writer.close();
        return truth;
    }
}
