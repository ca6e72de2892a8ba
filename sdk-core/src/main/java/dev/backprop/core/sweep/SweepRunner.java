package dev.backprop.core.sweep;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.training.Evaluation;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trials of a {@link SweepConfig} on a local thread pool, each in its own run directory
 * {@code trial-NNNN} (a rerun overwrites its own trial and nothing else), and writes {@code sweep.csv}:
 * one row per trial with its settings, final metrics and seconds. A trial's result does not depend on
 * how many trials run at once: each has its own network, data and trainer, and the engine gives the
 * same bits for any number of threads.
 */
public final class SweepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

    private final ExperimentRunner runner;

    /**
     * @param runner runs each trial
     */
    @Inject
    public SweepRunner(ExperimentRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /**
     * One finished trial.
     *
     * @param id the trial's id, for example {@code trial-0003}
     * @param settings its overrides
     * @param result what its run produced
     * @param metric the value of the sweep's metric
     */
    public record Trial(String id, List<String> settings, RunResult result, double metric) {
    }

    /**
     * @param sweep the sweep
     * @param directory where the trial directories and {@code sweep.csv} go
     * @param parallel how many trials run at once, at least 1
     * @return the trials in order
     */
    public List<Trial> run(SweepConfig sweep, Path directory, int parallel) {
        if (parallel < 1) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "parallel must be at least 1, got " + parallel + ".");
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Trial>> futures = new ArrayList<>();
            for (int i = 0; i < sweep.trials().size(); i++) {
                String id = String.format(Locale.ROOT, "trial-%04d", i + 1);
                List<String> settings = sweep.trials().get(i);
                futures.add(pool.submit(() -> trial(sweep, directory, id, settings)));
            }
            List<Trial> trials = new ArrayList<>();
            for (Future<Trial> future : futures) {
                trials.add(result(future));
            }
            AtomicFiles.writeString(directory.resolve("sweep.csv"), csv(trials));
            best(sweep, trials).ifPresent(t -> LOG.info("Best trial {}: {} = {} with {}", t.id(), sweep.metric(), t.metric(), t.settings()));
            return trials;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * @param sweep the sweep
     * @param trials finished trials
     * @return the trial with the best metric (NaN metrics never win)
     */
    public static java.util.Optional<Trial> best(SweepConfig sweep, List<Trial> trials) {
        Comparator<Trial> order = Comparator.comparingDouble(Trial::metric);
        return trials.stream().filter(t -> !Double.isNaN(t.metric())).min(sweep.minimise() ? order : order.reversed());
    }

    private Trial trial(SweepConfig sweep, Path directory, String id, List<String> settings) {
        RunResult result = runner.run(sweep.base(), settings, new RunOptions(directory.resolve(id), directory, null, List.of()));
        return new Trial(id, settings, result, metric(sweep.metric(), result));
    }

    private static double metric(String name, RunResult result) {
        return switch (name) {
            case "train-loss" -> value(result.train(), false);
            case "validation-loss" -> value(result.validation(), false);
            case "validation-accuracy" -> value(result.validation(), true);
            default -> value(result.test(), true);
        };
    }

    private static double value(Evaluation evaluation, boolean accuracy) {
        return evaluation == null ? Double.NaN : accuracy ? evaluation.accuracy() : evaluation.meanLoss();
    }

    private static Trial result(Future<Trial> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "The sweep was interrupted.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BackpropException known) {
                throw known;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String csv(List<Trial> trials) {
        StringBuilder text = new StringBuilder("trial,settings,train_loss,validation_loss,validation_accuracy,test_accuracy,seconds\n");
        for (Trial t : trials) {
            RunResult r = t.result();
            text.append(t.id()).append(',').append(quote(String.join("; ", t.settings()))).append(',')
                    .append(cell(value(r.train(), false))).append(',').append(cell(value(r.validation(), false))).append(',')
                    .append(cell(value(r.validation(), true))).append(',').append(cell(value(r.test(), true))).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", r.seconds())).append('\n');
        }
        return text.toString();
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
