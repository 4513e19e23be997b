package org.cikqc.cli;

import java.util.Locale;

import org.cikqc.common.CikqcException;
import org.cikqc.transform.AsinhTransform;
import org.cikqc.transform.FlowJoBiexTransform;
import org.cikqc.transform.HyperlogTransform;
import org.cikqc.transform.LinearTransform;
import org.cikqc.transform.LogTransform;
import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.Transform;

/** Parses command-line transform specifications such as {@code logicle:262144,0.5,4.5,0}. */
final class TransformSpecs {
    private TransformSpecs() { }

    static Transform parse(String spec) {
        String s = spec.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        double[] a = colon < 0 ? new double[0] : numbers(spec, s.substring(colon + 1));
        return switch (name) {
            case "logicle" -> new LogicleTransform(arg(a, 0, 262144), arg(a, 1, 0.5), arg(a, 2, 4.5), arg(a, 3, 0));
            case "asinh", "fasinh" -> new AsinhTransform(arg(a, 0, 262144), arg(a, 1, 4.5), arg(a, 2, 0));
            case "log", "flog" -> new LogTransform(arg(a, 0, 262144), arg(a, 1, 4.5));
            case "linear", "flin" -> new LinearTransform(arg(a, 0, 262144), arg(a, 1, 0));
            case "hyperlog" -> new HyperlogTransform(arg(a, 0, 262144), arg(a, 1, 0.5), arg(a, 2, 4.5), arg(a, 3, 0));
            case "biex" -> new FlowJoBiexTransform(arg(a, 0, -10), arg(a, 1, 0), arg(a, 2, 4.418540), arg(a, 3, 262144));
            default -> throw CikqcException.spec("--transform: unknown transform '" + name
                    + "' (logicle, asinh, log, linear, hyperlog, biex)");
        };
    }

    private static double arg(double[] a, int i, double dflt) { return i < a.length ? a[i] : dflt; }

    private static double[] numbers(String spec, String list) {
        String[] parts = list.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw CikqcException.spec("--transform '" + spec + "': '" + parts[i] + "' is not a number");
            }
        }
        return out;
    }
}
