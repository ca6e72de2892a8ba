package dev.backprop.core.rundir;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.model.Model;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.SnapshotListener;
import dev.backprop.core.training.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each snapshot of a run to {@code checkpoints/checkpoint-eEEEEEE-bBBBBBB.ckpt} in the run
 * directory and keeps only the newest {@code keep}. Files are ordered by their epoch and batch numbers
 * (read as numbers, so an epoch of ten digits still sorts after one of seven).
 */
public final class Checkpointer implements SnapshotListener {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** The folder of a run directory that holds the checkpoints. */
    public static final String FOLDER = "checkpoints";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("checkpoint-e(\\d{1,18})-b(\\d{1,18})\\.ckpt");

    private final Path folder;
    private final int keep;
    private final Function<Network, Model> modelOf;
    private final Network network;
    private final Map<String, String> trainedUnder;
    private Path last;

    Checkpointer(Path runDirectory, int keep, Network network, Function<Network, Model> modelOf, Map<String, String> trainedUnder) {
        this.folder = runDirectory.resolve(FOLDER);
        this.keep = keep;
        this.network = network;
        this.modelOf = modelOf;
        this.trainedUnder = Map.copyOf(trainedUnder);
    }

    @Override
    public void onSnapshot(TrainingState state) {
        Path file = folder.resolve(String.format(Locale.ROOT, "checkpoint-e%07d-b%07d.ckpt", state.epoch(), state.batch()));
        // The model file carries the snapshot's weights, which the network holds at this moment.
        CheckpointFile.write(file, modelOf.apply(network), state, trainedUnder);
        last = file;
        LOG.info("Checkpoint written: {}", file);
        List<Path> all = list(folder);
        for (int i = 0; i < all.size() - keep; i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                LOG.warn("Could not delete the old checkpoint {}: {}", all.get(i), e.getMessage());
            }
        }
    }

    /** @return the newest checkpoint written by this run, or {@code null} */
    public Path last() {
        return last;
    }

    /**
     * @param folder a run's checkpoint folder
     * @return its checkpoint files, oldest first
     */
    public static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(java.util.Comparator.comparingLong((Path p) -> number(p, 1)).thenComparingLong(p -> number(p, 2))
                            .thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, folder + ": could not be listed: " + e.getMessage(), e);
        }
    }

    private static long number(Path file, int group) {
        java.util.regex.Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(group)) : 0;
    }
}
