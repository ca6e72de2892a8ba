package dev.backprop.cli;

import dev.backprop.core.cluster.ClusterBackend;
import dev.backprop.core.cluster.ClusterBackends;
import dev.backprop.core.sweep.SweepConfig;
import dev.backprop.core.sweep.SweepRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backprop sweep SWEEP}: every trial of a hyper-parameter sweep on local threads or Spark, and {@code sweep.csv}. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a hyper-parameter sweep (a grid and/or seeded random search over config keys) on local threads or on Spark.")
final class SweepCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SWEEP", description = "The sweep file (YAML), see docs/sweeps.md.")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the trials and sweep.csv go (default: runs/sweep-<name>-<timestamp>).")
    Path out;

    @Option(names = "--parallel", defaultValue = "2", description = "How many trials run at once on local threads (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--master", paramLabel = "URL",
            description = "Run each trial as a task on Apache Spark: local[N], local-cluster[N,C,MB] or spark://HOST:PORT "
                    + "(needs sdk-spark, which ./backprop adds; --out must be reachable by every executor). See docs/distributed.md.")
    String master;

    @Option(names = "--break-lock", description = "Take over the directory's lock even when it names another host "
            + "(only once that run is known to have ended; a lock of this host's ended runs is taken over anyway).")
    boolean breakLock;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    /** The exit code of a sweep some of whose trials failed: 100 plus their number, at most 129. */
    static final int TRIALS_FAILED = 100;

    static int exitCode(long failed) {
        return failed == 0 ? Main.OK : (int) (TRIALS_FAILED + Math.min(failed, 29));
    }

    @Override
    public Integer call() {
        PrintWriter printer = spec.commandLine().getOut();
        ExperimentArguments.checkMaster(spec, master);
        SweepConfig sweep = SweepConfig.read(file);
        Path directory = out != null ? out : Path.of("runs", "sweep-" + file.getFileName().toString().replaceFirst("\\.ya?ml$", "") + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        SweepRunner runner = Sdk.injector(root.pluginDirs).getInstance(SweepRunner.class);
        if (breakLock) {
            runner = runner.breakingLock();
        }
        List<SweepRunner.Trial> trials = master == null ? runner.run(sweep, directory, parallel)
                : runner.run(sweep, directory, onCluster(master));
        for (SweepRunner.Trial trial : trials) {
            if (trial.succeeded()) {
                printer.printf(Locale.ROOT, "%s  %s = %.6g  %s%n", trial.id(), sweep.metric(), trial.metric(), String.join(" ", trial.settings()));
            } else {
                printer.printf(Locale.ROOT, "%s  %s  %s: %s%n", trial.id(), trial.status(), String.join(" ", trial.settings()), trial.message());
            }
        }
        SweepRunner.best(sweep, trials).ifPresent(best -> printer.printf(Locale.ROOT, "best: %s (%s = %.6g) %s%n", best.id(),
                sweep.metric(), best.metric(), String.join(" ", best.settings())));
        printer.println("sweep.csv: " + directory.resolve("sweep.csv"));
        long failed = trials.stream().filter(t -> !t.succeeded()).count();
        if (failed > 0) {
            printer.printf(Locale.ROOT, "%d of %d trials did not finish (see the status and message columns of sweep.csv)%n",
                    failed, trials.size());
        }
        printer.flush();
        return exitCode(failed);
    }

    private static SweepRunner.TrialExecutor onCluster(String master) {
        ClusterBackend backend = ClusterBackends.find(master);
        return jobs -> {
            LoggerFactory.getLogger(SweepCommand.class).info("Running {} trials on {} ({})", jobs.size(), master, backend.name());
            return backend.runTrials(master, jobs);
        };
    }
}
