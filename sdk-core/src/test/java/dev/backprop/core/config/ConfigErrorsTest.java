package dev.backprop.core.config;

import dev.backprop.core.config.yaml.YamlDocuments;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad configuration gives one error naming the file, line and column, the key path, what
 * was expected and what is allowed. Each case is checked through {@link ExperimentRunner#prepare}, which
 * is what {@code backprop validate} runs.
 */
class ConfigErrorsTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final String XOR = "data:\n  train: {synthetic: xor}\n";
    private static final String NET = "network:\n  layers:\n    - dense: 4\n    - activation: tanh\n    - dense: 1\n";

    @TempDir
    Path dir;

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("malformed YAML", "network:\n  layers: [{dense: 3}\n" + XOR, ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:3:1: malformed YAML", "expected ',' or ']'")),
                Arguments.of("unknown top-level key", NET + XOR + "trainig: {epochs: 2}\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:8:1: trainig: unknown key 'trainig'. Did you mean 'training'?", "Allowed keys: name, seed, plugins, network")),
                Arguments.of("unknown nested key", NET + XOR + "training: {epochs: 2, batchsize: 4}\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:8:23: training.batchsize: unknown key 'batchsize'. Did you mean 'batch-size'?")),
                Arguments.of("wrong type", NET + XOR + "training: {epochs: many}\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:8:20: training.epochs: expected a whole number >= 1, got the string 'many'.")),
                Arguments.of("boolean expected", NET + XOR + "training: {shuffle: 3}\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:8:21: training.shuffle: expected true or false, got the number 3.")),
                Arguments.of("distributed without master", NET + XOR + "training: {distributed: {partitions: 2}}\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:8:", "training.distributed: missing required key 'master'.")),
                Arguments.of("distributed partitions 0", NET + XOR + "training: {distributed: {master: 'local[2]', partitions: 0}}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:8:", "training.distributed.partitions: expected a whole number >= 1, got 0.")),
                Arguments.of("distributed misspelt key", NET + XOR + "training: {distributed: {master: local, partition: 2}}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:8:", "unknown key 'partition'. Did you mean 'partitions'?")),
                Arguments.of("distributed unknown exchange", NET + XOR + "training: {distributed: {master: local, exchange: rnig}}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:8:", "training.distributed.exchange: unknown exchange 'rnig'. Did you mean 'ring'?",
                                "Allowed: ring, star.")),
                Arguments.of("distributed master with a space", NET + XOR + "training: {distributed: {master: 'local [2]'}}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:8:", "training.distributed.master: expected a Spark master URL: local, local[N]")),
                Arguments.of("distributed local[0]", NET + XOR + "training: {distributed: {master: 'local[0]'}}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:8:", "N, C, MB and F whole numbers >= 1), got 'local[0]'.")),
                Arguments.of("distributed unknown scheme", NET + XOR + "training: {distributed: {master: 'bogus://x'}}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:8:", "spark://HOST:PORT[,HOST:PORT...], yarn or k8s://URL")),
                Arguments.of("distributed local-cluster missing memory", NET + XOR + "training: {distributed: {master: 'local-cluster[2,1]'}}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:8:", "got 'local-cluster[2,1]'.")),
                Arguments.of("missing network", XOR, ErrorCode.CONFIG_INVALID, List.of("c.yaml:1:1: missing required key 'network'.")),
                Arguments.of("missing data", NET, ErrorCode.CONFIG_INVALID, List.of("missing required key 'data'.")),
                Arguments.of("missing train", NET + "data:\n  test-split: 0.2\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:7:3: data: missing required key 'train'.")),
                Arguments.of("zero epochs", NET + XOR + "training: {epochs: 0}\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:8:20: training.epochs: expected a whole number >= 1, got 0.")),
                Arguments.of("negative batch size", NET + XOR + "training: {batch-size: -4}\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:8:24: training.batch-size: expected a whole number >= 1, got -4.")),
                Arguments.of("zero learning rate", NET + XOR + "optimizer: {name: sgd, learning-rate: 0}\n", ErrorCode.PARAMETER_INVALID,
                        List.of("c.yaml:8:39: optimizer.learning-rate:", "must be a value > 0, got 0.0.")),
                Arguments.of("unknown activation", NET.replace("tanh", "tahn") + XOR, ErrorCode.PLUGIN_UNKNOWN,
                        List.of("c.yaml:4:19: network.layers[1].activation: Unknown activation 'tahn'. Did you mean 'tanh'?",
                                "Available activations: identity, leaky-relu, relu, sigmoid, softmax, tanh.")),
                Arguments.of("unknown optimizer", NET + XOR + "optimizer: adamw\n", ErrorCode.PLUGIN_UNKNOWN,
                        List.of("c.yaml:8:12: optimizer: Unknown optimizer 'adamw'. Did you mean 'adam'? Available optimizers: adam, sgd.")),
                Arguments.of("unknown parameter", NET + XOR + "optimizer: {name: sgd, momentun: 0.9}\n", ErrorCode.PARAMETER_UNKNOWN,
                        List.of("c.yaml:8:34: optimizer.momentun: Unknown parameter 'momentun' for plugin 'sgd'; allowed: learning-rate, momentum, nesterov.")),
                Arguments.of("ill-typed parameter", NET + XOR + "optimizer: {name: sgd, nesterov: maybe}\n", ErrorCode.PARAMETER_INVALID,
                        List.of("optimizer.nesterov:", "must be true or false, got 'maybe'.")),
                Arguments.of("network inputs vs data", "network:\n  inputs: 3\n  layers: [{dense: 1}]\n" + XOR, ErrorCode.SHAPE_MISMATCH,
                        List.of("c.yaml:2:11: network.inputs: the network has 3 inputs but data.train has 2 input columns (x1, x2).")),
                Arguments.of("network outputs vs data", "network:\n  layers: [{dense: 3}, {activation: softmax}]\n" + XOR,
                        ErrorCode.SHAPE_MISMATCH, List.of("c.yaml:2:24: network.layers[1]: the network ends with 3 outputs but data.train has 1 target columns")),
                Arguments.of("explicit weights vs layer", "network:\n  layers:\n    - {dense: 2, init: {name: explicit, weights: [[1, 2, 3]]}}\n" + XOR,
                        ErrorCode.SHAPE_MISMATCH, List.of("c.yaml:3:7: network.layers[0]:", "explicit weights are 1 x 3 but the layer needs 2 x 2")),
                Arguments.of("no layers", "network:\n  layers: []\n" + XOR, ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:2:11: network.layers: a network needs at least one layer")),
                Arguments.of("layer without kind", "network:\n  layers: [{units: 3}]\n" + XOR, ErrorCode.CONFIG_INVALID,
                        List.of("network.layers[0]: a layer needs 'dense' (a number of units), 'activation' (a name) or 'dropout' (a rate); got keys units.")),
                Arguments.of("duplicate key", NET + XOR + "seed: 1\nseed: 2\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:9:1: seed: duplicate key 'seed' (first given on line 8).")),
                Arguments.of("unknown synthetic set", NET + "data:\n  train: {synthetic: moons}\n", ErrorCode.CONFIG_INVALID,
                        List.of("data.train.synthetic: unknown synthetic dataset 'moons'. Available: xor, spirals, circles.")),
                Arguments.of("two sources", NET + "data:\n  train: {synthetic: xor, csv: a.csv}\n", ErrorCode.CONFIG_INVALID,
                        List.of("data.train: a data source needs exactly one of inline, csv, synthetic, parquet, dataframe; got csv and synthetic.")),
                Arguments.of("parquet in a local run", NET + "data:\n  train: {parquet: rows.parquet, label: y, features: [a, b]}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:7:10: data.train: a parquet source is read by Apache Spark",
                                "it needs training.distributed (--master) and the sdk-spark module")),
                Arguments.of("parquet held out from", NET + "training: {distributed: {master: local}}\n"
                        + "data:\n  train: {parquet: rows.parquet, label: y, features: [a]}\n  validation-split: 0.2\n",
                        ErrorCode.CONFIG_INVALID, List.of("data.validation-split: rows read by Spark are not held out from")),
                Arguments.of("parquet validation", NET + "training: {distributed: {master: local}}\n"
                        + "data:\n  train: {synthetic: xor}\n  validation: {parquet: v.parquet, label: y, features: [a]}\n",
                        ErrorCode.CONFIG_INVALID, List.of("data.validation: only data.train can be read by Spark")),
                Arguments.of("parquet without features", NET + "training: {distributed: {master: local}}\n"
                        + "data:\n  train: {parquet: rows.parquet, label: y}\n",
                        ErrorCode.CONFIG_INVALID, List.of("data.train: missing required key 'features'.")),
                Arguments.of("parquet label as a feature", NET + "training: {distributed: {master: local}}\n"
                        + "data:\n  train: {parquet: rows.parquet, label: y, features: [a, y]}\n",
                        ErrorCode.CONFIG_INVALID, List.of("data.train.features: the label column 'y' cannot also be a feature.")),
                Arguments.of("csv feature named twice", NET + "data:\n  train: {csv: a.csv, targets: [y], features: [a, a]}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:7:51: data.train.features[1]: the column 'a' is named twice")),
                Arguments.of("csv target as a feature", NET + "data:\n  train: {csv: a.csv, targets: [y], features: [a, y]}\n",
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:7:51: data.train.features[1]: the column 'y' is what the model predicts")),
                Arguments.of("csv label as a feature", NET + "data:\n  train: {csv: a.csv, label: y, features: [y]}\n",
                        ErrorCode.CONFIG_INVALID, List.of("data.train.features[0]: the column 'y' is what the model predicts")),
                Arguments.of("parquet feature named twice", NET + "training: {distributed: {master: local}}\n"
                        + "data:\n  train: {parquet: rows.parquet, label: y, features: [a, b, a]}\n",
                        ErrorCode.CONFIG_INVALID, List.of("data.train.features[2]: the column 'a' is named twice")),
                Arguments.of("csv target named twice", NET + "data:\n  train: {csv: a.csv, targets: [y, y]}\n",
                        ErrorCode.CONFIG_INVALID, List.of("data.train.targets[1]: the column 'y' is named twice")),
                Arguments.of("parquet partitions not shards", NET + "training: {shards: 1, distributed: {master: 'local[2]', partitions: 2}}\n"
                        + "data:\n  train: {parquet: rows.parquet, label: y, features: [a]}\n",
                        ErrorCode.CONFIG_INVALID, List.of("set training.shards to 2 instead of training.distributed.partitions")),
                Arguments.of("ragged inline rows", "network:\n  layers: [{dense: 1}]\ndata:\n  train: {inline: {inputs: [[1, 2], [3]], targets: [[1], [0]]}}\n",
                        ErrorCode.CONFIG_INVALID, List.of("data.train.inline.inputs[1]: this row has 1 values but row 0 has 2.")),
                Arguments.of("inf in inline data", "network:\n  layers: [{dense: 1}]\ndata:\n  train: {inline: {inputs: [[.inf]], targets: [[1]]}}\n",
                        ErrorCode.CONFIG_INVALID, List.of("data.train.inline.inputs[0][0]: expected a finite number, got Infinity.")),
                Arguments.of("empty document", "", ErrorCode.CONFIG_INVALID, List.of("c.yaml: the file is empty")),
                Arguments.of("not a mapping", "- 1\n- 2\n", ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:1:1: expected a mapping (key: value pairs), got a list.")),
                Arguments.of("global tag", "network: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://localhost/\"]]]]\n" + XOR,
                        ErrorCode.CONFIG_INVALID, List.of("c.yaml:1:10: unsafe YAML refused: the tag 'tag:yaml.org,2002:javax.script.ScriptEngineManager'")),
                Arguments.of("local tag", "network: !custom {layers: [{dense: 1}]}\n" + XOR, ErrorCode.CONFIG_INVALID,
                        List.of("c.yaml:1:10: network: the tag '!custom' is not allowed")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigurationGivesOneLocatedError(String what, String yaml, ErrorCode code, List<String> fragments) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> prepare(file))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(code))
                .satisfies(e -> {
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment.replace("c.yaml", file.toString()));
                    }
                });
    }

    @Test
    void billionLaughsIsRefusedWithoutExpanding() throws IOException {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        char previous = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            yaml.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                yaml.append(i == 0 ? "" : ", ").append('*').append(previous);
            }
            yaml.append("]\n");
            previous = c;
        }
        Path file = write(yaml.toString());
        assertThatThrownBy(() -> prepare(file)).hasMessageContaining("unsafe YAML refused: more than 50 aliases")
                .hasMessageContaining("billion laughs");
    }

    @Test
    void deepNestingIsRefused() throws IOException {
        Path file = write("network: " + "[".repeat(200) + "]".repeat(200) + "\n" + XOR);
        assertThatThrownBy(() -> prepare(file)).isInstanceOf(ConfigException.class).hasMessageContaining("nested more than 50 levels deep");
    }

    @Test
    void oversizedDocumentIsRefusedBeforeParsing() throws IOException {
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, "name: x\n# " + "x".repeat((int) YamlDocuments.MAX_BYTES) + "\n");
        assertThatThrownBy(() -> prepare(file)).hasMessageContaining("bytes; configurations may be at most " + YamlDocuments.MAX_BYTES);
    }

    @Test
    void missingFileIsAnIoError() {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> prepare(file))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_FAILED))
                .hasMessageContaining("nope.yaml: no such file.");
    }

    @Test
    void splitsMustBeFractions() throws IOException {
        Path file = write(NET + "data:\n  train: {synthetic: xor}\n  test-split: 1.5\n");
        assertThatThrownBy(() -> prepare(file)).hasMessageContaining(file + ":8:15: data.test-split: expected a fraction between 0 and 1");
    }

    @Test
    void overridesApplyAndBadOverridesAreNamed() throws IOException {
        Path file = write(NET + XOR);
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        ExperimentConfig config = runner.load(file, List.of("training.epochs=7", "network.layers[1].activation=relu",
                "optimizer={name: adam, learning-rate: 0.01}"));
        assertThat(config.training().epochs()).isEqualTo(7);
        assertThat(((ExperimentConfig.ActivationSpec) config.network().layers().get(1)).activation().name()).isEqualTo("relu");
        assertThat(config.optimizer().parameters()).containsEntry("learning-rate", 0.01);
        assertThatThrownBy(() -> runner.load(file, List.of("network.layers[9].dense=3")))
                .hasMessageContaining("--set 'network.layers[9].dense=3': network.layers[9]: no such item; the list has 3 items.");
        // A bad value given with --set is located at the --set argument, not at a line of the file.
        assertThatThrownBy(() -> runner.prepare(runner.load(file, List.of("training.epochs=abc"))))
                .hasMessageStartingWith("[BP-401] --set 'training.epochs=abc': training.epochs: expected a whole number >= 1")
                .hasMessageNotContaining("c.yaml");
        assertThatThrownBy(() -> runner.prepare(runner.load(file, List.of("optimizer={name: adamm}"))))
                .hasMessageStartingWith("[BP-102] --set 'optimizer={name: adamm}': optimizer.name: Unknown optimizer 'adamm'. "
                        + "Did you mean 'adam'? Available optimizers:");
        assertThatThrownBy(() -> runner.load(file, List.of("name=" + "n".repeat(100_000))))
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
        assertThatThrownBy(() -> runner.load(file, List.of("epochs")))
                .hasMessageContaining("expected key.path=value");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static void prepare(Path file) {
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        runner.prepare(runner.load(file, List.of()));
    }

    @Test
    void binaryContentIsNamedInTheSdksWords() throws java.io.IOException {
        Path binary = java.nio.file.Files.write(dir.resolve("binary.yaml"), new byte[] {'n', 'a', 'm', 'e', ':', ' ', 0, 'x', '\n'});
        assertThatThrownBy(() -> new ExperimentRunner(REGISTRY).load(binary, List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.code()).isEqualTo(dev.backprop.api.ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("binary content").hasMessageNotContaining("LimitException").hasMessageNotContaining("dev.backprop");
    }

    @Test
    void anUnknownKeyAddedBySetIsReportedAtTheSetArgument() throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("ok.yaml"), NET + "data:\n  train: {synthetic: xor}\n");
        assertThatThrownBy(() -> new ExperimentRunner(REGISTRY).load(file, List.of("training.epoch=5")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("[BP-401] --set 'training.epoch=5'")
                .hasMessageContaining("unknown key 'epoch'").hasMessageNotContaining("ok.yaml:1:1");
        assertThatThrownBy(() -> new ExperimentRunner(REGISTRY).load(file, List.of("training.nested.deeper=5")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("[BP-401] --set 'training.nested.deeper=5'")
                .hasMessageContaining("unknown key 'nested'");
    }
}
