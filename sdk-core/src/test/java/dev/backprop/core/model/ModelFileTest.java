package dev.backprop.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.Backprop;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.network.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelFileTest {
    private static final Backprop BACKPROP = Backprop.create();

    @TempDir
    Path dir;

    private static Model model() {
        Network network = BACKPROP.network(3).dense(4).activation("leaky-relu", Map.of("alpha", 0.2)).dense(2, false)
                .activation("softmax").seed(8).build();
        return new Model(network, "cross-entropy", new Normalizer("standard", new double[] {1, 2, 3}, new double[] {0.5, 1, 2}),
                List.of("a", "b", "c"), List.of("no", "yes"), List.of("no", "yes"), "answer");
    }

    @Test
    void roundTripIsBitExactAndTheFormatIsAsDocumented() throws IOException {
        Model model = model();
        Path file = dir.resolve("model.json");
        ModelFile.write(model, file);
        String json = Files.readString(file);
        assertThat(json).contains("\"format\" : \"backprop-model\"", "\"version\" : 1", "\"type\" : \"dense\"",
                "\"type\" : \"activation\"", "\"name\" : \"leaky-relu\"", "\"alpha\" : 0.2", "\"bias\" : null");
        Model loaded = ModelFile.read(file, BACKPROP.plugins());
        for (int p = 0; p < model.network().parameters().size(); p++) {
            double[] a = model.network().parameters().get(p).values();
            double[] b = loaded.network().parameters().get(p).values();
            for (int i = 0; i < a.length; i++) {
                assertThat(Double.doubleToRawLongBits(b[i])).isEqualTo(Double.doubleToRawLongBits(a[i]));
            }
        }
        assertThat(loaded.predict(new double[] {0.1, -2, 7})).isEqualTo(model.predict(new double[] {0.1, -2, 7}));
        assertThat(ModelFile.toJson(loaded)).isEqualTo(json);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated          | TRUNCATE                                   | not valid JSON",
        "wrong format       | \"backprop-model\"=>\"other\"              | format: expected \"backprop-model\"",
        "future version     | \"version\" : 1=>\"version\" : 2           | version: this SDK reads version 1, the file is version 2",
        "unknown activation | \"leaky-relu\"=>\"leaky-relux\"            | layers[1]: Unknown activation 'leaky-relux'",
        "bad parameter      | \"alpha\" : 0.2=>\"alpha\" : \"x\"         | layers[1]: Parameter 'alpha' of plugin 'leaky-relu' must be a number",
        "wrong layer size   | \"outputs\" : 4=>\"outputs\" : 5           | layers[0].weights: expected 5 rows",
        "bad layer type     | \"type\" : \"dense\"=>\"type\" : \"conv\"  | layers[0].type: expected \"dense\", \"activation\" or \"dropout\"",
        "string weight      | \"weights\" : [ [ =>\"weights\" : [ [ \"x\", | layers[0].weights[0]: expected an array of 3 numbers",
        "duplicate feature  | [ \"a\", \"b\", \"c\" ]=>[ \"a\", \"c\", \"c\" ] | features[2]: \"c\" is also features[1]; each name must be given once",
        "duplicate target   | [ \"no\", \"yes\" ]=>[ \"yes\", \"yes\" ] | targets[1]: \"yes\" is also targets[0]",
        "feature is label   | [ \"a\", \"b\", \"c\" ]=>[ \"a\", \"answer\", \"c\" ] | label: \"answer\" is also features[1]",
        "label without class| \"classes\" : [ \"no\", \"yes\" ]=>\"classes\" : null | label: expected null, as \"classes\" is null",
        "negative scale     | [ 0.5, 1.0, 2.0 ]=>[ 0.5, -1.0, 2.0 ] | normalization.scale[1]: expected a number > 0, got -1.0"})
    void corruptModelIsRefusedWhole(String what, String edit, String expected) throws IOException {
        Path file = dir.resolve("model.json");
        ModelFile.write(model(), file);
        String json = Files.readString(file);
        if (edit.equals("TRUNCATE")) {
            json = json.substring(0, json.length() / 2);
        } else {
            String[] parts = edit.split("=>");
            assertThat(json).contains(parts[0]);
            json = json.replaceFirst(java.util.regex.Pattern.quote(parts[0]), java.util.regex.Matcher.quoteReplacement(parts[1]));
        }
        Files.writeString(file, json);
        assertThatThrownBy(() -> ModelFile.read(file, BACKPROP.plugins()))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageContaining(file.toString())
                .hasMessageContaining(expected);
    }

    @Test
    void aRegressionWhoseFeatureIsAlsoATargetIsRefused() throws IOException {
        Network network = BACKPROP.network(2).dense(2).build();
        Path file = dir.resolve("model.json");
        ModelFile.write(new Model(network, "squared-error", null, List.of("a", "b"), List.of("y", "z"), null, null), file);
        String json = Files.readString(file);
        assertThat(json).contains("[ \"y\", \"z\" ]");
        Files.writeString(file, json.replace("[ \"y\", \"z\" ]", "[ \"y\", \"b\" ]"));
        assertThatThrownBy(() -> ModelFile.read(file, BACKPROP.plugins()))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageContaining(file + ": targets[1]: \"b\" is also features[1]");
    }

    @Test
    void columnNamesThatReadingWouldRefuseAreNeverWritten() {
        Network network = BACKPROP.network(2).dense(1).build();
        Path file = dir.resolve("model.json");
        assertThatThrownBy(() -> ModelFile.write(new Model(network, "squared-error", null, List.of("a", "a"), List.of("y"), null, null), file))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageContaining("Cannot save the model: features[1]: \"a\" is also features[0]");
        assertThatThrownBy(() -> ModelFile.write(new Model(network, "squared-error", null, List.of("a", "y"), List.of("y"), null, null), file,
                BACKPROP.plugins())).hasMessageContaining("Cannot save the model: targets[0]: \"y\" is also features[1]");
        assertThat(file).doesNotExist();
    }

    @Test
    void missingFileIsAnIoError() {
        assertThatThrownBy(() -> ModelFile.read(dir.resolve("none.json"), BACKPROP.plugins()))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_FAILED));
    }
}
