package dev.backprop.core.sweep;

import dev.backprop.core.config.yaml.ConfigNode;
import dev.backprop.core.config.yaml.YamlDocuments;
import dev.backprop.core.plugin.NameSuggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A hyper-parameter sweep: a base experiment and the settings to try, as a grid (every combination)
 * and/or seeded random draws. Each trial is the base experiment with {@code --set}-style overrides, so any
 * configuration key can be swept ({@code optimizer.learning-rate}, {@code network.layers[0].dense},
 * {@code seed}). See {@code docs/sweeps.md}.
 *
 * @param file the sweep file, for messages
 * @param base the base experiment file
 * @param trials the trials in order, each a list of {@code key=value} overrides
 * @param metric what ranks the trials
 */
public record SweepConfig(Path file, Path base, List<List<String>> trials, String metric) {
    /** The metrics a sweep can rank by; the first two are minimised, the others maximised. */
    public static final List<String> METRICS = List.of("validation-loss", "train-loss", "validation-accuracy", "test-accuracy");

    private static final List<String> KEYS = List.of("base", "grid", "random", "metric");
    private static final List<String> RANDOM_KEYS = List.of("trials", "seed", "parameters");
    private static final Pattern RANGE = Pattern.compile("range\\((\\d{1,6})\\)");
    private static final int MAX_TRIALS = 10_000;

    /**
     * Copies the lists.
     *
     * @param file the sweep file, for messages
     * @param base the base experiment file
     * @param trials the trials in order, each a list of {@code key=value} overrides
     * @param metric what ranks the trials
     */
    public SweepConfig {
        trials = trials.stream().map(List::copyOf).toList();
    }

    /** @return whether a lower metric is better */
    public boolean minimise() {
        return metric.endsWith("loss");
    }

    /**
     * @param file a sweep file
     * @return the sweep, checked (the base experiment is checked when its trials run)
     * @throws dev.backprop.core.config.ConfigException naming the file, line and key at the first problem
     */
    public static SweepConfig read(Path file) {
        ConfigNode root = YamlDocuments.read(file, file.toString());
        Map<String, ConfigNode> entries = root.mapping(KEYS);
        ConfigNode baseNode = entries.get("base");
        if (baseNode == null) {
            throw root.error("missing required key 'base' (the experiment file the trials start from).");
        }
        Path base = file.toAbsolutePath().getParent().resolve(baseNode.string()).normalize();
        List<List<String>> trials = new ArrayList<>();
        trials.add(List.of());
        if (entries.containsKey("grid")) {
            for (Map.Entry<String, ConfigNode> axis : entries.get("grid").entries().entrySet()) {
                List<String> values = values(axis.getKey(), axis.getValue());
                if ((long) trials.size() * values.size() > MAX_TRIALS) {
                    throw axis.getValue().error("the grid has more than " + MAX_TRIALS + " trials.");
                }
                List<List<String>> expanded = new ArrayList<>();
                for (List<String> trial : trials) {
                    for (String value : values) {
                        List<String> next = new ArrayList<>(trial);
                        next.add(value);
                        expanded.add(next);
                    }
                }
                if (expanded.size() > MAX_TRIALS) {
                    throw axis.getValue().error("the grid has more than " + MAX_TRIALS + " trials.");
                }
                trials = expanded;
            }
        }
        if (entries.containsKey("random")) {
            ConfigNode randomNode = entries.get("random");
            Map<String, ConfigNode> random = randomNode.mapping(RANDOM_KEYS);
            int count = random.containsKey("trials") ? random.get("trials").integer(1) : 10;
            if ((long) trials.size() * count > MAX_TRIALS) {
                // Checked before anything is drawn, so a huge count allocates nothing.
                throw (random.containsKey("trials") ? random.get("trials") : randomNode).error("the sweep would have "
                        + (long) trials.size() * count + " trials; at most " + MAX_TRIALS + " are allowed.");
            }
            long seed = random.containsKey("seed") ? random.get("seed").longValue() : 0;
            ConfigNode parameters = random.get("parameters");
            if (parameters == null) {
                throw randomNode.error("missing required key 'parameters' (the keys to draw, each with its list of values).");
            }
            Map<String, List<String>> choices = new LinkedHashMap<>();
            parameters.entries().forEach((key, node) -> choices.put(key, values(key, node)));
            SplittableRandom generator = new SplittableRandom(seed);
            List<List<String>> drawn = new ArrayList<>();
            for (List<String> trial : trials) {
                for (int i = 0; i < count; i++) {
                    List<String> next = new ArrayList<>(trial);
                    choices.values().forEach(options -> next.add(options.get(generator.nextInt(options.size()))));
                    drawn.add(next);
                }
            }
            if (drawn.size() > MAX_TRIALS) {
                throw randomNode.error("the sweep has more than " + MAX_TRIALS + " trials.");
            }
            trials = drawn;
        }
        String metric = "validation-loss";
        if (entries.containsKey("metric")) {
            ConfigNode metricNode = entries.get("metric");
            metric = metricNode.string();
            if (!METRICS.contains(metric)) {
                throw metricNode.error("unknown metric '" + metric + "'." + NameSuggestions.hint(metric, METRICS)
                        + " Allowed: " + String.join(", ", METRICS) + ".");
            }
        }
        return new SweepConfig(file, base, trials, metric);
    }

    /** The settings of one swept key as {@code key=value} overrides: a list of values or {@code range(n)}. */
    private static List<String> values(String key, ConfigNode node) {
        List<String> out = new ArrayList<>();
        if (node.isScalar()) {
            Matcher range = RANGE.matcher(node.string().trim());
            if (!range.matches()) {
                throw node.error("expected a list of values or range(n), got " + node.describe() + ".");
            }
            int n = Integer.parseInt(range.group(1));
            for (int i = 0; i < n; i++) {
                out.add(key + "=" + i);
            }
        } else {
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
            options.setWidth(Integer.MAX_VALUE);
            Yaml yaml = new Yaml(options);
            for (ConfigNode item : node.list()) {
                out.add(key + "=" + yaml.dump(item.plain()).trim());
            }
        }
        if (out.isEmpty()) {
            throw node.error("expected at least one value to try.");
        }
        return out;
    }
}
