package dev.backprop.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.Backprop;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkShapeTest {
    private static final Backprop BACKPROP = Backprop.create();

    @Test
    void layersThatDoNotChainAreAnErrorNamingBoth() {
        var sigmoid = BACKPROP.plugins().createActivation("sigmoid", Map.of());
        List<Layer> layers = List.of(new DenseLayer(2, 3, true), new ActivationLayer("sigmoid", Map.of(), sigmoid, 4));
        assertThatThrownBy(() -> Network.of(2, layers))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessage("[BP-201] layers[0] dense(2 -> 3, bias) produces 3 values but layers[1] sigmoid(4) expects 4.");
        assertThatThrownBy(() -> Network.of(5, List.of(new DenseLayer(2, 3, true))))
                .hasMessage("[BP-201] the network input produces 5 values but layers[0] dense(2 -> 3, bias) expects 2.");
        assertThatThrownBy(() -> Network.of(2, List.of())).hasMessageContaining("at least one layer")
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_INVALID));
    }

    @Test
    void anyOrderThatTypeChecksIsAllowed() {
        Network network = BACKPROP.network(3).activation("tanh").dense(2).dense(4, false).activation("relu").activation("sigmoid")
                .seed(1).build();
        assertThat(network.layers()).hasSize(5);
        assertThat(network.outputSize()).isEqualTo(4);
        assertThat(network.parameters()).extracting(p -> p.name())
                .containsExactly("layers[1].weights", "layers[1].bias", "layers[2].weights");
        assertThat(network.parameterCount()).isEqualTo(3 * 2 + 2 + 2 * 4);
        assertThat(network.predict(new double[][] {{1, 2, 3}, {0, 0, 0}})).hasNumberOfRows(2);
    }

    @Test
    void predictChecksTheInputWidth() {
        Network network = BACKPROP.network(3).dense(1).build();
        assertThatThrownBy(() -> network.predict(new double[2]))
                .hasMessage("[BP-201] The input has 2 values but the network expects 3.");
    }

    @Test
    void weightsCanBeReadAndSet() {
        Network network = BACKPROP.network(2).dense(2).build();
        DenseLayer dense = network.denseLayerAt(0);
        dense.setWeights(new double[][] {{1, 2}, {3, 4}});
        dense.setBias(new double[] {0.5, -0.5});
        assertThat(dense.weights()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}});
        assertThat(network.predict(new double[] {1, 1})).containsExactly(3.5, 6.5);
        assertThatThrownBy(() -> dense.setWeights(new double[][] {{1, 2, 3}, {3, 4, 5}}))
                .hasMessageContaining("weights row 0 of dense(2 -> 2, bias) must have 2 values, got 3 values");
        Network copy = network.copy();
        dense.setBias(new double[] {0, 0});
        assertThat(copy.predict(new double[] {1, 1})).containsExactly(3.5, 6.5);
    }
}
