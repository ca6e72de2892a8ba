package dev.backprop.cli;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.PreparedExperiment;
import dev.backprop.core.gradcheck.GradientCheckEntry;
import dev.backprop.core.gradcheck.GradientCheckReport;
import dev.backprop.core.gradcheck.GradientChecker;
import dev.backprop.core.training.Dataset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop gradcheck CONFIG}: backpropagation against finite differences on the config's network. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Compare backpropagated gradients with finite differences on the experiment's network and a batch of its data.")
final class GradcheckCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    ExperimentArguments experiment;

    @Option(names = "--batch", defaultValue = "8", description = "How many training examples to use (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--tolerance", defaultValue = "1e-6", description = "The largest relative error accepted (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    @Override
    public Integer call() {
        if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--tolerance must be a finite number > 0, got "
                    + tolerance);
        }
        if (batch < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1, got " + batch);
        }
        PrintWriter out = spec.commandLine().getOut();
        ExperimentRunner runner = Sdk.injector(root.pluginDirs).getInstance(ExperimentRunner.class);
        PreparedExperiment prepared = runner.prepare(experiment.load(runner));
        Dataset data = prepared.train().dataset();
        Dataset sample = data.subset(IntStream.range(0, Math.min(batch, data.size())).toArray());
        GradientCheckReport report = new GradientChecker(GradientChecker.DEFAULT_STEP, tolerance)
                .check(prepared.network(), prepared.loss(), sample);
        out.println(report);
        for (GradientCheckEntry failure : report.failures().stream().limit(20).toList()) {
            out.printf("  %s[%d]: analytic %s, numeric %s, relative error %s%n", failure.parameter(), failure.index(),
                    failure.analytic(), failure.numeric(), failure.relativeError());
        }
        return report.passed() ? Main.OK : Main.RUN_FAILED;
    }
}
