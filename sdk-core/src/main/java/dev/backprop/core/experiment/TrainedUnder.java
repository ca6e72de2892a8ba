package dev.backprop.core.experiment;

import dev.backprop.core.config.yaml.YamlDocuments;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The settings of a run that change what it computes, as a checkpoint records them: every leaf of the
 * resolved configuration (the run's {@code config.yaml}, plugin versions included) by key path, except
 * the keys in {@link #NOT_ARITHMETIC}. A checkpoint whose settings differ from its run's is another run's.
 */
final class TrainedUnder {
    /**
     * Keys that change no weight: the run's name, how many epochs it plans (a resume may raise them),
     * printing, checkpoint frequency, where a cluster runs, where plugin jars are found (their versions do
     * count) and the SDK's own version. docs/config.md lists them.
     */
    static final List<String> NOT_ARITHMETIC = List.of("name", ResumeCheck.EPOCHS, "training.trace", "training.checkpoint",
            "training.distributed.master", "plugins", "versions.sdk");

    private TrainedUnder() {
    }

    /**
     * @param resolvedYaml the text of a run's {@code config.yaml}
     * @param shownName how to name the text in messages
     * @return its settings that change the arithmetic, by key path, each value as text
     */
    static SortedMap<String, String> settings(String resolvedYaml, String shownName) {
        Map<String, Object> all = ResumeCheck.flatten(YamlDocuments.parse(resolvedYaml, shownName).plain());
        SortedMap<String, String> settings = new TreeMap<>();
        all.forEach((key, value) -> {
            if (NOT_ARITHMETIC.stream().noneMatch(k -> key.equals(k) || key.startsWith(k + ".") || key.startsWith(k + "["))) {
                settings.put(key, text(value));
            }
        });
        return settings;
    }

    /** Numbers by value, so {@code 16} and {@code 16.0} are the same setting. */
    static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return "{}";
        }
        return String.valueOf(value);
    }
}
