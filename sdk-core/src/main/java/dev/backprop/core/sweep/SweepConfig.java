package dev.backprop.core.sweep;

import dev.backprop.api.BackpropException;
import dev.backprop.core.config.ConfigException;
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
 * @param origins where each override was written in the sweep file, so that an error in it is reported there
 */
public record SweepConfig(Path file, Path base, List<List<String>> trials, String metric, Map<String, Origin> origins) {
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
     * @param origins where each override was written in the sweep file
     */
    public SweepConfig {
        trials = trials.stream().map(List::copyOf).toList();
        origins = Map.copyOf(origins);
    }

    /**
     * Where one value of a sweep was written.
     *
     * @param line the 1-based line in the sweep file
     * @param column the 1-based column
     * @param key the key path in the sweep file, for example {@code grid.optimizer.learning-rate[1]}
     */
    public record Origin(int line, int column, String key) {
    }

    /**
     * @param e an error in loading a trial's configuration
     * @return the same error located in the sweep file, where the override at fault was written; {@code e}
     *     itself if no override of this sweep is at fault
     */
    public BackpropException locate(BackpropException e) {
        if (!(e instanceof ConfigException located) || !located.file().startsWith(YamlDocuments.OVERRIDE_PREFIX)) {
            return e;
        }
        for (Map.Entry<String, Origin> origin : origins.entrySet()) {
            if (located.file().equals(YamlDocuments.overrideLabel(origin.getKey()))) {
                String prefix = located.file() + ": ";
                String detail = e.detail().startsWith(prefix) ? e.detail().substring(prefix.length()) : e.detail();
                Origin o = origin.getValue();
                return new ConfigException(e.code(), file.toString(), o.line(), o.column(), o.key(), detail, e);
            }
        }
        return e;
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
        Map<String, Origin> origins = new LinkedHashMap<>();
        Map<String, ConfigNode> swept = new LinkedHashMap<>();
        if (entries.containsKey("grid")) {
            for (Map.Entry<String, ConfigNode> axis : entries.get("grid").entries().entrySet()) {
                checkOrder(swept, axis.getKey(), axis.getValue());
                List<String> values = values(axis.getKey(), axis.getValue(), origins);
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
            parameters.entries().forEach((key, node) -> {
                checkOrder(swept, key, node);
                choices.put(key, values(key, node, origins));
            });
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
        return new SweepConfig(file, base, trials, metric, origins);
    }

    /**
     * Overrides apply in order, grid first: a key set after one of its children (or a key set twice)
     * would silently replace that child's values, so it is refused, naming both.
     */
    private static void checkOrder(Map<String, ConfigNode> earlier, String key, ConfigNode node) {
        String path = normal(key);
        for (Map.Entry<String, ConfigNode> before : earlier.entrySet()) {
            String other = normal(before.getKey());
            ConfigNode at = before.getValue();
            String there = at.file() + ":" + at.line() + ":" + at.column();
            if (other.equals(path)) {
                throw node.error("'" + key + "' is already swept by " + at.path() + " (" + there + "); the later values would "
                        + "replace the earlier ones in every trial. Sweep each key once.");
            }
            if (other.startsWith(path + ".") || other.startsWith(path + "[")) {
                throw node.error("sets the whole of '" + key + "', which replaces " + at.path() + " (" + there + "), set before "
                        + "it: those values would be lost in every trial. Put '" + key + "' first, so that '" + before.getKey()
                        + "' is set inside each of its values, or give the values of '" + before.getKey() + "' inside the values of '"
                        + key + "'.");
            }
        }
        earlier.put(key, node);
    }

    private static String normal(String key) {
        return key.replaceAll("\\s+", "");
    }

    /** The settings of one swept key as {@code key=value} overrides: a list of values or {@code range(n)}. */
    private static List<String> values(String key, ConfigNode node, Map<String, Origin> origins) {
        List<String> out = new ArrayList<>();
        if (node.isScalar()) {
            Matcher range = RANGE.matcher(node.string().trim());
            if (!range.matches()) {
                throw node.error("expected a list of values or range(n), got " + node.describe() + ".");
            }
            int n = Integer.parseInt(range.group(1));
            for (int i = 0; i < n; i++) {
                out.add(key + "=" + i);
                origins.put(key + "=" + i, new Origin(node.line(), node.column(), node.path()));
            }
        } else {
            for (ConfigNode item : node.list()) {
                // The value as written (plain or quoted), so that it reads as it would in the base file.
                String setting = key + "=" + YamlDocuments.oneLine(item);
                out.add(setting);
                origins.putIfAbsent(setting, new Origin(item.line(), item.column(), item.path()));
            }
        }
        if (out.isEmpty()) {
            throw node.error("expected at least one value to try.");
        }
        return out;
    }
}
