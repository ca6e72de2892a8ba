package dev.backprop.benchmarks;

import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Network;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J 1.0.0-M2.1 ({@code DataType.DOUBLE}) with our layer sizes, activations and initial weights. DL4J's
 * L2 loss is {@code sum (t - o)^2} without our one half and it averages a batch's gradients, so SGD with
 * half our rate is the same arithmetic as ours.
 */
final class Dl4jPeer {
    final MultiLayerNetwork network;
    final List<DataSet> batches = new ArrayList<>();
    final INDArray allInputs;

    Dl4jPeer(Network ours, boolean tanh, Workloads.Data data, int batch, double learningRate) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        List<DenseLayer> dense = Workloads.denseLayers(ours);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new Sgd(learningRate / 2)).list();
        for (int l = 0; l < dense.size(); l++) {
            DenseLayer layer = dense.get(l);
            if (l == dense.size() - 1) {
                list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.L2).nIn(layer.inputSize()).nOut(layer.outputSize())
                        .activation(Activation.SIGMOID).build());
            } else {
                list.layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(layer.inputSize()).nOut(layer.outputSize())
                        .activation(tanh ? Activation.TANH : Activation.SIGMOID).build());
            }
        }
        MultiLayerConfiguration conf = list.build();
        network = new MultiLayerNetwork(conf);
        network.init();
        for (int l = 0; l < dense.size(); l++) {
            DenseLayer layer = dense.get(l);
            double[][] w = layer.weights();
            double[][] wt = new double[layer.inputSize()][layer.outputSize()];
            for (int j = 0; j < w.length; j++) {
                for (int i = 0; i < w[j].length; i++) {
                    wt[i][j] = w[j][i];
                }
            }
            network.getLayer(l).setParam("W", Nd4j.create(wt));
            network.getLayer(l).setParam("b", Nd4j.create(layer.bias(), new long[] {1, layer.outputSize()}));
        }
        double[][] x = data.inputs();
        double[][] y = data.targets();
        for (int from = 0; from < x.length; from += batch) {
            int to = Math.min(x.length, from + batch);
            batches.add(new DataSet(Nd4j.create(java.util.Arrays.copyOfRange(x, from, to)),
                    Nd4j.create(java.util.Arrays.copyOfRange(y, from, to))));
        }
        allInputs = Nd4j.create(x);
    }

    /** One epoch, batches in order. */
    void epoch() {
        for (DataSet b : batches) {
            network.fit(b);
        }
    }

    /** The outputs for every example. */
    double[][] outputs() {
        return network.output(allInputs).toDoubleMatrix();
    }
}
