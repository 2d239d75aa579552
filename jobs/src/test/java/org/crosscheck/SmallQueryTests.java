package org.crosscheck;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of test classes that run many queries over a handful of rows: the small-query settings for the class. */
public abstract class SmallQueryTests extends SparkTestSupport {
    @BeforeAll
    static void smallQueries() {
        useSmallQuerySettings();
    }

    @AfterAll
    static void restoreSettings() {
        restoreQuerySettings();
    }
}
