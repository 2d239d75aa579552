package org.crosscheck.linkage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A comparison of one column: its name, the column and the levels the subclass lists in its constructor. */
abstract class ColumnComparison implements Comparison {
    private final String name;
    protected final String column;
    private final List<Level> levels = new ArrayList<>();
    private double maxWeight = Double.POSITIVE_INFINITY;
    private boolean presumeAgreement = true;

    ColumnComparison(String name, String column) {
        this.name = name;
        this.column = column;
    }

    /** Adds a level; returns its index. */
    protected final int addLevel(String levelName, String words) {
        levels.add(new Level(levelName, words));
        return levels.size() - 1;
    }

    /** Caps the levels' weight (settings key {@code max_weight}); returns this. */
    final ColumnComparison capWeight(double cap) {
        this.maxWeight = cap;
        return this;
    }

    /** Sets whether EM's prior presumes agreement (settings key {@code presume_agreement}); returns this. */
    final ColumnComparison presumeAgreement(boolean presume) {
        this.presumeAgreement = presume;
        return this;
    }

    @Override
    public final boolean presumeAgreement() {
        return presumeAgreement;
    }

    @Override
    public final double maxWeight() {
        return maxWeight;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Level> levels() {
        return Collections.unmodifiableList(levels);
    }

    @Override
    public final List<String> columns() {
        return List.of(column);
    }
}
