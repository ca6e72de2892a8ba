package dev.backprop.core.rundir;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The folder of one run and the one owner of every file in it: {@code config.yaml}, {@code metrics.csv}
 * and {@code metrics.jsonl}, {@code model.json} and {@code checkpoints/}. Every file is written to a
 * temporary file beside it and moved into place. The file names and layout are documented in the README.
 */
public final class RunDirectory {
    /** The resolved configuration of the run. */
    public static final String CONFIG = "config.yaml";
    /** The trained model. */
    public static final String MODEL = "model.json";
    /** A distributed run's report: workers, rows, traffic and time per step. */
    public static final String CLUSTER = "cluster.json";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path path;

    private RunDirectory(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /**
     * @param root where new run folders are made
     * @param name the experiment's name
     * @return a folder under {@code root} named after the experiment and the time, not yet existing
     */
    public static Path newPath(Path root, String name) {
        String stamp = LocalDateTime.now().format(STAMP);
        Path candidate = root.resolve(name + "-" + stamp);
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = root.resolve(name + "-" + stamp + "-" + i);
        }
        return candidate;
    }

    /**
     * @param path the run's folder, made with its parents if missing
     * @return the run directory
     * @throws BackpropException ({@link ErrorCode#OUTPUT_FAILED}) if the folder cannot be made
     */
    public static RunDirectory open(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, path + ": could not create the run directory: " + e.getMessage(), e);
        }
        return new RunDirectory(path);
    }

    /** @return the folder */
    public Path path() {
        return path;
    }

    /** @param yaml the resolved configuration's text, written as {@value #CONFIG} */
    public void writeConfig(String yaml) {
        AtomicFiles.writeString(path.resolve(CONFIG), yaml);
    }

    /**
     * @param report what the cluster did in a distributed run, as maps and lists, written as {@value #CLUSTER}
     */
    public void writeClusterReport(java.util.Map<String, Object> report) {
        try {
            AtomicFiles.writeString(path.resolve(CLUSTER), new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cluster.json could not be written: " + e.getMessage(), e);
        }
    }

    /**
     * @param earlier the metrics of epochs already done (a resumed run), possibly empty
     * @return the listener that writes {@code metrics.csv} and {@code metrics.jsonl} after every epoch
     */
    public MetricsFiles metrics(List<EpochMetrics> earlier) {
        return new MetricsFiles(path, earlier);
    }

    /**
     * @param keep how many checkpoints to keep, newest first
     * @param network the network being trained
     * @param modelOf the model file a checkpoint carries, for the network's weights at that moment
     * @return the listener that writes every snapshot to {@code checkpoints/}
     */
    public Checkpointer checkpointer(int keep, Network network, Function<Network, Model> modelOf) {
        return new Checkpointer(path, keep, network, modelOf);
    }

    /**
     * @param model the trained model, written as {@value #MODEL}
     * @return where it was written
     */
    public Path writeModel(Model model) {
        Path file = path.resolve(MODEL);
        ModelFile.write(model, file);
        return file;
    }

    /**
     * @param runDirectory a run directory
     * @param registry where the model's plugins are resolved
     * @return its newest checkpoint
     * @throws BackpropException if it has none, or the newest is damaged (never falls back silently)
     */
    public static CheckpointFile.Checkpoint newestCheckpoint(Path runDirectory, PluginRegistry registry) {
        List<Path> checkpoints = Checkpointer.list(runDirectory.resolve(Checkpointer.FOLDER));
        if (checkpoints.isEmpty()) {
            throw new BackpropException(ErrorCode.IO_FAILED, runDirectory + ": no checkpoints to resume from (looked in "
                    + runDirectory.resolve(Checkpointer.FOLDER) + ").");
        }
        return CheckpointFile.read(checkpoints.get(checkpoints.size() - 1), registry);
    }
}
