package dev.backprop.core.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backprop.core.rundir.RunDirectory;
import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.Optimizer;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.config.ConfigException;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.config.yaml.YamlDocuments;
import dev.backprop.core.io.IoErrors;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.rundir.CheckpointFile;
import dev.backprop.core.training.TrainingState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a run may be resumed, before anything in its directory is written: the run's own
 * {@code config.yaml} is the truth of the run, so the configuration given now must match it in every key
 * but {@code training.epochs}; and the newest checkpoint, already checked against its checksum, must also
 * be in range for the run (position within the schedule, counts consistent with the data, every weight
 * finite, optimizer state accepted by the optimizer) and hold the run's network.
 */
final class ResumeCheck {
    /** The only key a resume may change: the number of epochs, to train on past the first plan. */
    static final String EPOCHS = "training.epochs";
    private static final Set<String> IGNORED = Set.of(EPOCHS, "versions");

    private ResumeCheck() {
    }

    /**
     * @param directory the run directory, locked
     * @param resolvedNow the resolved configuration of the run asked for now, as it would be written
     * @throws BackpropException ({@link ErrorCode#RESUME_REFUSED}) listing the keys that differ
     */
    static void sameRun(RunDirectory directory, String resolvedNow) {
        Path file = directory.file("config.yaml");
        if (!java.nio.file.Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new BackpropException(ErrorCode.RESUME_REFUSED, file + ": missing; a run directory to resume holds the run's "
                    + "config.yaml and its checkpoints.");
        }
        Map<String, Object> before;
        try {
            before = flatten(YamlDocuments.parse(directory.read("config.yaml", YamlDocuments.MAX_BYTES), file.toString()).plain());
        } catch (ConfigException e) {
            throw new BackpropException(ErrorCode.RESUME_REFUSED, file + ": the run's configuration cannot be read, so the run "
                    + "cannot be resumed: " + e.detail(), e);
        }
        Map<String, Object> now = flatten(YamlDocuments.parse(resolvedNow, "the configuration").plain());
        Set<String> keys = new LinkedHashSet<>(before.keySet());
        keys.addAll(now.keySet());
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            if (IGNORED.stream().anyMatch(k -> key.equals(k) || key.startsWith(k + "."))) {
                continue;
            }
            if (!same(before.get(key), now.get(key))) {
                differences.add(key + " (the run: " + shown(before.get(key)) + ", now: " + shown(now.get(key)) + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new BackpropException(ErrorCode.RESUME_REFUSED, directory.path() + ": --resume continues the same run, but "
                    + "this configuration differs from the run's config.yaml in " + differences.size()
                    + (differences.size() == 1 ? " key: " : " keys: ") + String.join("; ", differences.subList(0, Math.min(10,
                    differences.size()))) + (differences.size() > 10 ? "; ..." : "") + ". Only " + EPOCHS + " may change; "
                    + "give the CONFIG and --set values the run started with, or start a new run. Nothing was written.");
        }
    }

    /**
     * Refuses a checkpoint of another run: its recorded settings must be those of the run's
     * {@code config.yaml} (a checkpoint copied in from another run, or a config.yaml edited after the run
     * started, differ) and of the run as it would continue now (plugin versions); and it cannot have
     * trained more epochs than the run ever planned.
     *
     * @param directory the run directory, locked; its config.yaml has been read by {@link #sameRun}
     * @param file the checkpoint, for messages
     * @param checkpoint the checkpoint, its checksum verified
     * @param resolvedNow the resolved configuration of the run asked for now
     * @throws BackpropException ({@link ErrorCode#RESUME_REFUSED}) naming the settings that differ, or
     *     ({@link ErrorCode#MODEL_INVALID}) for an epoch no run of this configuration reached
     */
    static void belongsToRun(RunDirectory directory, Path file, CheckpointFile.Checkpoint checkpoint, String resolvedNow) {
        String recorded = directory.read(RunDirectory.CONFIG, YamlDocuments.MAX_BYTES);
        String configFile = directory.file(RunDirectory.CONFIG).toString();
        differences(file, checkpoint.trainedUnder(), TrainedUnder.settings(recorded, configFile), "the run's config.yaml says");
        differences(file, checkpoint.trainedUnder(), TrainedUnder.settings(resolvedNow, "the configuration"),
                "this run would now use");
        Object planned = flatten(YamlDocuments.parse(recorded, configFile).plain()).get(EPOCHS);
        TrainingState state = checkpoint.state();
        if (planned instanceof Number epochs && state.epoch() > epochs.longValue()) {
            throw new BackpropException(ErrorCode.MODEL_INVALID, file + ": state.epoch: " + state.epoch() + " epochs trained, "
                    + "but the run's config.yaml plans " + epochs + "; no checkpoint of this run can be past them, so the file is "
                    + "damaged. The checkpoint was not used.");
        }
        check(file, state.history().size() == state.epoch(), "state.history", state.history().size()
                + " rows for " + state.epoch() + " completed epochs");
    }

    private static void differences(Path file, Map<String, String> checkpoint, Map<String, String> run, String runSays) {
        Set<String> keys = new java.util.TreeSet<>(checkpoint.keySet());
        keys.addAll(run.keySet());
        List<String> trained = new ArrayList<>();
        List<String> says = new ArrayList<>();
        for (String key : keys) {
            if (!Objects.equals(checkpoint.get(key), run.get(key))) {
                trained.add(key + " " + setting(checkpoint.get(key)));
                says.add(key + " " + setting(run.get(key)));
            }
        }
        if (trained.isEmpty()) {
            return;
        }
        int shown = Math.min(5, trained.size());
        String more = trained.size() > shown ? " (and " + (trained.size() - shown) + " more)" : "";
        throw new BackpropException(ErrorCode.RESUME_REFUSED, file + ": this checkpoint was trained under "
                + String.join(", ", trained.subList(0, shown)) + more + " but " + runSays + " "
                + String.join(", ", says.subList(0, shown)) + more + ". It belongs to another run (copied in?) or the run's "
                + "config.yaml was edited after the run started; resume a run only from its own checkpoints and config.yaml, "
                + "or start a new run. Nothing was written.");
    }

    private static String setting(String value) {
        return value == null ? "(absent)" : IoErrors.excerpt(value);
    }

    /**
     * @param file the checkpoint, for messages
     * @param state its training state
     * @param config the run's configuration
     * @param prepared the run's network and data
     * @param registry where the optimizer is created
     * @throws BackpropException ({@link ErrorCode#MODEL_INVALID}) at the first value out of range
     */
    static void inRange(Path file, TrainingState state, ExperimentConfig config, PreparedExperiment prepared, PluginRegistry registry) {
        int epochs = config.training().epochs();
        int n = prepared.train().dataset().size();
        int capacity = Math.min(config.training().batchSize(), n);
        int batches = (n + capacity - 1) / capacity;
        String trainOn = "to train on, raise them, e.g. --set " + EPOCHS + "="
                + (state.epoch() + (long) epochs > Integer.MAX_VALUE - 1 ? Integer.MAX_VALUE - 1 : state.epoch() + epochs) + ".";
        if (state.epoch() > epochs) {
            throw new BackpropException(ErrorCode.RESUME_REFUSED, file + ": the run has already trained " + state.epoch()
                    + " of its " + epochs + " epochs; " + trainOn);
        }
        // A run whose last epoch is in its checkpoint but whose model.json is missing (killed or stopped after
        // training) is finished by the resume; only a run that is really complete is refused.
        if (trainedToTheEnd(state, config) && modelMatches(file.getParent().getParent().resolve(RunDirectory.MODEL), state, registry)) {
            throw new BackpropException(ErrorCode.RESUME_REFUSED, file.getParent().getParent() + ": the run is complete: it "
                    + "trained " + state.epoch() + " of its " + epochs + " epochs" + (state.epoch() < epochs ? " (stopped early)" : "")
                    + " and its model.json holds the model of its newest checkpoint, so nothing is left to resume; " + trainOn);
        }
        check(file, state.batch() < batches, "state.batch", state.batch() + " batches done of an epoch that has " + batches);
        check(file, state.partialCorrect() <= (long) state.batch() * capacity, "state.partial-correct",
                state.partialCorrect() + " correct of at most " + (long) state.batch() * capacity + " examples seen");
        check(file, state.history().size() == state.epoch(), "state.history", state.history().size()
                + " rows for " + state.epoch() + " completed epochs");
        check(file, state.batch() > 0 || state.partialLoss() == 0 && state.partialCorrect() == 0, "state.partial-loss",
                "a loss of " + state.partialLoss() + " and " + state.partialCorrect() + " correct before the epoch's first batch");
        for (int i = 0; i < state.history().size(); i++) {
            EpochMetrics m = state.history().get(i);
            check(file, m.epoch() == i + 1, "state.history[" + i + "].epoch", "epoch " + m.epoch() + " where " + (i + 1) + " belongs");
            check(file, m.examples() <= n, "state.history[" + i + "].examples", m.examples() + " of " + n + " training examples");
            check(file, Double.isNaN(m.trainAccuracy()) || (m.trainAccuracy() >= 0 && m.trainAccuracy() <= 1),
                    "state.history[" + i + "].train-accuracy", "not in [0, 1]");
        }
        check(file, state.bestEpoch() <= state.epoch(), "state.best-epoch", state.bestEpoch() + " after epoch " + state.epoch());
        check(file, state.epochsWithoutImprovement() <= state.epoch(), "state.since-best",
                state.epochsWithoutImprovement() + " of " + state.epoch() + " epochs");
        List<TrainableParameter> parameters = prepared.network().parameters();
        shapes(file, "state.weights", state.weights(), parameters, false);
        shapes(file, "state.best-weights", state.bestWeights(), parameters, true);
        Optimizer optimizer = registry.createOptimizer(config.optimizer().name(), config.optimizer().parameters());
        optimizer.bind(parameters);
        double[][] saved = new double[parameters.size()][];
        for (int p = 0; p < saved.length; p++) {
            saved[p] = parameters.get(p).values().clone();
        }
        try {
            optimizer.restoreState(state.optimizerState());
        } catch (RuntimeException e) {
            throw new BackpropException(ErrorCode.MODEL_INVALID, file + ": state.optimizer: the optimizer '" + config.optimizer().name()
                    + "' refused the saved state (" + IoErrors.excerpt(String.valueOf(e.getMessage())) + ")"
                    + "; it is not this run's optimizer state. The checkpoint was not used.", e);
        } finally {
            for (int p = 0; p < saved.length; p++) {
                System.arraycopy(saved[p], 0, parameters.get(p).values(), 0, saved[p].length);
            }
        }
        stepsTaken(file, state, batches);
    }

    /**
     * An optimizer's {@code steps} entry counts the updates made (see {@link Optimizer#state()}): one per
     * batch, so never more than the completed epochs' batches and those of the epoch under way.
     */
    private static void stepsTaken(Path file, TrainingState state, int batches) {
        double[] steps = state.optimizerState().get(Optimizer.STEPS);
        if (steps == null || steps.length != 1) {
            return;
        }
        long most = (long) state.epoch() * batches + state.batch();
        check(file, steps[0] <= most, "state.optimizer." + Optimizer.STEPS, steps[0] + " steps, but " + state.epoch()
                + " epochs of " + batches + " batches and " + state.batch() + " batches more make at most " + most);
    }

    /**
     * Refuses a checkpoint whose own model is not the run's network: the resume trains the network the
     * configuration builds, so a checkpoint whose model differs in a layer, an activation, a size, the loss
     * or a column name was edited, or belongs to another network. Its weights must be the state's; normalisation
     * values are not compared (the data gives them).
     *
     * @param file the checkpoint, for messages
     * @param checkpointRead the checkpoint
     * @param prepared the run's network and data
     * @throws BackpropException ({@link ErrorCode#MODEL_INVALID}) naming the first field that differs and both values
     */
    static void sameNetwork(Path file, CheckpointFile.Checkpoint checkpointRead, PreparedExperiment prepared) {
        Model saved = checkpointRead.model();
        ObjectMapper json = new ObjectMapper();
        JsonNode checkpoint;
        JsonNode run;
        try {
            checkpoint = json.readTree(ModelFile.toJson(saved));
            run = json.readTree(ModelFile.toJson(RunSummary.modelOf(prepared, prepared.network())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String difference = firstDifference("model", checkpoint, run);
        if (difference != null) {
            throw new BackpropException(ErrorCode.MODEL_INVALID, file + ": " + difference + "; the checkpoint's model is not "
                    + "the network this run trains, so the file was edited or belongs to another network. The checkpoint was not used.");
        }
        // The model is written with the weights the network holds at the snapshot: the state's, bit for bit.
        List<TrainableParameter> parameters = saved.network().parameters();
        List<double[]> weights = checkpointRead.state().weights();
        for (int p = 0; p < Math.min(parameters.size(), weights.size()); p++) {
            double[] model = parameters.get(p).values();
            double[] state = weights.get(p);
            for (int i = 0; i < Math.min(model.length, state.length); i++) {
                if (Double.doubleToLongBits(model[i]) != Double.doubleToLongBits(state[i])) {
                    throw new BackpropException(ErrorCode.MODEL_INVALID, file + ": state.weights[" + p + "][" + i + "] is " + state[i]
                            + " but the checkpoint's model has " + model[i] + " there (" + parameters.get(p).name() + "); a checkpoint "
                            + "holds one set of weights twice, so the file was edited. The checkpoint was not used.");
                }
            }
        }
    }

    /** Fields whose numbers are values (the state's weights, the data's statistics), compared by count only. */
    private static final Set<String> VALUES = Set.of("weights", "bias", "offset", "scale");

    private static String firstDifference(String at, JsonNode saved,
            JsonNode run) {
        String key = at.substring(at.lastIndexOf('.') + 1);
        if (VALUES.contains(key) && saved.isArray() && run.isArray()) {
            return saved.size() == run.size() ? null : at + ": the checkpoint's model has " + saved.size()
                    + " entries but the run's network " + run.size();
        }
        if (saved.isObject() && run.isObject()) {
            Set<String> names = new java.util.TreeSet<>();
            saved.fieldNames().forEachRemaining(names::add);
            run.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String difference = firstDifference(at + "." + name, saved.path(name), run.path(name));
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        if (saved.isArray() && run.isArray() && saved.size() == run.size()) {
            for (int i = 0; i < saved.size(); i++) {
                String difference = firstDifference(at + "[" + i + "]", saved.get(i), run.get(i));
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        if (saved.equals(run)) {
            return null;
        }
        return at + ": the checkpoint's model says " + shownJson(saved) + " but the run's network says " + shownJson(run);
    }

    private static String shownJson(JsonNode node) {
        return node.isMissingNode() ? "(absent)" : IoErrors.excerpt(node.toString());
    }

    /**
     * @param state a run's newest checkpoint
     * @param config the run's configuration
     * @return whether nothing is left to train: the checkpoint closes the last epoch, or early stopping ended the run there
     */
    static boolean trainedToTheEnd(TrainingState state, ExperimentConfig config) {
        var training = config.training();
        if (state.batch() != 0) {
            return false;
        }
        return state.epoch() >= training.epochs()
                || training.earlyStopping() != null && state.epoch() > 0 && state.epochsWithoutImprovement() >= training.earlyStopping().patience();
    }

    /** Whether {@code model.json} is there, readable, and holds exactly the weights of the checkpoint. */
    private static boolean modelMatches(Path modelFile, TrainingState state, PluginRegistry registry) {
        if (!java.nio.file.Files.isRegularFile(modelFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        List<TrainableParameter> saved;
        try {
            saved = ModelFile.read(modelFile, registry).network().parameters();
        } catch (BackpropException e) {
            return false; // a damaged model.json is written again
        }
        if (saved.size() != state.weights().size()) {
            return false;
        }
        for (int p = 0; p < saved.size(); p++) {
            if (!java.util.Arrays.equals(saved.get(p).values(), state.weights().get(p))) {
                return false;
            }
        }
        return true;
    }

    private static void shapes(Path file, String at, List<double[]> weights, List<TrainableParameter> parameters, boolean mayBeEmpty) {
        if (mayBeEmpty && weights.isEmpty()) {
            return;
        }
        check(file, weights.size() == parameters.size(), at, weights.size() + " parameter blocks but the network has "
                + parameters.size());
        for (int p = 0; p < parameters.size(); p++) {
            check(file, weights.get(p).length == parameters.get(p).size(), at + "[" + p + "]", weights.get(p).length
                    + " values but " + parameters.get(p).name() + " has " + parameters.get(p).size());
        }
    }

    private static void check(Path file, boolean ok, String field, String detail) {
        if (!ok) {
            throw new BackpropException(ErrorCode.MODEL_INVALID, file + ": " + field + ": out of range for this run (" + detail
                    + "). The checkpoint was not used.");
        }
    }

    /** Numbers compare by value ({@code 16} and {@code 16.0} are the same setting). */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return Objects.equals(a, b);
    }

    private static String shown(Object value) {
        return value == null ? "absent" : IoErrors.excerpt(String.valueOf(value));
    }

    /** @return every leaf of a YAML value by its key path, for example {@code network.layers[0].dense} */
    static Map<String, Object> flatten(Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", value, out);
        return out;
    }

    private static void flatten(String prefix, Object value, Map<String, Object> out) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.put(prefix, Map.of());
            }
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.put(prefix, List.of());
            }
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + i + "]", list.get(i), out);
            }
        } else {
            out.put(prefix, value);
        }
    }
}
