package org.crosscheck.rules;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns the rows of a fixture file (YAML maps from column to scalar) into Spark rows of a schema. A column the row
 * leaves out takes the file's default for that table, else null. Dates are written yyyy-MM-dd, times
 * yyyy-MM-dd HH:mm:ss, amounts as numbers or text. A column the schema lacks is an error naming it.
 */
final class FixtureRows {
    private FixtureRows() {
    }

    static List<Row> rows(StructType schema, List<Map<String, Object>> given, Map<String, Object> defaults,
                          String where) {
        List<Row> out = new ArrayList<>();
        List<String> columns = Arrays.asList(schema.fieldNames());
        for (int i = 0; i < given.size(); i++) {
            Map<String, Object> values = new LinkedHashMap<>(defaults == null ? Map.of() : defaults);
            if (given.get(i) != null) {
                values.putAll(given.get(i));
            }
            String at = where + " row " + (i + 1);
            for (String c : values.keySet()) {
                if (!columns.contains(c)) {
                    throw new IllegalArgumentException(at + ": unknown column '" + c + "'; columns: " + columns);
                }
            }
            Object[] v = new Object[schema.size()];
            for (int j = 0; j < schema.size(); j++) {
                StructField f = schema.fields()[j];
                v[j] = value(values.get(f.name()), f.dataType(), at + ", column " + f.name());
            }
            out.add(RowFactory.create(v));
        }
        return out;
    }

    static Object value(Object yaml, DataType type, String where) {
        if (yaml == null) {
            return null;
        }
        String s = String.valueOf(yaml);
        try {
            if (type.equals(DataTypes.StringType)) {
                return s;
            }
            if (type.equals(DataTypes.DateType)) {
                return Date.valueOf(s);
            }
            if (type.equals(DataTypes.TimestampType)) {
                return Timestamp.valueOf(s.length() == 10 ? s + " 00:00:00" : s);
            }
            if (type instanceof DecimalType) {
                return new BigDecimal(s);
            }
            if (type.equals(DataTypes.LongType)) {
                return Long.parseLong(s);
            }
            if (type.equals(DataTypes.IntegerType)) {
                return Integer.parseInt(s);
            }
            if (type.equals(DataTypes.BooleanType)) {
                return Boolean.parseBoolean(s);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + s + "' is not a " + type.simpleString()
                    + (type.equals(DataTypes.DateType) ? " (write yyyy-MM-dd)" : ""), e);
        }
        throw new IllegalArgumentException(where + ": columns of type " + type.simpleString()
                + " cannot be given in a fixture");
    }
}
