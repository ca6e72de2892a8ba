package dev.backprop.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Only this module knows protobuf and the ONNX schema; it reports through exceptions, never the console. */
class ModuleBoundaryTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void noOtherMainSourceUsesProtobufOrTheOnnxSchema() throws IOException {
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(ROOT)) {
            offenders = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("src" + java.io.File.separator + "main")
                    && !p.startsWith(ROOT.resolve("sdk-onnx")) && !p.toString().contains(java.io.File.separator + "target" + java.io.File.separator))
                    .filter(p -> {
                        try {
                            String text = Files.readString(p);
                            return text.contains("com.google.protobuf") || text.contains("ai.onnx.proto") || text.contains("org.tribuo");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
        assertThat(offenders).isEmpty();
        try (InputStream in = Files.newInputStream(ROOT.resolve("sdk-core/target/classes/module-info.class"))) {
            assertThat(ModuleDescriptor.read(in).requires()).extracting(ModuleDescriptor.Requires::name)
                    .doesNotContain("com.google.protobuf", "org.tribuo.util.onnx");
        }
        assertThat(Files.readString(ROOT.resolve("sdk-core/pom.xml"))).doesNotContain("protobuf").doesNotContain("tribuo");
    }

    @Test
    void theModuleReportsThroughExceptionsOnly() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain("System.out").doesNotContain("System.err")
                        .doesNotContain("printStackTrace");
            }
        }
    }
}
