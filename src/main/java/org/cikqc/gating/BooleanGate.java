package org.cikqc.gating;

import java.util.List;
import java.util.Objects;

/**
 * A Gating-ML {@code BooleanGate}: {@code and}/{@code or} over two or more operands, or {@code not} over one. Each
 * operand is the full membership of a referenced population (including that population's own parents), negated
 * when {@code complement} ({@code use-as-complement}) is set.
 *
 * @param id       gate id
 * @param parentId parent population, or null
 * @param operator and, or, not
 * @param operands referenced populations
 */
public record BooleanGate(String id, String parentId, Operator operator, List<Operand> operands) implements Gate {

    /** The boolean operator. */
    public enum Operator {
        AND, OR, NOT;

        /** The Gating-ML element name ({@code and}, {@code or}, {@code not}). */
        public String xmlName() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /**
     * One operand.
     *
     * @param ref        a population id
     * @param complement use the complement of that population
     */
    public record Operand(String ref, boolean complement) {
        public Operand {
            Objects.requireNonNull(ref, "ref");
        }

        /** A plain (not complemented) reference. */
        public static Operand of(String ref) { return new Operand(ref, false); }
    }

    public BooleanGate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operator, "operator");
        operands = List.copyOf(operands);
        if (operator == Operator.NOT && operands.size() != 1) {
            throw GatingException.of(id, "gate '" + id + "': 'not' takes exactly one operand, has " + operands.size());
        }
        if (operator != Operator.NOT && operands.size() < 2) {
            throw GatingException.of(id, "gate '" + id + "': '" + operator.xmlName() + "' needs at least two operands, has "
                    + operands.size());
        }
    }

    @Override
    public List<Dimension> dimensions() { return List.of(); }
}
