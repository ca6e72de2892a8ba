package dev.backprop.cli;

import static dev.backprop.cli.InProcessCli.run;

import dev.backprop.cli.InProcessCli.Run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is replaced by surprise: the files of {@code import}, {@code export}, {@code predict} and
 * {@code evaluate} replace an existing file only when it is the command's own earlier output (recognised
 * from the file) or with {@code --overwrite}; a symbolic link is never written through or replaced; a lock
 * naming another host is refused until {@code --break-lock}; {@code --overwrite} of a run stops at a planted link.
 */
class OutputReplacementTest {
    private static final Path CONFIG = Path.of("..", "config").toAbsolutePath().normalize();
    private static final String IRIS_CSV = CONFIG.resolve("data/iris.csv").toString();
    private static final String NOTES = "{\"my\": \"notes\"}\n";

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path model;
    static Path onnx;

    @BeforeAll
    static void aModelAndItsOnnxFile() {
        Run train = run("train", CONFIG.resolve("iris.yaml").toString(), "--set", "training.epochs=2", "--out",
                shared.resolve("iris").toString(), "--quiet");
        assertThat(train.code()).as(train.err()).isZero();
        model = shared.resolve("iris/model.json");
        onnx = shared.resolve("iris.onnx");
        Run export = run("export", "--model", model.toString(), "--out", onnx.toString());
        assertThat(export.code()).as(export.err()).isZero();
    }

    private static void refused(Run run, Path file, String why) {
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: [" + ErrorCode.OUTPUT_EXISTS.id() + "] " + file + ": " + why).hasLineCount(1);
    }

    @Test
    void importReplacesAModelFileButNotTheUsersNotes() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.json"), NOTES);
        Run refused = run("import", "--onnx", onnx.toString(), "--out", notes.toString());
        refused(refused, notes, "already exists and is not a model file the SDK wrote (\"format\": \"backprop-model\")");
        assertThat(refused.err()).contains("Pass --overwrite to replace it, or give --out another path.");
        assertThat(notes).hasContent(NOTES.strip());

        // A JSON object that merely mentions the format later on is not a model file either.
        Files.writeString(notes, "{\"title\": \"x\", \"format\": \"backprop-model\"}");
        refused(run("import", "--onnx", onnx.toString(), "--out", notes.toString()), notes, "already exists");

        Run forced = run("import", "--onnx", onnx.toString(), "--out", notes.toString(), "--overwrite");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(notes).content().startsWith("{\n  \"format\" : \"backprop-model\"");
        // Its own earlier output (any model file the SDK wrote) is replaced without --overwrite.
        Run again = run("import", "--onnx", onnx.toString(), "--out", notes.toString());
        assertThat(again.code()).as(again.err()).isZero();
    }

    @Test
    void exportReplacesItsOwnOnnxFileButNotAnotherFile() throws IOException {
        Path target = dir.resolve("m.onnx");
        assertThat(run("export", "--model", model.toString(), "--out", target.toString()).code()).isZero();
        byte[] first = Files.readAllBytes(target);
        Run own = run("export", "--model", model.toString(), "--out", target.toString(), "--precision", "float64");
        assertThat(own.code()).as(own.err()).isZero();
        assertThat(Files.readAllBytes(target)).isNotEqualTo(first);

        // An ONNX file of another producer, and a model.json, are not export's.
        Path foreign = Files.write(dir.resolve("foreign.onnx"), new byte[] {8, 7, 18, 7, 'p', 'y', 't', 'o', 'r', 'c', 'h'});
        byte[] before = Files.readAllBytes(foreign);
        refused(run("export", "--model", model.toString(), "--out", foreign.toString()), foreign,
                "already exists and is not an ONNX file this SDK exported (producer_name backprop-sdk)");
        assertThat(Files.readAllBytes(foreign)).isEqualTo(before);
        Path json = Files.copy(model, dir.resolve("model-copy.json"));
        refused(run("export", "--model", model.toString(), "--out", json.toString()), json, "already exists");
        assertThat(json).hasSameTextualContentAs(model);
        Run forced = run("export", "--model", model.toString(), "--out", foreign.toString(), "--overwrite");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Files.readAllBytes(foreign)).isEqualTo(first);
    }

    @Test
    void predictNeverReplacesAnExistingOutputWithoutOverwrite() throws IOException {
        Path output = dir.resolve("predictions.csv");
        Run first = run("predict", "--model", model.toString(), "--input", "5.1,3.5,1.4,0.2", "--output", output.toString());
        assertThat(first.code()).as(first.err()).isZero();
        String written = Files.readString(output);
        // Even its own earlier predictions: plain CSV carries no mark of who wrote it.
        Run second = run("predict", "--model", model.toString(), "--input", "6.7,3.0,5.2,2.3", "--output", output.toString());
        refused(second, output, "already exists and is not recognisable as earlier predictions");
        assertThat(second.err()).contains("--overwrite", "--output another path");
        assertThat(output).hasContent(written.strip());
        Run forced = run("predict", "--model", model.toString(), "--input", "6.7,3.0,5.2,2.3", "--output", output.toString(), "--overwrite");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(output).content().contains("virginica").doesNotContain("setosa\n");
    }

    @Test
    void evaluateReplacesTheConfusionMatrixItDrewButNotAnotherPicture() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("eval"));
        Path picture = Files.writeString(folder.resolve("confusion.png"), "my own drawing");
        Run refused = run("evaluate", "--model", model.toString(), "--data", IRIS_CSV, "--out", folder.toString());
        refused(refused, picture, "already exists and is not a confusion matrix evaluate drew");
        assertThat(refused.out()).as("refused before any work").isEmpty();
        assertThat(picture).hasContent("my own drawing");

        Run forced = run("evaluate", "--model", model.toString(), "--data", IRIS_CSV, "--out", folder.toString(), "--overwrite");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Plots.isDrawnFile(picture)).isTrue();
        Run own = run("evaluate", "--model", model.toString(), "--data", IRIS_CSV, "--out", folder.toString());
        assertThat(own.code()).as(own.err()).isZero();
        assertThat(own.out()).contains("confusion matrix drawn in " + picture);
        // A PNG of the same size and chunks but without the mark is not evaluate's.
        Files.write(picture, Files.readString(picture, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("Software\0backprop", "Software\0someone").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(Plots.isDrawnFile(picture)).isFalse();
        refused(run("evaluate", "--model", model.toString(), "--data", IRIS_CSV, "--out", folder.toString()), picture, "already exists");
    }

    @Test
    void anOutputPathThatIsALinkIsRefusedEvenWithOverwriteAndNothingBehindItChanges() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), NOTES);
        Path link = Files.createSymbolicLink(dir.resolve("link.out"), victim);
        Path folderLink = Files.createSymbolicLink(dir.resolve("folder-link"), Files.createDirectories(dir.resolve("folder")));
        Path pictureLink = Files.createSymbolicLink(Files.createDirectories(dir.resolve("pictures")).resolve("confusion.png"), victim);
        List<List<String>> commands = List.of(
                List.of("import", "--onnx", onnx.toString(), "--out", link.toString()),
                List.of("export", "--model", model.toString(), "--out", link.toString()),
                List.of("predict", "--model", model.toString(), "--input", "5.1,3.5,1.4,0.2", "--output", link.toString()),
                List.of("evaluate", "--model", model.toString(), "--data", IRIS_CSV, "--out", folderLink.toString()),
                List.of("evaluate", "--model", model.toString(), "--data", IRIS_CSV, "--out", pictureLink.getParent().toString()));
        for (List<String> command : commands) {
            for (boolean overwrite : new boolean[] {false, true}) {
                List<String> args = new java.util.ArrayList<>(command);
                if (overwrite) {
                    args.add("--overwrite");
                }
                Run run = run(args.toArray(String[]::new));
                Path named = command.get(command.size() - 1).equals(link.toString()) ? link
                        : command.get(command.size() - 1).equals(folderLink.toString()) ? folderLink : pictureLink;
                refused(run, named, "is a symbolic link (to " + Files.readSymbolicLink(named) + "); backprop neither writes through "
                        + "a link nor replaces one, even with --overwrite.");
            }
        }
        assertThat(victim).hasContent(NOTES.strip());
        assertThat(List.of(link, folderLink, pictureLink)).allMatch(Files::isSymbolicLink);
        try (var left = Files.list(dir.resolve("folder"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anOutputPathThatIsAFolderIsRefused() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("out.json"));
        refused(run("import", "--onnx", onnx.toString(), "--out", folder.toString(), "--overwrite"), folder, "is a folder, not a file");
        assertThat(folder).isDirectory();
    }

    private Path trainedRun(String name) {
        Path out = dir.resolve(name);
        Run train = run("train", CONFIG.resolve("xor.yaml").toString(), "--set", "training.epochs=2", "--set", "training.checkpoint.every=1",
                "--out", out.toString(), "--quiet");
        assertThat(train.code()).as(train.err()).isZero();
        return out;
    }

    @Test
    void trainAndSweepRefuseALockOfAnotherHostUntilBreakLock() throws IOException {
        Path out = trainedRun("run");
        Path lock = Files.writeString(out.resolve(".backprop.lock"), "pid 4121 on host lab-3.example\n");
        Run refused = run("train", CONFIG.resolve("xor.yaml").toString(), "--set", "training.epochs=3", "--set", "training.checkpoint.every=1",
                "--resume", out.toString());
        assertThat(refused.code()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: [BP-504] " + out + ": its lock (.backprop.lock) names pid 4121 on host lab-3.example, "
                + "another host").contains("pass --break-lock to take it over").hasLineCount(1);
        assertThat(lock).hasContent("pid 4121 on host lab-3.example");
        Run broken = run("train", CONFIG.resolve("xor.yaml").toString(), "--set", "training.epochs=3", "--set", "training.checkpoint.every=1",
                "--resume", out.toString(), "--break-lock", "--quiet");
        assertThat(broken.code()).as(broken.err()).isZero();
        assertThat(out.resolve("metrics.csv")).content().hasLineCount(4);
        assertThat(lock).doesNotExist();

        Path sweep = Files.writeString(dir.resolve("sweep.yaml"), "base: " + CONFIG.resolve("xor.yaml") + "\n"
                + "grid:\n  training.epochs: [1, 2]\nmetric: train-loss\n");
        Path sweepOut = Files.createDirectories(dir.resolve("sweep"));
        Files.writeString(sweepOut.resolve(".backprop.lock"), "pid 77 on host other-machine\n");
        Run sweepRefused = run("sweep", sweep.toString(), "--out", sweepOut.toString());
        assertThat(sweepRefused.code()).as(sweepRefused.err()).isEqualTo(2);
        assertThat(sweepRefused.err()).contains("[BP-504]", "pid 77 on host other-machine, another host", "--break-lock");
        assertThat(sweepOut.resolve("sweep.csv")).doesNotExist();
        Run sweepBroken = run("sweep", sweep.toString(), "--out", sweepOut.toString(), "--break-lock");
        assertThat(sweepBroken.code()).as(sweepBroken.err()).isZero();
        assertThat(sweepOut.resolve("sweep.csv")).exists();
    }

    @Test
    void aSweepRerunStopsAtALinkPlantedInOneOfItsTrials() throws IOException {
        Path sweep = Files.writeString(dir.resolve("sweep.yaml"), "base: " + CONFIG.resolve("xor.yaml") + "\n"
                + "grid:\n  training.epochs: [1, 2]\nmetric: train-loss\n");
        Path sweepOut = dir.resolve("sweep");
        assertThat(run("sweep", sweep.toString(), "--out", sweepOut.toString()).code()).isZero();
        Path victim = Files.writeString(dir.resolve("victim.txt"), NOTES);
        Path planted = Files.createSymbolicLink(sweepOut.resolve("trial-0002/checkpoints-of-mine"), victim);
        Run rerun = run("sweep", sweep.toString(), "--out", sweepOut.toString());
        assertThat(rerun.code()).as(rerun.err()).isEqualTo(2);
        assertThat(rerun.err()).startsWith("error: [BP-505] " + sweepOut + ": trial-0002/checkpoints-of-mine is a symbolic link (to "
                + victim + ")");
        assertThat(Files.isSymbolicLink(planted)).isTrue();
        assertThat(victim).hasContent(NOTES.strip());
    }

    @Test
    void overwriteStopsAtALinkPlantedInTheOldRunAndANewRunsOutMayNotBeALink() throws IOException {
        Path out = trainedRun("run");
        Path victim = Files.writeString(dir.resolve("victim.txt"), NOTES);
        Files.delete(out.resolve("metrics.csv"));
        Path planted = Files.createSymbolicLink(out.resolve("metrics.csv"), victim);
        Run refused = run("train", CONFIG.resolve("xor.yaml").toString(), "--out", out.toString(), "--overwrite", "--quiet");
        assertThat(refused.code()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: [BP-505] " + out + ": metrics.csv is a symbolic link (to " + victim + ")")
                .contains("neither followed nor removed");
        assertThat(Files.isSymbolicLink(planted)).isTrue();
        assertThat(victim).hasContent(NOTES.strip());
        assertThat(out.resolve("model.json")).exists();

        Path link = Files.createSymbolicLink(dir.resolve("run-link"), Files.createDirectories(dir.resolve("elsewhere")));
        Run linked = run("train", CONFIG.resolve("xor.yaml").toString(), "--out", link.toString(), "--quiet");
        assertThat(linked.code()).as(linked.err()).isEqualTo(2);
        assertThat(linked.err()).startsWith("error: [BP-505] " + link + ": is a symbolic link (to " + dir.resolve("elsewhere") + ")");
        try (var left = Files.list(dir.resolve("elsewhere"))) {
            assertThat(left).isEmpty();
        }
    }
}
