package dev.backprop.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.backprop.api.LossFunction;
import dev.backprop.api.Optimizer;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/** The trainer hands the optimizer exactly the parameters and gradients the engine computed. */
@ExtendWith(MockitoExtension.class)
class TrainerOptimizerInteractionTest {
    private static final Backprop BACKPROP = Backprop.create();

    @Mock
    private Optimizer optimizer;

    @Test
    void optimizerSeesTheEnginesGradientsBeforeEachStep() {
        double[][] x = {{0.5, -0.2}, {0.1, 0.9}, {-0.7, 0.3}};
        double[][] y = {{1, 0}, {0, 1}, {1, 0}};
        Network network = BACKPROP.network(2).dense(3).activation("tanh").dense(2).activation("softmax").seed(4).build();
        LossFunction loss = BACKPROP.plugins().createLoss("cross-entropy", Map.of());

        // Expected gradients: computed independently on a copy, one batch of 2 then one of 1 (no updates, the optimizer is a mock).
        Network copy = network.copy();
        List<List<double[]>> expected = new ArrayList<>();
        Backpropagation pass = new Backpropagation(copy, 2);
        expected.add(gradientsAfter(pass, copy, loss, new double[] {0.5, -0.2, 0.1, 0.9}, new double[] {1, 0, 0, 1}, 2));
        expected.add(gradientsAfter(pass, copy, loss, new double[] {-0.7, 0.3}, new double[] {1, 0}, 1));

        List<List<double[]>> seen = new ArrayList<>();
        ArrayList<List<TrainableParameter>> bound = new ArrayList<>();
        doAnswer(call -> {
            bound.add(call.getArgument(0));
            return null;
        }).when(optimizer).bind(anyList());
        doAnswer(call -> {
            List<double[]> grads = new ArrayList<>();
            for (TrainableParameter p : bound.get(0)) {
                grads.add(p.gradient().clone());
            }
            seen.add(grads);
            return null;
        }).when(optimizer).step();

        Trainer trainer = BACKPROP.trainer().loss(loss).optimizer(() -> optimizer).epochs(1).batchSize(2).shuffle(false).build();
        trainer.fit(network, Dataset.of(x, y));

        InOrder order = inOrder(optimizer);
        ArgumentCaptor<List<TrainableParameter>> parameters = ArgumentCaptor.captor();
        order.verify(optimizer).bind(parameters.capture());
        order.verify(optimizer, times(2)).step();
        verify(optimizer, times(1)).bind(anyList());
        assertThat(parameters.getValue()).extracting(TrainableParameter::name)
                .containsExactly("layers[0].weights", "layers[0].bias", "layers[2].weights", "layers[2].bias");
        assertThat(parameters.getValue().get(0).values()).isSameAs(network.parameters().get(0).values());
        assertThat(seen).hasSize(2);
        for (int step = 0; step < 2; step++) {
            for (int p = 0; p < 4; p++) {
                assertThat(seen.get(step).get(p)).as("step %d parameter %d", step, p).isEqualTo(expected.get(step).get(p));
            }
        }
    }

    private static List<double[]> gradientsAfter(Backpropagation pass, Network network, LossFunction loss, double[] x,
            double[] t, int rows) {
        pass.meanGradient(x, t, rows, loss);
        List<double[]> grads = new ArrayList<>();
        for (TrainableParameter p : network.parameters()) {
            grads.add(p.gradient().clone());
        }
        return grads;
    }
}
