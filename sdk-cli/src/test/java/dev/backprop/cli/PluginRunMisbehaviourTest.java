package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that end the JVM or never return while a run is under way (issue 21, class 6), each in a fresh JVM:
 * {@code System.exit(0)} in an activation's forward pass, in an optimizer's step or in a provider's
 * constructor is exit 1 with one error naming the plugin code, and a Ctrl-C while a plugin call never
 * returns says which call it is and that a second Ctrl-C ends the process.
 */
class PluginRunMisbehaviourTest {
    private static final String IDENTITY_PROVIDER = "public static final class Provider implements ActivationProvider {"
            + " public String name() { return \"%s\"; } public Activation create(PluginParameters p) { return new %s(); } }";

    @TempDir
    Path dir;

    /** An activation plugin {@code name} whose element-wise {@code apply} body is given. */
    private Path activation(String name, String className, String applyBody) throws Exception {
        return activation(name, className, "", applyBody);
    }

    /** As above, with more members of the activation class (fields, say). */
    private Path activation(String name, String className, String members, String applyBody) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        String source = "package com.example;\nimport dev.backprop.api.*;\n"
                + "public final class " + className + " extends ElementwiseActivation {\n"
                + "  " + members + "\n"
                + "  public double apply(double x) { " + applyBody + " }\n"
                + "  public double derivative(double n, double o) { return 1; }\n"
                + "  " + IDENTITY_PROVIDER.formatted(name, className) + "\n}\n";
        TestPluginJars.plugin(folder.resolve(name + ".jar"), "dev.backprop.api.ActivationProvider", className + "$Provider", source);
        return folder;
    }

    private Path config(String activation, String optimizer) throws Exception {
        Path csv = Files.writeString(dir.resolve("xor.csv"), "a,b,label\n0,0,no\n0,1,yes\n1,0,yes\n1,1,no\n");
        return Files.writeString(dir.resolve("c.yaml"), """
                name: misbehaving
                seed: 1
                network:
                  layers:
                    - dense: 3
                    - activation: %s
                    - dense: 2
                    - activation: softmax
                loss: cross-entropy
                optimizer: %s
                training: {epochs: 3, batch-size: 2}
                data:
                  train: {csv: %s, label: label}
                """.formatted(activation, optimizer, csv));
    }

    private LaunchedJvm.Result train(Path plugins, Path config) throws Exception {
        return LaunchedJvm.onClassPath(dir, List.of(), "--plugins", plugins.toString(), "train", config.toString(),
                "--out", dir.resolve("run").toString(), "--quiet");
    }

    @Test
    void systemExitZeroInAnActivationsForwardPassIsExitOneNamingThePlugin() throws Exception {
        Path plugins = activation("quitting", "Quitting", "System.exit(0); return x;");
        LaunchedJvm.Result result = train(plugins, config("quitting", "sgd"));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains("error: [BP-105] the process was told to exit (System.exit) by the plugin code "
                + "com.example.Quitting.apply (called from dev.backprop.core.network.ActivationLayer.forward), before the command finished");
        assertThat(dir.resolve("run/model.json")).doesNotExist();
    }

    @Test
    void systemExitZeroInAnOptimizersStepIsExitOneNamingThePlugin() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        String source = "package com.example;\nimport dev.backprop.api.*;\nimport java.util.List;\n"
                + "public final class Leaving implements Optimizer {\n"
                + "  public void bind(List<TrainableParameter> p) { }\n"
                + "  public void step() { System.exit(0); }\n"
                + "  public static final class Provider implements OptimizerProvider {\n"
                + "    public String name() { return \"leaving\"; }\n"
                + "    public Optimizer create(PluginParameters p) { return new Leaving(); }\n  }\n}\n";
        TestPluginJars.plugin(folder.resolve("leaving.jar"), "dev.backprop.api.OptimizerProvider", "Leaving$Provider", source);
        LaunchedJvm.Result result = train(folder, config("tanh", "leaving"));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains("error: [BP-105] the process was told to exit (System.exit) by the plugin code "
                + "com.example.Leaving.step (called from dev.backprop.core.training.TrainingLoop.batches)");
        assertThat(dir.resolve("run/model.json")).doesNotExist();
    }

    @Test
    void systemExitZeroInAProvidersConstructorEndsNoCommandWithSuccess() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJars.activation(folder.resolve("gone.jar"), "Gone", "public Gone() { System.exit(0); }\n"
                + " public String name() { return \"gone\"; }");
        LaunchedJvm.Result listing = LaunchedJvm.onClassPath(dir, List.of(), "--plugins", folder.toString(), "plugins");
        assertThat(listing.exitCode()).as(listing.err()).isEqualTo(1);
        assertThat(listing.err()).contains("error: [BP-105] the process was told to exit (System.exit) during "
                + "Constructing the activation provider com.example.Gone (", "gone.jar)");
        LaunchedJvm.Result training = train(folder, config("tanh", "sgd"));
        assertThat(training.exitCode()).as(training.err()).isEqualTo(1);
        assertThat(training.err()).contains("com.example.Gone (", "gone.jar)", "before the command finished");
        assertThat(dir.resolve("run/model.json")).doesNotExist();
    }

    /** A plugin that keeps every block it allocates fills the heap: one line naming it, never the JVM's own trace. */
    @Test
    void aPluginThatLeaksMemoryEndsTheRunWithOneLineNotAJvmTrace() throws Exception {
        Path plugins = activation("leaking", "Leaking", "static final java.util.List<long[]> KEPT = new java.util.ArrayList<>();",
                "KEPT.add(new long[1 << 20]); return x;");
        LaunchedJvm.Result result = LaunchedJvm.onClassPath(dir, List.of("-Xmx64m"), "--plugins", plugins.toString(), "train",
                config("leaking", "sgd").toString(), "--out", dir.resolve("run").toString(), "--quiet");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).doesNotContain("Exception in thread").doesNotContain("\tat ");
        assertThat(result.err()).satisfiesAnyOf(
                err -> assertThat(err).contains("error: [BP-105] layers[1] leaking(3) (activation plugin 'leaking', com.example.Leaking) "
                        + "threw in its forward pass: java.lang.OutOfMemoryError: Java heap space"),
                err -> assertThat(err).contains(Main.OUT_OF_MEMORY));
    }

    /**
     * The plugin announces on stderr that it is inside its call and then blocks on a latch nobody releases;
     * the test sends SIGINT only after reading that line, and the notice period is 0 s, so nothing races.
     */
    @Test
    void ctrlCWhileAPluginCallNeverReturnsNamesTheCallAndASecondCtrlCEndsTheProcess() throws Exception {
        Path plugins = activation("stuck", "Stuck", "System.err.println(\"inside the plugin\"); System.err.flush();"
                + " try { new java.util.concurrent.CountDownLatch(1).await(); } catch (InterruptedException e) { } return x;");
        Path config = config("stuck", "sgd");
        List<String> command = new ArrayList<>(LaunchedJvm.java());
        command.addAll(List.of("-D" + Interrupts.NOTICE_PROPERTY + "=0", "-cp", LaunchedJvm.runtimePath(), "dev.backprop.cli.Main",
                "--plugins", plugins.toString(), "train", config.toString(), "--out", dir.resolve("run").toString(), "--quiet"));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        // A hang detector only: a child that never ends is killed, so that the reads below see the end of its output.
        Thread detector = new Thread(() -> {
            try {
                if (!process.waitFor(300, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        });
        detector.setDaemon(true);
        detector.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            readUntil(err, lines, "inside the plugin");
            signal(process, "INT");
            String notice = readUntil(err, lines, "has not returned");
            assertThat(notice).contains("the plugin call com.example.Stuck.apply (called from dev.backprop.core.network.ActivationLayer"
                    + ".forward) in thread ", "Ctrl-C again to end the process at once (exit code 130");
            signal(process, "INT");
            process.waitFor();
        }
        assertThat(process.exitValue()).as(String.join("\n", lines)).isEqualTo(130);
        assertThat(lines).anyMatch(line -> line.startsWith("stopping after the current batch"));
    }

    private static String readUntil(BufferedReader err, List<String> lines, String text) throws Exception {
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            lines.add(line);
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("the process ended without printing '" + text + "':\n" + String.join("\n", lines));
    }

    private static void signal(Process process, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
