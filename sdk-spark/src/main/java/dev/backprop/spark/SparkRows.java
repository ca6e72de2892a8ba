package dev.backprop.spark;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.cluster.RowsInput;
import dev.backprop.core.data.ColumnStatistics;
import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.data.RowsSummary;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Training rows that Spark reads (a Parquet path or a {@code Dataset<Row>}): the column checks, the one
 * distributed pass that summarises them, and their split into shards, so that each worker gets only its
 * own. No JVM, the driver included, holds all the rows.
 */
final class SparkRows {
    /** DataFrames handed to {@link SparkTraining}, by the name their experiment's {@code data.train} gives. */
    private static final Map<String, Dataset<Row>> FRAMES = new ConcurrentHashMap<>();

    private SparkRows() {
    }

    static void register(String name, Dataset<Row> rows) {
        FRAMES.put(name, rows);
    }

    static void unregister(String name) {
        FRAMES.remove(name);
    }

    /** The rows, with the feature columns then the label column, after checking that they exist and have usable types. */
    static Dataset<Row> read(JavaSparkContext sc, String kind, String location, String label, List<String> features) {
        Dataset<Row> rows;
        String shown = kind + " " + location;
        if (kind.equals("parquet")) {
            SparkSession session = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
            try {
                rows = session.read().parquet(location);
            } catch (RuntimeException e) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": Spark could not read it: " + firstLine(e.getMessage()), e);
            }
        } else {
            rows = FRAMES.get(location);
            if (rows == null) {
                throw new BackpropException(ErrorCode.DATA_INVALID, "no DataFrame named '" + location + "': a dataframe source is "
                        + "a Dataset<Row> handed to SparkTraining.train, which names it.");
            }
        }
        StructType schema = rows.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        for (String feature : features) {
            DataType type = field(schema, names, feature, shown).dataType();
            if (!(type instanceof NumericType)) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": feature column '" + feature + "' holds "
                        + type.simpleString() + "; expected numbers (any numeric type).");
            }
        }
        DataType labelType = field(schema, names, label, shown).dataType();
        if (!(labelType instanceof StringType) && !(labelType instanceof NumericType)) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": label column '" + label + "' holds "
                    + labelType.simpleString() + "; expected strings or numbers (the class names).");
        }
        List<Column> columns = new ArrayList<>();
        for (String feature : features) {
            columns.add(rows.col(feature));
        }
        columns.add(rows.col(label));
        return rows.select(columns.toArray(new Column[0]));
    }

    private static StructField field(StructType schema, List<String> names, String column, String shown) {
        if (!names.contains(column)) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": no column '" + column + "'; its columns are "
                    + String.join(", ", names) + ".");
        }
        return schema.apply(column);
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int end = text.indexOf('\n');
        return end > 0 ? text.substring(0, end) : text;
    }

    /** One pass: the count, the distinct labels and the feature statistics, partition by partition, merged exactly. */
    static RowsSummary summarise(Dataset<Row> rows, int features, String shown, List<String> featureNames, String label) {
        Pass total = rows.javaRDD().treeAggregate(new Pass(features), (pass, row) -> pass.add(row, shown, featureNames, label),
                Pass::merge);
        if (total.statistics.count() == 0) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": there are no rows.");
        }
        return new RowsSummary(total.statistics.count(), classes(total.labels, shown, label), total.statistics);
    }

    /**
     * @return the distinct labels in one-hot order, after the rule a CSV file's labels follow too: one number is not
     *     written two ways ({@code 1} and {@code 1.0})
     */
    static List<String> classes(java.util.Collection<String> labels, String shown, String label) {
        List<String> clash = CsvLoader.sameNumberTwoWays(labels);
        if (!clash.isEmpty()) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": label column '" + label + "' has the labels '" + clash.get(0)
                    + "' and '" + clash.get(1) + "', which are the same number; " + CsvLoader.ONE_SPELLING);
        }
        return CsvLoader.classOrder(labels);
    }

    /** What one partition's rows add to the summary. */
    static final class Pass implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final int MAX_CLASSES = 100_000;
        final ColumnStatistics statistics;
        final TreeSet<String> labels = new TreeSet<>();
        private final double[] values;

        Pass(int features) {
            statistics = new ColumnStatistics(features);
            values = new double[features];
        }

        Pass add(Row row, String shown, List<String> featureNames, String label) {
            features(row, values, shown, featureNames);
            statistics.add(values);
            labels.add(label(row, values.length, shown, label));
            if (labels.size() > MAX_CLASSES) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": label column '" + label + "' has more than "
                        + MAX_CLASSES + " distinct values; it must name classes.");
            }
            return this;
        }

        Pass merge(Pass other) {
            statistics.merge(other.statistics);
            labels.addAll(other.labels);
            return this;
        }
    }

    /** Reads the row's feature columns (the first {@code featureNames.size()}) into {@code into}. */
    static void features(Row row, double[] into, String shown, List<String> featureNames) {
        for (int c = 0; c < featureNames.size(); c++) {
            Object value = row.get(c);
            if (value == null) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": feature column '" + featureNames.get(c)
                        + "' has an empty (null) value; every row needs a number.");
            }
            double v = ((Number) value).doubleValue();
            if (!Double.isFinite(v)) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": feature column '" + featureNames.get(c) + "' holds "
                        + v + "; only finite numbers are allowed.");
            }
            into[c] = v;
        }
    }

    static String label(Row row, int index, String shown, String label) {
        Object value = row.get(index);
        if (value == null) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shown + ": label column '" + label + "' has an empty (null) value.");
        }
        return value.toString();
    }

    /**
     * The rows split into shards: shard {@code r} holds rows {@code offsets[r]} up to {@code offsets[r + 1]}
     * (in the order Spark reads them), in that order, as features followed by the class index.
     */
    static JavaRDD<double[]> shards(Dataset<Row> rows, RowsInput input, long[] offsets) {
        List<String> classes = input.summary().classes();
        List<String> featureNames = input.features();
        String shown = input.kind() + " " + input.location();
        String label = input.label();
        int features = featureNames.size();
        JavaPairRDD<Long, double[]> indexed = rows.javaRDD().zipWithIndex().mapToPair(pair -> {
            double[] row = new double[features + 1];
            features(pair._1(), row, shown, featureNames);
            String value = label(pair._1(), features, shown, label);
            row[features] = classes.indexOf(value);
            return new Tuple2<>(pair._2(), row);
        });
        return indexed.repartitionAndSortWithinPartitions(new ShardPartitioner(offsets)).values();
    }

    /** Sends row {@code i} to the shard whose range holds it. */
    static final class ShardPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final long[] offsets;

        ShardPartitioner(long[] offsets) {
            this.offsets = offsets.clone();
        }

        @Override
        public int numPartitions() {
            return offsets.length - 1;
        }

        @Override
        public int getPartition(Object key) {
            long index = (Long) key;
            int found = Arrays.binarySearch(offsets, index);
            int shard = found >= 0 ? found : -found - 2;
            while (shard < offsets.length - 2 && offsets[shard + 1] <= index) {
                shard++; // an empty shard shares its offset with the next one
            }
            return shard;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ShardPartitioner p && Arrays.equals(p.offsets, offsets);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(offsets);
        }
    }
}
