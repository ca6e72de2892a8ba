package dev.backprop.core.sweep;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.rundir.RunDirectory;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.plugin.PluginFaults;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.training.Evaluation;
import jakarta.inject.Inject;
import java.io.Serializable;
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
 * Runs the trials of a {@link SweepConfig} on a local thread pool or a cluster, each in its own run directory
 * {@code trial-NNNN} (a rerun overwrites its own trial and nothing else), and writes {@code sweep.csv}:
 * one row per trial with its settings, final metrics and seconds. A trial's result does not depend on
 * how many trials run at once: each has its own network, data and trainer, and the engine gives the
 * same bits for any number of threads.
 */
public final class SweepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

    private final ExperimentRunner runner;
    private final RunDirectory.ForeignLock foreignLock;

    /**
     * @param runner runs each trial
     */
    @Inject
    public SweepRunner(ExperimentRunner runner) {
        this(runner, RunDirectory.ForeignLock.REFUSE);
    }

    private SweepRunner(ExperimentRunner runner, RunDirectory.ForeignLock foreignLock) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.foreignLock = foreignLock;
    }

    /**
     * @return a runner like this one that takes over a lock on the sweep's folder naming another host
     *     instead of refusing it (for a sweep on that host known to have ended; see {@code --break-lock})
     */
    public SweepRunner breakingLock() {
        return new SweepRunner(runner, RunDirectory.ForeignLock.BREAK);
    }

    /**
     * One finished trial: plain values, so that a cluster task can send it back.
     *
     * @param id the trial's id, for example {@code trial-0003}
     * @param settings its overrides
     * @param trainLoss the mean training loss after training
     * @param validationLoss the mean validation loss, or NaN without validation data
     * @param validationAccuracy the validation accuracy, or NaN
     * @param testAccuracy the test accuracy, or NaN
     * @param seconds the training time
     * @param metric the value of the sweep's metric
     * @param status {@code ok}, {@code diverged} or {@code failed}
     * @param message why a trial did not finish (its error's code and message), or empty
     *
     * @serial exclude
     */
    public record Trial(String id, List<String> settings, double trainLoss, double validationLoss, double validationAccuracy,
            double testAccuracy, double seconds, double metric, String status, String message) implements Serializable {
        private static final long serialVersionUID = 2L;

        /**
         * Copies the settings.
         *
         * @param id the trial's id, for example {@code trial-0003}
         * @param settings its overrides
         * @param trainLoss the mean training loss after training
         * @param validationLoss the mean validation loss, or NaN without validation data
         * @param validationAccuracy the validation accuracy, or NaN
         * @param testAccuracy the test accuracy, or NaN
         * @param seconds the training time
         * @param metric the value of the sweep's metric
         * @param status {@code ok}, {@code diverged} or {@code failed}
         * @param message why a trial did not finish, or empty
         */
        public Trial {
            settings = List.copyOf(settings);
        }

        /** @return whether the trial trained to its end */
        public boolean succeeded() {
            return status.equals("ok");
        }
    }

    /**
     * One trial to run, as it crosses the wire to a cluster.
     *
     * @param id the trial's id, which names its directory
     * @param base the base experiment
     * @param settings the trial's overrides, applied after the base's
     * @param directory the absolute folder the trial directories go in (every executor must reach it)
     * @param metric the sweep's metric
     *
     * @serial exclude
     */
    public record TrialJob(String id, ExperimentSource base, List<String> settings, String directory, String metric)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /**
         * Copies the settings.
         *
         * @param id the trial's id, which names its directory
         * @param base the base experiment
         * @param settings the trial's overrides, applied after the base's
         * @param directory the absolute folder the trial directories go in (every executor must reach it)
         * @param metric the sweep's metric
         */
        public TrialJob {
            settings = List.copyOf(settings);
        }
    }

    /**
     * Runs the trials on a local thread pool.
     *
     * @param sweep the sweep
     * @param directory where the trial directories and {@code sweep.csv} go
     * @param parallel how many trials run at once, at least 1
     * @return the trials in order
     */
    public List<Trial> run(SweepConfig sweep, Path directory, int parallel) {
        if (parallel < 1) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "parallel must be at least 1, got " + parallel + ".");
        }
        List<TrialJob> jobs = jobs(sweep, directory);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, jobs.size())));
        try (RunDirectory folder = RunDirectory.open(directory, RunDirectory.Mode.SWEEP, foreignLock)) {
            List<Future<Trial>> futures = new ArrayList<>();
            for (TrialJob job : jobs) {
                futures.add(pool.submit(() -> runTrial(runner, job)));
            }
            List<Trial> trials = new ArrayList<>();
            for (Future<Trial> future : futures) {
                trials.add(result(future));
            }
            return finish(sweep, directory, trials);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs trials somewhere else than this JVM's threads, for example one cluster task each.
     */
    @FunctionalInterface
    public interface TrialExecutor {
        /**
         * @param jobs the trials, each to be run with {@link SweepRunner#runTrial}
         * @return their results, in the order given
         */
        List<Trial> runAll(List<TrialJob> jobs);
    }

    /**
     * Runs the trials with an executor, such as a cluster's; the result is the same as
     * {@link #run(SweepConfig, Path, int)}'s.
     *
     * @param sweep the sweep
     * @param directory where the trial directories and {@code sweep.csv} go; wherever the trials run must reach it
     * @param executor runs the trials
     * @return the trials in order
     */
    public List<Trial> run(SweepConfig sweep, Path directory, TrialExecutor executor) {
        try (RunDirectory folder = RunDirectory.open(directory, RunDirectory.Mode.SWEEP, foreignLock)) {
            return finish(sweep, directory, executor.runAll(jobs(sweep, directory)));
        }
    }

    /**
     * Every trial, checked here before any runs (a bad setting, or a base that asks for distributed
     * training, fails the sweep at once), with the plugin versions it uses, which an executor checks
     * against its own.
     */
    private List<TrialJob> jobs(SweepConfig sweep, Path directory) {
        ExperimentSource base = ExperimentSource.read(sweep.base(), List.of()).withPluginFoldersOf(runner.plugins());
        String folder = directory.toAbsolutePath().normalize().toString();
        List<TrialJob> jobs = new ArrayList<>();
        for (int i = 0; i < sweep.trials().size(); i++) {
            List<String> settings = sweep.trials().get(i);
            ExperimentConfig config;
            try {
                config = runner.load(base.withOverrides(settings));
            } catch (BackpropException e) {
                throw sweep.locate(e); // a value the sweep file gave is reported there, not as a --set nobody typed
            }
            if (config.training().distributed() != null) {
                throw new BackpropException(ErrorCode.TRAINING_INVALID, base.shownName() + ": a sweep's trials each train in "
                        + "one task; remove training.distributed from the base experiment (the sweep itself takes --master).");
            }
            requireMetric(sweep, config, base.shownName(), settings);
            ExperimentSource checked = base.withPluginVersions(runner.pluginVersions(config));
            jobs.add(new TrialJob(String.format(Locale.ROOT, "trial-%04d", i + 1), checked, settings, folder, sweep.metric()));
        }
        return jobs;
    }

    /** A metric that a trial would never produce ranks every trial NaN: refused before the first trial. */
    private static void requireMetric(SweepConfig sweep, ExperimentConfig config, String base, List<String> settings) {
        var data = config.data();
        boolean validation = data.validationSplit() > 0 || data.validation() != null;
        boolean test = data.testSplit() > 0 || data.test() != null;
        boolean classes = data.train() instanceof ExperimentConfig.SyntheticSource
                || data.train() instanceof ExperimentConfig.CsvSource csv && csv.label() != null;
        String missing = switch (sweep.metric()) {
            case "validation-loss" -> validation ? null : "validation data (data.validation-split or data.validation)";
            case "validation-accuracy" -> validation && classes ? null
                    : "validation data (data.validation-split or data.validation) with class labels (data.train.label)";
            case "test-accuracy" -> test && classes ? null : "test data (data.test-split or data.test) with class labels (data.train.label)";
            default -> null;
        };
        if (missing != null) {
            throw new BackpropException(ErrorCode.CONFIG_INVALID, sweep.file() + ": metric: '" + sweep.metric() + "' is never "
                    + "measured for " + base + (settings.isEmpty() ? "" : " with " + String.join(" ", settings)) + ", which has no "
                    + missing + "; give the base experiment that, or rank by another metric ("
                    + String.join(", ", SweepConfig.METRICS) + "). No trial was run.");
        }
    }

    private static List<Trial> finish(SweepConfig sweep, Path directory, List<Trial> trials) {
        AtomicFiles.writeString(directory.resolve("sweep.csv"), csv(trials));
        best(sweep, trials).ifPresent(t -> LOG.info("Best trial {}: {} = {} with {}", t.id(), sweep.metric(), t.metric(), t.settings()));
        return trials;
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

    /**
     * Runs one trial into its own directory, first removing what an earlier attempt left there, so a
     * retried task overwrites its own files and nothing else. Local pools and cluster tasks both call this.
     *
     * @param runner runs the experiment
     * @param job the trial
     * @return its result
     */
    public static Trial runTrial(ExperimentRunner runner, TrialJob job) {
        Path trialDirectory = Path.of(job.directory()).resolve(job.id());
        AtomicFiles.deleteTree(trialDirectory);
        long start = System.nanoTime();
        try {
            // Loading checks the plugin versions the driver sent; jobs() has checked the rest already.
            ExperimentConfig config = runner.load(job.base().withOverrides(job.settings()));
            RunResult r = runner.run(config, new RunOptions(trialDirectory, trialDirectory.getParent(), null, List.of()));
            return new Trial(job.id(), job.settings(), value(r.train(), false), value(r.validation(), false),
                    value(r.validation(), true), value(r.test(), true), r.seconds(), metric(job.metric(), r), "ok", "");
        } catch (BackpropException e) {
            // One trial's failure is recorded in its row; the sweep goes on with the others.
            LOG.warn("Trial {} {}: {}", job.id(), e.code() == ErrorCode.TRAINING_DIVERGED ? "diverged" : "failed", e.getMessage());
            return failed(job, start, e.code() == ErrorCode.TRAINING_DIVERGED ? "diverged" : "failed", e.getMessage());
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            LOG.warn("Trial {} failed: {}", job.id(), PluginFaults.describe(e));
            return failed(job, start, "failed", "[" + ErrorCode.INTERNAL_FAILED.id() + "] " + PluginFaults.describe(e));
        }
    }

    private static Trial failed(TrialJob job, long start, String status, String message) {
        return new Trial(job.id(), job.settings(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, (System.nanoTime() - start) / 1e9,
                Double.NaN, status, shortened(message == null ? "" : message.replaceAll("[\\r\\n]+", " ")));
    }

    private static String shortened(String message) {
        return message.length() <= 500 ? message : message.substring(0, 500) + "...";
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
        StringBuilder text = new StringBuilder("trial,settings,train_loss,validation_loss,validation_accuracy,test_accuracy,status,"
                + "message,seconds\n");
        for (Trial t : trials) {
            text.append(t.id()).append(',').append(quote(String.join("; ", t.settings()))).append(',')
                    .append(cell(t.trainLoss())).append(',').append(cell(t.validationLoss())).append(',')
                    .append(cell(t.validationAccuracy())).append(',').append(cell(t.testAccuracy())).append(',')
                    .append(t.status()).append(',').append(quote(t.message())).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", t.seconds())).append('\n');
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
