package org.crosscheck.generate;

import java.util.function.Consumer;

/** A planted screening case (or trap): written right after normal person {@code slot}. */
record PlantedCase(int slot, Consumer<LifeEvents> history) {
}
