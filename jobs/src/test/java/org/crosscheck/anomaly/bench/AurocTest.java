package org.crosscheck.anomaly.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AurocTest {

    @Test
    void perfectRankingIsOneAndReversedIsZero() {
        boolean[] labels = {false, false, true, true};
        assertEquals(1.0, Auroc.of(new double[] {0.1, 0.2, 0.8, 0.9}, labels));
        assertEquals(0.0, Auroc.of(new double[] {0.9, 0.8, 0.2, 0.1}, labels));
    }

    @Test
    void tiesCountOneHalf() {
        // every outlier-inlier pair tied: 0.5; one pair of four tied, the rest correct: (3 + 0.5) / 4
        assertEquals(0.5, Auroc.of(new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, false}));
        assertEquals(3.5 / 4, Auroc.of(new double[] {0.1, 0.6, 0.6, 0.9}, new boolean[] {false, false, true, true}));
    }

    @Test
    void undefinedWithoutBothClasses() {
        assertTrue(Double.isNaN(Auroc.of(new double[] {0.1, 0.2}, new boolean[] {true, true})));
    }
}
