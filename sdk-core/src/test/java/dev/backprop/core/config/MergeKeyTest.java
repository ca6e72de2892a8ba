package dev.backprop.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YAML merge keys ({@code <<: *anchor}) are refused with a message that says so, at the line and column
 * of the {@code <<}, instead of an "unknown parameter '<<'" for whatever mapping they sit in. Aliases for
 * whole values still work.
 */
class MergeKeyTest {
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());
    private static final String NETWORK = "network:\n  inputs: 2\n  layers: [{dense: 2}, {activation: sigmoid}, {dense: 1}, {activation: sigmoid}]\n";
    private static final String DATA = "data:\n  train: {synthetic: xor}\n";

    @TempDir
    Path dir;

    @Test
    void aMergeKeyIsRefusedAtItsPlaceSayingMergeKeysAreNotSupported() throws IOException {
        Path file = Files.writeString(dir.resolve("merge.yaml"), NETWORK
                + "optimizer: &sgd {name: sgd, learning-rate: 0.5}\n"
                + "training:\n  epochs: 3\n  schedule:\n    <<: *sgd\n" + DATA);
        assertThatThrownBy(() -> RUNNER.prepare(RUNNER.load(file, List.of())))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessage("[BP-401] " + file + ":8:5: YAML merge keys ('<<: *anchor') are not supported; write the keys out in the "
                        + "mapping itself (an alias for a whole value, such as 'optimizer: *adam', is supported).");
    }

    @Test
    void aMergeKeyInAnOverrideIsRefusedAsThatOverride() throws IOException {
        Path file = Files.writeString(dir.resolve("ok.yaml"), NETWORK + DATA);
        assertThatThrownBy(() -> RUNNER.prepare(RUNNER.load(file, List.of("optimizer={<<: {name: adam}}"))))
                .hasMessageContaining("--set 'optimizer={<<: {name: adam}}'").hasMessageContaining("YAML merge keys ('<<: *anchor') are not supported");
    }

    @Test
    void anAliasForAWholeValueStillWorks() throws IOException {
        Path file = Files.writeString(dir.resolve("alias.yaml"), NETWORK + "optimizer: &opt {name: sgd, learning-rate: 0.5}\n"
                + "training: {epochs: 3}\n" + DATA);
        assertThat(RUNNER.prepare(RUNNER.load(file, List.of()))).isNotNull();
    }
}
