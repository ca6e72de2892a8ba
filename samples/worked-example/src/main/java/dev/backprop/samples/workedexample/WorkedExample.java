package dev.backprop.samples.workedexample;

import dev.backprop.api.LossFunction;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Dataset;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The worked example of docs/derivation.md §10, computed by the SDK: a 2-2-1 sigmoid network without biases, input
 * (0.35, 0.9), target 0.5, learning rate 1. Prints each quantity lecture notes usually print, the SDK's
 * unrounded value beside their rounded one, and the difference.
 */
public final class WorkedExample {

    /**
     * One line of the table.
     *
     * @param quantity what it is, in the names of docs/derivation.md §10
     * @param sdk the SDK's value
     * @param printed the value as lecture notes usually print it
     */
    public record Row(String quantity, double sdk, String printed) {
        /** @return the printed value as a number */
        public double note() {
            return Double.parseDouble(printed);
        }
    }

    private WorkedExample() {
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        print(compute(Backprop.create()), out);
    }

    /**
     * @param backprop the SDK
     * @return every printed quantity, in the order of docs/derivation.md §10
     */
    public static List<Row> compute(Backprop backprop) {
        Network network = backprop.network(2)
                .dense(2, false, "explicit", Map.of("weights", List.of(List.of(0.1, 0.8), List.of(0.4, 0.6))))
                .activation("sigmoid")
                .dense(1, false, "explicit", Map.of("weights", List.of(List.of(0.3, 0.9))))
                .activation("sigmoid")
                .build();
        double[] x = {0.35, 0.9};
        double[] t = {0.5};
        LossFunction loss = backprop.plugins().createLoss("squared-error", Map.of());
        Backpropagation pass = new Backpropagation(network, 1);
        pass.meanGradient(x, t, 1, loss);

        List<Row> rows = new ArrayList<>();
        double[] hidden = pass.layerOutput(1);
        rows.add(new Row("y3 = f(a1)", hidden[0], "0.68"));
        rows.add(new Row("y4 = f(a2)", hidden[1], "0.6637"));
        rows.add(new Row("y5 (first output)", pass.layerOutput(3)[0], "0.69"));
        // The classic delta is -dE/dnet; the engine stores dE/dnet (docs/derivation.md §8).
        rows.add(new Row("delta5", -pass.inputGradient(3)[0], "-0.0406"));
        rows.add(new Row("delta3", -pass.inputGradient(1)[0], "-0.00265"));
        rows.add(new Row("delta4", -pass.inputGradient(1)[1], "-0.0082"));

        backprop.trainer().loss(loss).optimizer("sgd", Map.of("learning-rate", 1.0)).epochs(1).batchSize(1).shuffle(false).build()
                .fit(network, Dataset.of(new double[][] {x}, new double[][] {t}));
        rows.add(new Row("w13 (updated)", network.denseLayerAt(0).weight(0, 0), "0.0991"));
        rows.add(new Row("w23 (updated)", network.denseLayerAt(0).weight(0, 1), "0.7976"));
        rows.add(new Row("w14 (updated)", network.denseLayerAt(0).weight(1, 0), "0.3971"));
        rows.add(new Row("w24 (updated)", network.denseLayerAt(0).weight(1, 1), "0.5926"));
        rows.add(new Row("w35 (updated)", network.denseLayerAt(2).weight(0, 0), "0.2724"));
        rows.add(new Row("w45 (updated)", network.denseLayerAt(2).weight(0, 1), "0.8731"));
        rows.add(new Row("y5 (second output)", network.predict(x)[0], "0.6820"));
        return rows;
    }

    /**
     * @param rows the table
     * @param out where to print it
     */
    public static void print(List<Row> rows, PrintWriter out) {
        out.printf(Locale.ROOT, "%-20s %22s %10s %12s%n", "quantity", "SDK", "note", "difference");
        for (Row row : rows) {
            out.printf(Locale.ROOT, "%-20s %22.17f %10s %12.2e%n", row.quantity(), row.sdk(), row.printed(), Math.abs(row.sdk() - row.note()));
        }
        out.flush();
    }
}
