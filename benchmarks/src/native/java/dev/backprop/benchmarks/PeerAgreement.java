package dev.backprop.benchmarks;

import dev.backprop.core.Backprop;
import dev.backprop.core.linalg.Kernels;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Dataset;
import java.util.Arrays;
import java.util.Map;
import org.encog.ml.data.basic.BasicMLData;
import org.encog.neural.networks.BasicNetwork;
import org.encog.neural.networks.training.propagation.back.Backpropagation;

/**
 * Checks that the peers which implement our arithmetic reach the same loss as ours, from our initial
 * weights, after one epoch without shuffling: workload B with tanh on its first 2,048 examples in batches
 * of 32, and workload A with per-example updates. DL4J must agree on both, Encog on workload A (its
 * mini-batch and tanh training differ from ours by about 0.5%, so its workload-B loss is printed only).
 * Exits with 1 if a required agreement is off by more than 1e-6 relative.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.backprop.benchmarks.PeerAgreement</pre>
 */
public final class PeerAgreement {
    private PeerAgreement() {
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        boolean ok = check("B tanh, batch 32", false, 32);
        ok &= check("A digits, batch 1", true, 1);
        System.out.println(ok ? "peers agree" : "PEERS DISAGREE");
        System.exit(ok ? 0 : 1);
    }

    private static boolean check(String name, boolean digits, int batch) {
        Backprop backprop = Backprop.create();
        Workloads.Data all = digits ? Workloads.digits() : Workloads.mnist();
        int n = digits ? all.inputs().length : 2048;
        Workloads.Data data = new Workloads.Data(Arrays.copyOf(all.inputs(), n), Arrays.copyOf(all.targets(), n),
                Arrays.copyOf(all.labels(), n));
        boolean ok = true;
        double reference = Double.NaN;
        for (int threads : new int[] {1, 2}) {
            Network ours = digits ? Workloads.digitsNetwork(backprop) : Workloads.tanhNetwork(backprop);
            backprop.trainer().loss("squared-error").optimizer("sgd", Map.of("learning-rate", 0.01)).epochs(1).batchSize(batch)
                    .shuffle(false).threads(threads).build().fit(ours, Dataset.of(data.inputs(), data.targets()));
            double loss = Workloads.squaredError(ours.predict(data.inputs()), data.targets());
            if (threads == 1) {
                reference = loss;
            }
            ok &= report(name, "ours (" + Kernels.implementation() + ", " + threads + " thread" + (threads > 1 ? "s" : "") + ")", loss,
                    reference);
        }
        Network initial = digits ? Workloads.digitsNetwork(backprop) : Workloads.tanhNetwork(backprop);
        Backpropagation encog = PeerTrainingBenchmark.encog(initial, !digits, data, batch);
        encog.iteration();
        BasicNetwork trained = (BasicNetwork) encog.getMethod();
        double[][] outputs = new double[n][];
        for (int r = 0; r < n; r++) {
            outputs[r] = trained.compute(new BasicMLData(data.inputs()[r])).getData();
        }
        boolean encogAgrees = report(name, "Encog 3.4" + (digits ? "" : " (not required)"), Workloads.squaredError(outputs, data.targets()),
                reference);
        ok &= encogAgrees || !digits;
        Dl4jPeer dl4j = new Dl4jPeer(initial, !digits, data, batch, 0.01);
        dl4j.epoch();
        ok &= report(name, "DL4J 1.0.0-M2.1", Workloads.squaredError(dl4j.outputs(), data.targets()), reference);
        return ok;
    }

    private static boolean report(String workload, String peer, double loss, double reference) {
        double relative = Math.abs(loss - reference) / Math.abs(reference);
        boolean ok = relative <= 1e-6;
        System.out.printf("%-20s %-32s final loss %.12f  relative difference %.2e %s%n", workload, peer, loss, relative,
                ok ? "" : "<-- differs");
        return ok;
    }
}
