package dev.backprop.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code training.shards} in a local run: N worker threads, each with its own shard of the training rows. */
class ShardedRunTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final String CONFIG = """
            name: sharded
            seed: 4
            network:
              layers: [{dense: 8}, {activation: tanh}, {dropout: 0.2}, {dense: 3}, {activation: softmax}]
            loss: cross-entropy
            optimizer: {name: adam, learning-rate: 0.02}
            training:
              epochs: 5
              batch-size: 16
              checkpoint: {every: 2, keep: 5}
            data:
              train: {synthetic: spirals, samples: 150}
              validation-split: 0.2
            """;

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path file = dir.resolve("sharded.yaml");
        Files.writeString(file, CONFIG);
        return file;
    }

    private RunResult run(String name, String... overrides) throws IOException {
        return new ExperimentRunner(REGISTRY).run(config(), List.of(overrides), new RunOptions(dir.resolve(name), dir, null, List.of()));
    }

    static List<double[]> weights(RunResult result) {
        List<double[]> weights = new ArrayList<>();
        for (TrainableParameter p : result.model().network().parameters()) {
            weights.add(p.values());
        }
        return weights;
    }

    @Test
    void oneShardIsTodaysLocalRunBitForBit() throws IOException {
        RunResult plain = run("plain");
        RunResult one = run("one", "training.shards=1");
        assertThat(Files.readString(dir.resolve("one/model.json"))).isEqualTo(Files.readString(dir.resolve("plain/model.json")));
        assertThat(Files.readString(dir.resolve("plain/config.yaml"))).contains("shards: 1");
        assertThat(one.history().epochs()).hasSize(5);
    }

    @Test
    void threeShardsTrainAnotherOrderAndWriteTheSameRunDirectory() throws IOException {
        RunResult plain = run("plain");
        RunResult three = run("three", "training.shards=3");
        RunResult again = run("again", "training.shards=3");
        assertThat(Files.readString(dir.resolve("three/model.json"))).isEqualTo(Files.readString(dir.resolve("again/model.json")));
        assertThat(Files.readString(dir.resolve("three/model.json"))).isNotEqualTo(Files.readString(dir.resolve("plain/model.json")));
        assertThat(Files.readString(dir.resolve("three/config.yaml"))).contains("shards: 3");
        assertThat(dir.resolve("three/metrics.csv")).content().hasLineCount(6);
        assertThat(three.history().epochs()).hasSize(5);
        assertThat(three.history().epochs().get(4).examples()).isEqualTo(120);
        assertThat(three.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-e0000005-b0000000.ckpt");
        assertThat(plain.history().epochs()).hasSize(5);
    }

    @Test
    void aStoppedShardedRunResumesBitIdentically() throws IOException {
        run("full", "training.shards=3");
        int[] batches = {0};
        RunOptions stopping = new RunOptions(dir.resolve("part"), dir, null, List.of(new dev.backprop.api.TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, double loss) {
                batches[0]++;
            }
        })).stopWhen(() -> batches[0] >= 17);
        RunResult partial = new ExperimentRunner(REGISTRY).run(config(), List.of("training.shards=3"), stopping);
        assertThat(partial.interrupted()).isTrue();
        // 8 batches an epoch; the workers vote on the stop in the exchange of batch 18 and stop after it
        assertThat(partial.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-e0000002-b0000002.ckpt");
        new ExperimentRunner(REGISTRY).run(config(), List.of("training.shards=3"), RunOptions.defaults().resumeFrom(dir.resolve("part")));
        assertThat(dir.resolve("part/model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
    }

    @Test
    void anInterruptOfTheFittingThreadStopsAShardedRunAtACheckpointOrLetsItsLastEpochFinishIt() throws IOException {
        run("full", "training.shards=3");
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        RunResult late;
        try {
            late = runner.run(config(), List.of("training.shards=3"), RunOptions.builder().runDirectory(dir.resolve("late"))
                    .listener(InterruptingListener.after(5)).build());
        } finally {
            assertThat(Thread.interrupted()).as("the flag stays set for the caller").isTrue();
        }
        assertThat(late.interrupted()).isFalse();
        assertThat(dir.resolve("late/model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));

        RunResult early;
        try {
            early = runner.run(config(), List.of("training.shards=3"), RunOptions.builder().runDirectory(dir.resolve("early"))
                    .listener(InterruptingListener.after(2)).build());
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(early.interrupted()).isTrue();
        // the lead votes to stop in the exchange of the first batch of epoch 3; every worker stops after it
        assertThat(early.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-e0000002-b0000001.ckpt");
        runner.run(config(), List.of("training.shards=3"), RunOptions.defaults().resumeFrom(dir.resolve("early")));
        assertThat(dir.resolve("early/model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "more shards than batch rows|training.shards=17|training.shards: expected at most batch-size (16) shards, got 17",
        "zero shards|training.shards=0|training.shards: expected a whole number >= 1, got 0",
        "shards and trace|training.trace=true;training.shards=2|cannot be combined with shards > 1",
        "shards and partitions differ|training.distributed.master=local[3];training.distributed.partitions=2;training.shards=3|"
                + "partitions is 2 and shards is 3"})
    void badShardSettingsAreOneLocatedError(String what, String overrides, String message) {
        assertThatThrownBy(() -> run("bad", overrides.split(";")))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining(message);
    }
}
