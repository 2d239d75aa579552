package org.crosscheck.core;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/** Money is decimal with two places, never floating point. */
public final class Money {
    public static final DecimalType TYPE = DataTypes.createDecimalType(18, 2);

    private Money() {
    }
}
