package dev.backprop.samples.embedding;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.Backprop;
import dev.backprop.core.inject.BackpropModule;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.model.Model;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Trainer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An application that uses the SDK as a library: it installs the SDK's Guice module in its own injector,
 * builds a network in code, trains it with a listener that reports progress, saves the model, loads it
 * back and serves predictions from several threads.
 */
public final class EmbeddingApp {
    private final Backprop backprop;
    private final PrintWriter out;

    /**
     * @param backprop the SDK, injected
     * @param out where to report
     */
    @Inject
    public EmbeddingApp(Backprop backprop, PrintWriter out) {
        this.backprop = backprop;
        this.out = out;
    }

    /** The application's own bindings, beside the SDK's module. */
    static final class AppModule extends AbstractModule {
        private final PrintWriter out;

        AppModule(PrintWriter out) {
            this.out = out;
        }

        @Provides
        @Singleton
        PrintWriter output() {
            return out;
        }
    }

    /**
     * @param args optional: the folder to save the model in (default: a temporary folder)
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        Path folder = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("backprop-embedding");
        Injector injector = Guice.createInjector(new BackpropModule(PluginRegistry.discover()), new AppModule(out));
        injector.getInstance(EmbeddingApp.class).run(folder, 8);
    }

    /**
     * @param folder where to save the model
     * @param threads how many threads serve predictions
     * @return the predictions of the loaded model for the four XOR inputs
     * @throws Exception if a prediction thread fails
     */
    public double[][] run(Path folder, int threads) throws Exception {
        double[][] inputs = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        double[][] targets = {{0}, {1}, {1}, {0}};
        Network network = backprop.network(2).dense(4).activation("tanh").dense(1).activation("sigmoid").seed(7).build();
        TrainingListener progress = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics metrics) {
                if (metrics.epoch() % 500 == 0) {
                    out.printf("epoch %d: loss %.6f%n", metrics.epoch(), metrics.trainLoss());
                }
            }
        };
        Trainer trainer = backprop.trainer().loss("squared-error").optimizer("sgd", Map.of("learning-rate", 0.5, "momentum", 0.9))
                .epochs(2000).batchSize(1).seed(7).listener(progress).build();
        Dataset xor = Dataset.of(inputs, targets);
        trainer.fit(network, xor);

        // One call saves it: the loss comes from the trainer, the names from the data.
        Path file = folder.resolve("xor-model.json");
        backprop.save(network, trainer, LabelledData.classification(xor, List.of("a", "b"), List.of("0", "1"), "xor"), file);
        Model loaded = backprop.load(file);
        out.println("saved and reloaded " + file);

        // Many threads share one loaded model: prediction only reads the weights.
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<double[]>> answers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                double[] input = inputs[i % 4];
                answers.add(pool.submit(() -> loaded.predict(input)));
            }
            double[][] first = new double[4][];
            for (int i = 0; i < answers.size(); i++) {
                double[] answer = answers.get(i).get();
                if (first[i % 4] == null) {
                    first[i % 4] = answer;
                } else if (!java.util.Arrays.equals(first[i % 4], answer)) {
                    throw new IllegalStateException("threads disagreed on input " + (i % 4));
                }
            }
            for (int i = 0; i < 4; i++) {
                out.printf("%s -> %.4f%n", java.util.Arrays.toString(inputs[i]), first[i][0]);
            }
            out.printf("served %d predictions from %d threads%n", answers.size(), threads);
            return first;
        } finally {
            pool.shutdown();
        }
    }
}
