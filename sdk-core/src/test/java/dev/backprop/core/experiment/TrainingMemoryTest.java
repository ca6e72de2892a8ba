package dev.backprop.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.network.Network;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Dataset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The memory a run needs to the end (training, evaluation, saving model.json) is estimated before the first
 * epoch, against a given heap size here so that the outcome does not depend on the machine.
 */
class TrainingMemoryTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();

    private static Network wide(int units) {
        return NetworkBuilder.create(REGISTRY, 2).dense(units).activation("relu").dense(1).activation("sigmoid").build();
    }

    private static Dataset xor() {
        return Dataset.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new double[][] {{0}, {1}, {1}, {0}});
    }

    @Test
    void aWideLayerThatTrainsButCannotBeEvaluatedAndSavedIsRefusedBeforeTrainingNamingTheLayerAndTheBytes() {
        Network network = wide(100_000);
        // 400,001 parameters at 150 bytes, 400,006 buffer values (2 inputs, 2 x 200,002 outputs) for a training batch of 1 and an evaluation batch of 4; 96 data bytes.
        long needed = 400_001L * 150 + 400_006L * 5 * 8 + 4 * 3 * 8;
        assertThat(needed).isEqualTo(76_000_486L);
        assertThatThrownBy(() -> TrainingMemory.check(network, 1, Arrays.asList(xor(), null, null), needed - 1))
                .isInstanceOfSatisfying(TrainingMemory.LayerMemoryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TRAINING_INVALID);
                    assertThat(e.layerIndex()).isZero();
                })
                .hasMessage("[BP-302] the layer dense(2 -> 100000, bias) needs about 51 MiB, and the run about 73 MiB in all (400001 "
                        + "weights with their gradients, optimizer state, a checkpoint copy and the model.json being written; the buffers "
                        + "of a training batch of 1 and an evaluation batch of 4; the data), but this JVM may use 73 MiB (-Xmx). Use a "
                        + "smaller layer, or give Java more memory with BACKPROP_JAVA_OPTS=-Xmx...");
        assertThatCode(() -> TrainingMemory.check(network, 1, List.of(xor()), needed)).doesNotThrowAnyException();
    }

    @Test
    void theEvaluationBatchOfTheLargestDataSetIsCounted() {
        Network network = wide(10);
        Dataset large = Dataset.of(new double[1000][2], new double[1000][1]);
        // 41 parameters; 2 + 2 * (10 + 10 + 1 + 1) = 46 buffer values for 32 training rows and 256 evaluation rows; 24,096 data bytes.
        long needed = 41L * 150 + 46L * (32 + 256) * 8 + (4 + 1000) * 3 * 8;
        assertThatThrownBy(() -> TrainingMemory.check(network, 32, Arrays.asList(xor(), large, null), needed - 1))
                .isInstanceOf(BackpropException.class).hasMessageContaining("an evaluation batch of 256");
        assertThatCode(() -> TrainingMemory.check(network, 32, Arrays.asList(xor(), large, null), needed)).doesNotThrowAnyException();
    }
}
