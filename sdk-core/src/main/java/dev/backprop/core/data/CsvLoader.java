package dev.backprop.core.data;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.io.IoErrors;
import dev.backprop.core.plugin.NameSuggestions;
import dev.backprop.core.training.Dataset;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads examples from a CSV file with one header row (parsed with Apache Commons CSV). Either a class
 * label column is one-hot encoded, or named target columns are used as they are (regression); the
 * features are the named columns or every other column. Errors name the file, line and column.
 */
public final class CsvLoader {
    /** The largest CSV file read, in bytes. */
    public static final long MAX_BYTES = 512L * 1024 * 1024;
    /** The most data rows read from one file. */
    public static final long MAX_ROWS = 5_000_000;
    /**
     * The largest input read from what is not a regular file (a pipe, {@code /dev/stdin}, a FIFO, a device),
     * in bytes: such input may never end, and its size is not known before it is read.
     */
    public static final long MAX_STREAM_BYTES = 32L * 1024 * 1024;
    /**
     * The most values (data rows times columns) read from what is not a regular file. Each parsed value
     * is held until the whole input is read, at about 70 bytes, so this bounds the memory an endless pipe
     * of short rows takes (about 150 MB of heap) and the time it takes to be refused (a few seconds).
     */
    public static final long MAX_STREAM_VALUES = 2_000_000;

    private CsvLoader() {
    }

    /**
     * Starts reading a file:
     * <pre>{@code
     * LabelledData iris = CsvLoader.from(Path.of("iris.csv")).label("species").load();
     * LabelledData houses = CsvLoader.from(Path.of("houses.csv")).targets("price").features("rooms", "area").load();
     * }</pre>
     *
     * @param file the CSV file
     * @return a builder; name the class-label column ({@link Builder#label}) or the target columns
     *     ({@link Builder#targets}), then {@link Builder#load()}
     */
    public static Builder from(Path file) {
        return new Builder(Objects.requireNonNull(file, "file must not be null"));
    }

    /** What to read from one CSV file; {@link #load()} reads it. */
    public static final class Builder {
        private final Path file;
        private String shownPath;
        private String label;
        private List<String> targets = List.of();
        private List<String> features = List.of();
        private List<String> knownClasses;

        private Builder(Path file) {
            this.file = file;
            this.shownPath = file.toString();
        }

        /**
         * @param name how to name the file in messages (default: the path as given)
         * @return this builder
         */
        public Builder shownAs(String name) {
            this.shownPath = Objects.requireNonNull(name, "name must not be null");
            return this;
        }

        /**
         * Makes the data a classification: the column's values are the classes, one-hot encoded.
         *
         * @param column the class-label column
         * @return this builder
         */
        public Builder label(String column) {
            this.label = Objects.requireNonNull(column, "column must not be null");
            return this;
        }

        /**
         * Makes the data a regression with these numeric target columns.
         *
         * @param columns the target columns, at least one
         * @return this builder
         */
        public Builder targets(String... columns) {
            return targets(List.of(columns));
        }

        /**
         * @param columns the regression target columns, at least one
         * @return this builder
         */
        public Builder targets(List<String> columns) {
            this.targets = List.copyOf(Objects.requireNonNull(columns, "columns must not be null"));
            return this;
        }

        /**
         * @param columns the feature columns (default: every column that is not the label or a target)
         * @return this builder
         */
        public Builder features(String... columns) {
            return features(List.of(columns));
        }

        /**
         * @param columns the feature columns (default: every column that is not the label or a target)
         * @return this builder
         */
        public Builder features(List<String> columns) {
            this.features = List.copyOf(Objects.requireNonNull(columns, "columns must not be null"));
            return this;
        }

        /**
         * For validation or test data: uses the training set's classes in its order, and makes a label
         * that is not one of them an error (default: the classes found in this file, sorted).
         *
         * @param classes the training set's classes
         * @return this builder
         */
        public Builder knownClasses(List<String> classes) {
            this.knownClasses = classes == null ? null : List.copyOf(classes);
            return this;
        }

        /**
         * @return the examples
         * @throws IllegalStateException if neither a label nor targets were named, or both were
         * @throws BackpropException ({@link ErrorCode#IO_FAILED} or {@link ErrorCode#DATA_INVALID}) naming
         *     the file and place
         */
        public LabelledData load() {
            if ((label == null) == targets.isEmpty()) {
                throw new IllegalStateException(shownPath + ": name either the class-label column (label) for a classifier "
                        + "or the target columns (targets) for a regression" + (label == null ? "" : ", not both") + ".");
            }
            return CsvLoader.load(file, shownPath, label, targets, features, knownClasses);
        }
    }

    private static LabelledData load(Path file, String shownPath, String label, List<String> targetColumns,
            List<String> featureColumns, List<String> knownClasses) {
        Table table = read(file, shownPath);
        return toExamples(table, shownPath, label, targetColumns, featureColumns, knownClasses);
    }

    /**
     * Reads only the named feature columns, for prediction; other columns are ignored.
     *
     * @param file the CSV file
     * @param shownPath how to name the file in messages
     * @param featureColumns the columns to read, in order
     * @return one row of features per data row
     */
    public static double[][] loadFeatures(Path file, String shownPath, List<String> featureColumns) {
        Table table = read(file, shownPath);
        java.util.Map<String, Integer> columns = indexOf(table.header());
        int[] featureIndex = new int[featureColumns.size()];
        for (int c = 0; c < featureIndex.length; c++) {
            featureIndex[c] = requireColumn(columns, table.header(), featureColumns.get(c), shownPath, "feature");
        }
        if (table.records().isEmpty()) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": the file has a header but no data rows.");
        }
        double[][] rows = new double[table.records().size()][featureColumns.size()];
        for (int r = 0; r < rows.length; r++) {
            CSVRecord record = table.records().get(r);
            checkWidth(record, table.line(r), table.header(), shownPath);
            for (int c = 0; c < featureColumns.size(); c++) {
                rows[r][c] = number(record.get(featureIndex[c]), shownPath, table.line(r), featureColumns.get(c));
            }
        }
        return rows;
    }

    /**
     * Reads the header row only, with the checks data loading makes (UTF-8, a byte order mark, unique names).
     *
     * @param file the CSV file
     * @param shownPath how to name the file in messages
     * @return the column names, in order
     */
    public static List<String> header(Path file, String shownPath) {
        return read(file, shownPath, true).header();
    }

    /**
     * The header and the data rows.
     *
     * @param lines the physical line (1-based, as an editor numbers it) each record starts on
     */
    private record Table(List<String> header, List<CSVRecord> records, long[] lines) {
        long line(int record) {
            return lines[record];
        }
    }

    private static void checkWidth(CSVRecord record, long line, List<String> header, String shownPath) {
        if (record.size() != header.size()) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ":" + line + ": the row has "
                    + record.size() + " cells but the header has " + header.size() + " columns.");
        }
    }

    private static Table read(Path file, String shownPath) {
        return read(file, shownPath, false);
    }

    private static Table read(Path file, String shownPath, boolean headerOnly) {
        List<String> header;
        Table rows;
        boolean stream = !Files.isRegularFile(file);
        try {
            if (!stream && Files.size(file) > MAX_BYTES) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": " + Files.size(file) + " bytes; a data file may "
                        + "have at most " + MAX_BYTES + " bytes.");
            }
            try (Reader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                            dev.backprop.core.io.BoundedFiles.open(file, stream ? MAX_STREAM_BYTES : MAX_BYTES, true),
                            StandardCharsets.UTF_8.newDecoder()));
                    CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).setAllowMissingColumnNames(true)
                            .setMaxRows(MAX_ROWS + 1).get().parse(reader)) {
                header = parser.getHeaderNames().stream().map(CsvLoader::stripBom).toList();
                rows = headerOnly ? new Table(header, List.of(), new long[0]) : records(parser, header, shownPath, stream);
            }
            if (rows.records().size() > MAX_ROWS) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": more than " + MAX_ROWS + " data rows; "
                        + "the limit of one data file.");
            }
        } catch (dev.backprop.core.io.BoundedFiles.LimitException e) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": " + e.getMessage() + ".", e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw notUtf8(file, stream, shownPath, e);
        } catch (NoSuchFileException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, shownPath + ": no such file (looked for " + file.toAbsolutePath() + ").", e);
        } catch (IOException | java.io.UncheckedIOException e) {
            if (e.getCause() instanceof dev.backprop.core.io.BoundedFiles.LimitException limit) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": " + limit.getMessage() + ".", e);
            }
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw notUtf8(file, stream, shownPath, e);
            }
            String parse = malformedQuote(e);
            if (parse != null) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ":" + parse, e);
            }
            throw new BackpropException(ErrorCode.IO_FAILED, shownPath + ": could not be read: " + IoErrors.reason(e)
                    + ".", e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": malformed CSV: "
                    + IoErrors.excerpt(String.valueOf(e.getMessage())), e);
        }
        if (header.isEmpty()) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": the file is empty; expected a header row and data rows.");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String column : header) {
            if (!seen.add(column)) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ":1: the column '" + IoErrors.excerpt(column)
                        + "' appears twice in the header; column names must be unique.");
            }
        }
        return rows;
    }

    /** The error for a file that is not UTF-8, at its first foreign byte (a pipe is not read again to find it). */
    private static BackpropException notUtf8(Path file, boolean stream, String shownPath, Exception cause) {
        String detail = stream ? "not UTF-8 text; save it as UTF-8, for example with iconv -f latin1 -t utf-8"
                : dev.backprop.core.io.Utf8.notUtf8(file, MAX_BYTES);
        return new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": " + detail + ".", cause);
    }

    /**
     * The data records, each with the physical line it starts on, without lines of only spaces and tabs (the
     * parser skips empty lines but reads such a line as one empty cell, and the two look the same in an editor).
     * From a pipe or device, at most {@link #MAX_STREAM_VALUES} values are read.
     */
    private static Table records(CSVParser parser, List<String> header, String shownPath, boolean stream) {
        List<CSVRecord> records = new ArrayList<>();
        long[] lines = new long[16];
        long values = 0;
        for (CSVRecord record : parser) {
            long line = startLine(parser, record);
            if (stream) {
                values += Math.max(1, record.size());
                if (values > MAX_STREAM_VALUES) {
                    throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ":" + line + ": more than "
                            + MAX_STREAM_VALUES + " values (rows times columns) from a pipe, FIFO or device, the limit for input that is not a "
                            + "regular file (it may never end); save the data to a file first (a file may have " + MAX_ROWS + " rows and "
                            + MAX_BYTES + " bytes).");
                }
            }
            if (record.size() == 1 && record.get(0).isBlank()) {
                continue;
            }
            if (records.size() == lines.length) {
                lines = java.util.Arrays.copyOf(lines, lines.length * 2);
            }
            lines[records.size()] = line;
            records.add(record);
        }
        return new Table(header, records, java.util.Arrays.copyOf(lines, records.size()));
    }

    /**
     * The physical line a record just read starts on. The record number does not count the empty lines the parser
     * skips or the line breaks inside quoted cells, and the record's character position includes the skipped lines;
     * the parser's line count does count them all, up to the end of the record (its line break, or the end of the
     * input), so the start is that count less the line breaks inside the record's cells (CR LF, CR or LF, each one
     * line, as the parser counts them).
     */
    private static long startLine(CSVParser parser, CSVRecord record) {
        long breaks = 0;
        for (String value : record.values()) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' && (i == 0 || value.charAt(i - 1) != '\r')) {
                    breaks++;
                }
            }
        }
        return parser.getCurrentLineNumber() - breaks;
    }

    private static LabelledData toExamples(Table table, String shownPath, String label,
            List<String> targetColumns, List<String> featureColumns, List<String> knownClasses) {
        List<String> header = table.header();
        List<CSVRecord> records = table.records();
        List<String> targets = label != null ? List.of(label) : targetColumns;
        // Columns are looked up in a map: a file may have a million of them.
        java.util.Map<String, Integer> columns = indexOf(header);
        int[] targetIndex = new int[targets.size()];
        for (int c = 0; c < targetIndex.length; c++) {
            targetIndex[c] = requireColumn(columns, header, targets.get(c), shownPath, label != null ? "label" : "target");
        }
        List<String> features = new ArrayList<>();
        if (featureColumns.isEmpty()) {
            java.util.Set<String> targetSet = new java.util.HashSet<>(targets);
            for (String column : header) {
                if (!targetSet.contains(column)) {
                    features.add(column);
                }
            }
        } else {
            for (String column : featureColumns) {
                requireColumn(columns, header, column, shownPath, "feature");
                features.add(column);
            }
        }
        if (features.isEmpty()) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": no feature columns are left besides the targets.");
        }
        if (records.isEmpty()) {
            throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ": the dataset is empty: the file has a header but no data rows.");
        }
        int[] featureIndex = features.stream().mapToInt(columns::get).toArray();
        double[][] x = new double[records.size()][features.size()];
        String[] labels = new String[records.size()];
        double[][] y = label != null ? null : new double[records.size()][targets.size()];
        for (int r = 0; r < records.size(); r++) {
            CSVRecord record = records.get(r);
            long line = table.line(r);
            checkWidth(record, line, header, shownPath);
            for (int c = 0; c < featureIndex.length; c++) {
                x[r][c] = number(record.get(featureIndex[c]), shownPath, line, header.get(featureIndex[c]));
            }
            if (label != null) {
                labels[r] = record.get(targetIndex[0]);
                if (labels[r].isEmpty()) {
                    throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ":" + line + ", column '" + IoErrors.excerpt(label) + "': the label is empty.");
                }
            } else {
                for (int c = 0; c < targetIndex.length; c++) {
                    y[r][c] = number(record.get(targetIndex[c]), shownPath, line, header.get(targetIndex[c]));
                }
            }
        }
        if (label == null) {
            return new LabelledData(Dataset.of(x, y), features, targets, null, null);
        }
        if (knownClasses == null) {
            requireOneSpellingPerNumber(labels, table, shownPath, label);
        }
        List<String> classes = knownClasses != null ? knownClasses : sortedClasses(labels);
        y = new double[records.size()][classes.size()];
        java.util.Map<String, Integer> classIndex = indexOf(classes);
        for (int r = 0; r < labels.length; r++) {
            int k = classIndex.getOrDefault(labels[r], -1);
            if (k < 0) {
                throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ":" + table.line(r)
                        + ", column '" + IoErrors.excerpt(label) + "': the class '" + IoErrors.excerpt(labels[r]) + "' does not occur in the training data; known classes: "
                        + IoErrors.excerpt(String.join(", ", classes)) + ".");
            }
            y[r][k] = 1.0;
        }
        return new LabelledData(Dataset.of(x, y), features, classes, classes, label);
    }

    private static final java.util.regex.Pattern NUMERIC_LABEL = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?");

    /**
     * Refuses two labels that are the same number written two ways ({@code 1} and {@code 1.0}, {@code 01} and
     * {@code 1}): a model keeps its classes as text, so they would be two classes.
     */
    private static void requireOneSpellingPerNumber(String[] labels, Table table, String shownPath, String label) {
        List<String> clash = sameNumberTwoWays(java.util.Arrays.asList(labels));
        if (clash.isEmpty()) {
            return;
        }
        List<String> all = java.util.Arrays.asList(labels);
        long firstLine = table.line(all.indexOf(clash.get(0)));
        long line = table.line(all.indexOf(clash.get(1)));
        throw new BackpropException(ErrorCode.DATA_INVALID, shownPath + ":" + line + ", column '" + IoErrors.excerpt(label) + "': the labels '"
                + IoErrors.excerpt(clash.get(0)) + "' (line " + firstLine + ") and '" + IoErrors.excerpt(clash.get(1)) + "' (line "
                + line + ") are the same number; " + ONE_SPELLING);
    }

    /** What to do about one number written two ways as class labels, for the errors of every data source. */
    public static final String ONE_SPELLING = "write each class one way (classes are kept as text, so they would be two classes).";

    /**
     * The rule every data source applies to class labels (a model keeps its classes as text): one number may not be
     * written two ways, such as {@code 1} and {@code 1.0}, or {@code 01} and {@code 1}.
     *
     * @param labels class labels, repeats allowed
     * @return the first two labels, in the order given, that are the same number written two ways, or an empty list
     */
    public static List<String> sameNumberTwoWays(Iterable<String> labels) {
        java.util.Map<java.math.BigDecimal, String> firstSpelling = new java.util.HashMap<>();
        for (String label : labels) {
            if (label.length() > 400 || !NUMERIC_LABEL.matcher(label).matches()) {
                continue;
            }
            String first = firstSpelling.putIfAbsent(new java.math.BigDecimal(label).stripTrailingZeros(), label);
            if (first != null && !first.equals(label)) {
                return List.of(first, label);
            }
        }
        return List.of();
    }

    private static List<String> sortedClasses(String[] labels) {
        return classOrder(List.of(labels));
    }

    /**
     * @param labels class labels, repeats allowed
     * @return the distinct ones in one-hot order: numeric order when every label is a number, else string order
     */
    public static List<String> classOrder(java.util.Collection<String> labels) {
        TreeSet<String> distinct = new TreeSet<>(labels);
        boolean numeric = distinct.stream().allMatch(s -> NUMERIC_LABEL.matcher(s).matches());
        List<String> classes = new ArrayList<>(distinct);
        if (numeric) {
            classes.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
        }
        return classes;
    }

    /** @return each name's position (the first, for a repeated name) */
    private static java.util.Map<String, Integer> indexOf(List<String> names) {
        java.util.Map<String, Integer> index = new java.util.HashMap<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i), i);
        }
        return index;
    }

    /** @return the column's position in the header */
    private static int requireColumn(java.util.Map<String, Integer> columns, List<String> header, String column, String file,
            String role) {
        Integer position = columns.get(column);
        if (position != null) {
            return position;
        }
        if (header.size() == 1) {
            // One "column": most likely not a CSV file at all; its first line is not echoed.
            throw new BackpropException(ErrorCode.DATA_INVALID, file + ": no " + role + " column '" + IoErrors.excerpt(column) + "'; the first line "
                    + "has no commas, so this does not look like a CSV file with a header row of column names.");
        }
        throw new BackpropException(ErrorCode.DATA_INVALID, file + ": no " + role + " column '" + IoErrors.excerpt(column) + "'."
                + NameSuggestions.hint(column, header) + " Columns: "
                + IoErrors.excerpt(String.join(", ", header)) + ".");
    }

    private static double number(String cell, String file, long line, String column) {
        java.util.OptionalDouble value = Numbers.parse(cell);
        if (value.isEmpty() && (cell.matches("(?i)[+-]?(nan|inf|infinity)") || Numbers.isOutOfRange(cell))) {
            throw new BackpropException(ErrorCode.DATA_INVALID, file + ":" + line + ", column '" + IoErrors.excerpt(column) + "': "
                    + IoErrors.excerpt(cell) + " is not allowed; only finite numbers are.");
        }
        if (value.isEmpty()) {
            throw new BackpropException(ErrorCode.DATA_INVALID, file + ":" + line + ", column '" + IoErrors.excerpt(column)
                    + "': expected a finite decimal number such as 5.1 or -2e-3, got '"
                    + IoErrors.excerpt(cell) + "'.");
        }
        return value.getAsDouble();
    }

    private static String stripBom(String name) {
        return name.startsWith("\uFEFF") ? name.substring(1) : name;
    }

    private static final java.util.regex.Pattern QUOTE_ERROR = java.util.regex.Pattern.compile(
            "(?i)(EOF reached before encapsulated token finished|invalid char(?:acter)? between encapsulated token and delimiter)");
    private static final java.util.regex.Pattern LINE = java.util.regex.Pattern.compile("(?i)line:? (\\d+)");

    /** The CSV parser's complaint about quotes, in the SDK's words with its line, or {@code null} for another failure. */
    private static String malformedQuote(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            java.util.regex.Matcher m = QUOTE_ERROR.matcher(message);
            if (m.find()) {
                java.util.regex.Matcher line = LINE.matcher(message);
                return (line.find() ? line.group(1) : "") + ": " + (m.group(1).startsWith("EOF")
                        ? "a quoted cell is never closed (a '\"' without its closing '\"'); quote a cell as \"text\" or not at all."
                        : "text follows the closing quote of a cell; a quoted cell ends with '\"' and then a comma or the line's end.");
            }
        }
        return null;
    }
}
