package dev.backprop.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OnnxExporter#isExportedFile} recognises the files this SDK exported (which {@code export} may
 * replace) from their {@code producer_name}, and nothing else: other producers' models, damaged and foreign files.
 */
class ExportedFileTest {
    private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

    @TempDir
    Path dir;

    @Test
    void theSdksOwnExportsAreRecognisedAtEitherPrecision() throws Exception {
        for (Precision precision : Precision.values()) {
            Path file = dir.resolve(precision.label() + ".onnx");
            OnnxExporter.write(RoundTripTest.everyActivation(3, true), precision, file);
            assertThat(OnnxExporter.isExportedFile(file)).as(precision.label()).isTrue();
        }
    }

    @Test
    void otherProducersAndDamagedOrForeignFilesAreNot() throws Exception {
        for (String fixture : new String[] {"torch-mlp-f32.onnx", "torch-mlp-f64.onnx", "helper-gemm.onnx"}) {
            assertThat(OnnxExporter.isExportedFile(FIXTURES.resolve(fixture))).as(fixture).isFalse();
        }
        byte[] own = OnnxExporter.export(RoundTripTest.everyActivation(4, false), Precision.FLOAT32);
        // Cut inside the producer's name: a damaged file is not recognised.
        Path truncated = Files.write(dir.resolve("truncated.onnx"), Arrays.copyOf(own, 6));
        assertThat(OnnxExporter.isExportedFile(truncated)).isFalse();
        // The same model claiming another producer, one whose name merely starts like ours, and no producer at all.
        ModelProto proto = ModelProto.parseFrom(own);
        for (String producer : new String[] {"pytorch", OnnxExporter.PRODUCER + "-fork", ""}) {
            Path file = Files.write(dir.resolve("other.onnx"), proto.toBuilder().setProducerName(producer).build().toByteArray());
            assertThat(OnnxExporter.isExportedFile(file)).as("'" + producer + "'").isFalse();
        }
        Path notes = Files.writeString(dir.resolve("notes.json"), "{\"my\": \"notes\"}\n");
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertThat(OnnxExporter.isExportedFile(notes)).isFalse();
        assertThat(OnnxExporter.isExportedFile(empty)).isFalse();
        assertThat(OnnxExporter.isExportedFile(dir.resolve("missing.onnx"))).isFalse();
        assertThat(OnnxExporter.isExportedFile(dir)).as("a folder").isFalse();
    }
}
