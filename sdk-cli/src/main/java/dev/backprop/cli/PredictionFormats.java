package dev.backprop.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backprop.core.model.Model;
import java.util.List;

/**
 * Predictions as CSV or JSON, one row (object) per example: {@code row} (1 for the first example), each
 * output under its target name, and {@code class} for a classifier. Numbers are written in the shortest
 * form that reads back to the same double.
 */
final class PredictionFormats {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictionFormats() {
    }

    static String csv(Model model, List<double[]> outputs, List<String> classes) {
        StringBuilder text = new StringBuilder("row");
        for (String target : model.targets()) {
            text.append(',').append(cell(target));
        }
        if (model.isClassifier()) {
            text.append(",class");
        }
        text.append('\n');
        for (int r = 0; r < outputs.size(); r++) {
            text.append(r + 1);
            for (double v : outputs.get(r)) {
                text.append(',').append(v);
            }
            if (model.isClassifier()) {
                text.append(',').append(cell(classes.get(r)));
            }
            text.append('\n');
        }
        return text.toString();
    }

    static String json(Model model, List<double[]> outputs, List<String> classes) {
        StringBuilder text = new StringBuilder("[\n");
        try {
            for (int r = 0; r < outputs.size(); r++) {
                ObjectNode row = JSON.createObjectNode();
                row.put("row", r + 1);
                ObjectNode values = row.putObject("outputs");
                for (int c = 0; c < outputs.get(r).length; c++) {
                    values.put(model.targets().get(c), outputs.get(r)[c]);
                }
                if (model.isClassifier()) {
                    row.put("class", classes.get(r));
                }
                text.append("  ").append(JSON.writeValueAsString(row)).append(r + 1 < outputs.size() ? ",\n" : "\n");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return text.append("]\n").toString();
    }

    /** A CSV cell, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
    private static String cell(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
