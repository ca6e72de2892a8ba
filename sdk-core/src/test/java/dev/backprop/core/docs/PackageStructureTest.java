package dev.backprop.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The package structure, read from the main sources: no package cycles in any module, and sdk-core exports
 * exactly the packages an application or plugin author uses ({@code docs/architecture.md}).
 */
class PackageStructureTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern PACKAGE = Pattern.compile("^package ([a-z][a-z0-9_.]*);", Pattern.MULTILINE);
    /** A reference to a type of the SDK by its qualified name: in an import or inline in the code. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.backprop(?:\\.[a-z][a-z0-9_]*)+)\\.[A-Z]");

    @ParameterizedTest
    @ValueSource(strings = {"sdk-api", "sdk-core", "sdk-testkit", "sdk-cli", "sdk-spark", "plugins/activations", "plugins/losses",
        "plugins/optimizers", "plugins/initializers", "plugins/schedules"})
    void noModuleHasAPackageCycle(String module) throws IOException {
        Map<String, Set<String>> graph = dependencies(ROOT.resolve(module).resolve("src/main/java"));
        assertThat(cycles(graph)).as(module + ": packages that depend on each other, directly or through others").isEmpty();
    }

    @Test
    void theDependencyGraphOfTheCoreIsTheOneDocumented() throws IOException {
        Map<String, Set<String>> graph = dependencies(ROOT.resolve("sdk-core/src/main/java"));
        // The middle floor: the cluster side depends on the experiment and sweep packages, never the reverse.
        assertThat(graph.get("dev.backprop.core.cluster")).contains("dev.backprop.core.experiment", "dev.backprop.core.sweep");
        assertThat(graph.get("dev.backprop.core.experiment")).doesNotContain("dev.backprop.core.cluster", "dev.backprop.core.sweep");
        assertThat(graph.get("dev.backprop.core.sweep")).doesNotContain("dev.backprop.core.cluster");
        assertThat(graph.get("dev.backprop.core.config")).doesNotContain("dev.backprop.core.cluster", "dev.backprop.core.experiment",
                "dev.backprop.core.config.yaml");
        assertThat(graph.get("dev.backprop.core.training")).doesNotContain("dev.backprop.core.config", "dev.backprop.core.experiment");
        assertThat(graph.get("dev.backprop.core.network")).doesNotContain("dev.backprop.core.training", "dev.backprop.core.config");
        assertThat(graph.getOrDefault("dev.backprop.core.defaults", Set.of())).isEmpty();
    }

    @Test
    void theCoreExportsItsApiAndNothingElse() throws IOException {
        ModuleDescriptor core;
        try (InputStream in = Files.newInputStream(ROOT.resolve("sdk-core/target/classes/module-info.class"))) {
            core = ModuleDescriptor.read(in);
        }
        Map<String, Set<String>> exports = new TreeMap<>();
        for (ModuleDescriptor.Exports e : core.exports()) {
            exports.put(e.source(), new TreeSet<>(e.targets()));
        }
        assertThat(exports).containsOnlyKeys("dev.backprop.core", "dev.backprop.core.config", "dev.backprop.core.data",
                "dev.backprop.core.defaults", "dev.backprop.core.experiment", "dev.backprop.core.gradcheck",
                "dev.backprop.core.inject", "dev.backprop.core.model", "dev.backprop.core.network", "dev.backprop.core.plugin",
                "dev.backprop.core.sweep", "dev.backprop.core.training", "dev.backprop.core.cluster", "dev.backprop.core.io");
        // Exported only to the SDK's own modules: the command line starts cluster sweeps; it and the ONNX module write atomically.
        Set<String> qualified = Set.of("dev.backprop.core.cluster", "dev.backprop.core.io");
        for (String internal : qualified) {
            assertThat(exports.get(internal)).as(internal).isSubsetOf("dev.backprop.cli", "dev.backprop.onnx").contains("dev.backprop.cli");
        }
        assertThat(exports.entrySet().stream().filter(e -> !qualified.contains(e.getKey())))
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey() + " is exported to everyone").isEmpty());
        // Internals, not exported: the YAML node tree, the run directory's files, file I/O and the kernels.
        assertThat(dependencies(ROOT.resolve("sdk-core/src/main/java"))).containsKeys("dev.backprop.core.config.yaml",
                "dev.backprop.core.rundir", "dev.backprop.core.linalg", "dev.backprop.core.io");
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(cycles(graph)).containsExactly(List.of("a", "b", "c"));
        assertThat(cycles(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
    }

    /** Each package of a source tree and the packages of the same tree its files name. */
    private static Map<String, Set<String>> dependencies(Path sources) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java")
                    && !f.endsWith("package-info.java")).toList();
        }
        Map<Path, String> packages = new HashMap<>();
        for (Path file : files) {
            Matcher m = PACKAGE.matcher(Files.readString(file));
            assertThat(m.find()).as(file + " has a package").isTrue();
            packages.put(file, m.group(1));
            graph.putIfAbsent(m.group(1), new TreeSet<>());
        }
        for (Path file : files) {
            String own = packages.get(file);
            String text = Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
            Matcher m = REFERENCE.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (!target.equals(own) && graph.containsKey(target)) {
                    graph.get(own).add(target);
                }
            }
        }
        return graph;
    }

    /** The strongly connected components with more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> found = new ArrayList<>();
        int[] counter = {0};
        for (String node : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, found, counter);
            }
        }
        return found;
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
            Deque<String> stack, Set<String> onStack, List<List<String>> found, int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]++);
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, found, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                found.add(component.stream().sorted().collect(Collectors.toList()));
            }
        }
    }
}
