package dev.backprop.core.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.api.Activation;
import dev.backprop.api.LossFunction;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Dataset;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example of {@code docs/derivation.md} §10 is what the engine computes: the marked table is
 * parsed, and each quoted value must be the engine's value rounded to the decimals shown, so the page
 * cannot drift from the code. Also checks §7's batch claims on the same example.
 */
class DerivationDocTest {
    private static final Path DOC = Path.of("..", "docs", "derivation.md");
    private static final String BEGIN = "<!-- worked-example:begin -->";
    private static final String END = "<!-- worked-example:end -->";

    private static final double X1 = 0.35, X2 = 0.9, TARGET = 0.5, ETA = 1.0;
    private static final double W13 = 0.1, W23 = 0.8, W14 = 0.4, W24 = 0.6, W35 = 0.3, W45 = 0.9;
    private static final double[] X = {X1, X2};
    private static final double[] T = {TARGET};

    private final Backprop backprop = Backprop.create();
    private final LossFunction loss = backprop.plugins().createLoss("squared-error", Map.of());

    /** One row of the marked table: the id, the quoted value and the rounded figure usually printed (or empty). */
    private record Row(String id, String value, String printed) {
    }

    private static List<Row> table() throws IOException {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("the begin marker in " + DOC).isNotNegative();
        assertThat(end).as("the end marker after the begin marker").isGreaterThan(begin);
        List<Row> rows = new ArrayList<>();
        for (String line : doc.substring(begin + BEGIN.length(), end).strip().split("\n")) {
            String[] cells = line.split("\\|", -1);
            assertThat(cells).as("a table row of 5 columns: " + line).hasSize(7);
            String id = cells[1].strip();
            if (id.equals("id") || id.startsWith("---")) {
                continue; // header and separator
            }
            assertThat(id).as("the id of " + line).startsWith("`").endsWith("`");
            rows.add(new Row(id.substring(1, id.length() - 1), cells[4].strip(), cells[5].strip()));
        }
        return rows;
    }

    private Network network() {
        // Row = output unit, column = input unit: the hidden layer's rows are units 3 and 4.
        return backprop.network(2)
                .dense(2, false, "explicit", Map.of("weights", List.of(List.of(W13, W23), List.of(W14, W24))))
                .activation("sigmoid")
                .dense(1, false, "explicit", Map.of("weights", List.of(List.of(W35, W45))))
                .activation("sigmoid")
                .build();
    }

    /** The sigmoid's slope at each value of a layer, from the plugin's own backward pass. */
    private double[] sigmoidSlope(double[] net, double[] out) {
        Activation sigmoid = backprop.plugins().createActivation("sigmoid", Map.of());
        double[] ones = new double[net.length];
        java.util.Arrays.fill(ones, 1.0);
        double[] slope = new double[net.length];
        sigmoid.backward(net, out, ones, slope, 1, net.length);
        return slope;
    }

    /** Every quantity of the table, computed by the engine through its public API, by id. */
    private Map<String, Double> engineValues() {
        Map<String, Double> v = new LinkedHashMap<>();
        Network network = network();
        Backpropagation pass = new Backpropagation(network, 1);
        double error = pass.meanGradient(X, T, 1, loss);

        double[] net34 = pass.layerOutput(0);
        double[] y34 = pass.layerOutput(1);
        double[] net5 = pass.layerOutput(2);
        double[] y5 = pass.layerOutput(3);
        v.put("net3", net34[0]);
        v.put("y3", y34[0]);
        v.put("net4", net34[1]);
        v.put("y4", y34[1]);
        v.put("net5", net5[0]);
        v.put("y5", y5[0]);
        v.put("E", error);

        double[] g5 = pass.inputGradient(3);     // dE/dnet5
        double[] dy34 = pass.inputGradient(2);   // dE/dy3, dE/dy4
        double[] g34 = pass.inputGradient(1);    // dE/dnet3, dE/dnet4
        double[] slope34 = sigmoidSlope(net34, y34);
        v.put("dE/dy5", pass.outputGradient()[0]);
        v.put("f'(net5)", sigmoidSlope(net5, y5)[0]);
        v.put("g5", g5[0]);
        v.put("dE/dy3", dy34[0]);
        v.put("dE/dy4", dy34[1]);
        v.put("f'(net3)", slope34[0]);
        v.put("f'(net4)", slope34[1]);
        v.put("g3", g34[0]);
        v.put("g4", g34[1]);
        v.put("delta5", -g5[0]);
        v.put("delta3", -g34[0]);
        v.put("delta4", -g34[1]);

        List<TrainableParameter> parameters = network.parameters();
        assertThat(parameters).as("two weight matrices, no biases").hasSize(2);
        double[] hidden = parameters.get(0).gradient();  // row-major: [w13, w23, w14, w24]
        double[] output = parameters.get(1).gradient();  // [w35, w45]
        v.put("dE/dw13", hidden[0]);
        v.put("dE/dw23", hidden[1]);
        v.put("dE/dw14", hidden[2]);
        v.put("dE/dw24", hidden[3]);
        v.put("dE/dw35", output[0]);
        v.put("dE/dw45", output[1]);

        step(network, 1, X);
        DenseLayer first = network.denseLayerAt(0);
        DenseLayer second = network.denseLayerAt(2);
        v.put("w13 after", first.weight(0, 0));
        v.put("w23 after", first.weight(0, 1));
        v.put("w14 after", first.weight(1, 0));
        v.put("w24 after", first.weight(1, 1));
        v.put("w35 after", second.weight(0, 0));
        v.put("w45 after", second.weight(0, 1));

        Backpropagation again = new Backpropagation(network, 1);
        double errorAfter = again.meanGradient(X, T, 1, loss);
        v.put("net3 after", again.layerOutput(0)[0]);
        v.put("y3 after", again.layerOutput(1)[0]);
        v.put("net4 after", again.layerOutput(0)[1]);
        v.put("y4 after", again.layerOutput(1)[1]);
        v.put("net5 after", again.layerOutput(2)[0]);
        v.put("y5 after", network.predict(X)[0]);
        v.put("E after", errorAfter);
        return v;
    }

    /** One epoch of plain gradient descent (learning rate 1, no shuffling) over the inputs, each with the target 0.5. */
    private void step(Network network, int batchSize, double[]... inputs) {
        double[][] targets = new double[inputs.length][];
        java.util.Arrays.fill(targets, T);
        backprop.trainer().loss(loss).optimizer("sgd", Map.of("learning-rate", ETA))
                .epochs(1).batchSize(batchSize).shuffle(false).build()
                .fit(network, Dataset.of(inputs, targets));
    }

    @Test
    void theTableQuotesEveryQuantityOnceAndNothingElse() throws IOException {
        List<String> ids = table().stream().map(Row::id).toList();
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(engineValues().keySet());
    }

    @Test
    void everyQuotedValueIsTheEnginesValueRoundedToTheDecimalsShown() throws IOException {
        Map<String, Double> engine = engineValues();
        for (Row row : table()) {
            BigDecimal quoted = new BigDecimal(row.value());
            assertThat(quoted.scale()).as(row.id() + ": quoted to at least 6 decimals").isGreaterThanOrEqualTo(6);
            BigDecimal computed = new BigDecimal(engine.get(row.id())).setScale(quoted.scale(), RoundingMode.HALF_EVEN);
            assertThat(quoted).as(row.id() + " (engine value " + engine.get(row.id()) + ")").isEqualByComparingTo(computed);
        }
    }

    @Test
    void theUsuallyPrintedFiguresAreWithinTheirRounding() throws IOException {
        Map<String, Double> engine = engineValues();
        int checked = 0;
        for (Row row : table()) {
            if (!row.printed().isEmpty()) {
                // Lecture notes round intermediate results, so allow 5e-4 as WorkedExampleTest does.
                assertThat(Double.parseDouble(row.printed())).as(row.id()).isCloseTo(engine.get(row.id()), within(5e-4));
                checked++;
            }
        }
        assertThat(checked).as("rounded figures in the last column").isEqualTo(21);
    }

    @Test
    void theGivenValuesAreTheOnesTheEngineWasGiven() throws IOException {
        assertThat(Files.readString(DOC))
                .contains("| input `x1`, `x2` | " + X1 + ", " + X2 + " |")
                .contains("| target `t` | " + TARGET + " |")
                .contains("| `w13`, `w23` (into unit 3) | " + W13 + ", " + W23 + " |")
                .contains("| `w14`, `w24` (into unit 4) | " + W14 + ", " + W24 + " |")
                .contains("| `w35`, `w45` (into unit 5) | " + W35 + ", " + W45 + " |")
                .contains("| learning rate `eta` | 1 |");
    }

    /**
     * §7: the example twice in one batch. Per-example rows of dE/dnet are those of the example alone (not
     * divided by the batch size); the parameter gradients are their mean, so equal to the example's own;
     * hence one step gives the same weights. All exact: the mean of two equal doubles is that double.
     */
    @Test
    void aBatchOfTwoCopiesGivesPerExampleRowsAndTheMeanGradient() {
        Network single = network();
        Backpropagation one = new Backpropagation(single, 1);
        one.meanGradient(X, T, 1, loss);

        Network doubled = network();
        Backpropagation two = new Backpropagation(doubled, 2);
        two.meanGradient(new double[] {X1, X2, X1, X2}, new double[] {TARGET, TARGET}, 2, loss);

        double[] g5 = one.inputGradient(3);
        double[] g34 = one.inputGradient(1);
        assertThat(two.inputGradient(3)).containsExactly(g5[0], g5[0]);
        assertThat(two.inputGradient(1)).containsExactly(g34[0], g34[1], g34[0], g34[1]);
        assertThat(two.outputGradient()).containsExactly(one.outputGradient()[0], one.outputGradient()[0]);
        for (int p = 0; p < single.parameters().size(); p++) {
            assertThat(doubled.parameters().get(p).gradient()).as(doubled.parameters().get(p).name())
                    .containsExactly(single.parameters().get(p).gradient());
        }

        step(single, 1, X);
        step(doubled, 2, X, X);
        for (int p = 0; p < single.parameters().size(); p++) {
            assertThat(doubled.parameters().get(p).values()).as(doubled.parameters().get(p).name())
                    .containsExactly(single.parameters().get(p).values());
        }
    }
}
