package dev.backprop.samples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import dev.backprop.core.inject.BackpropModule;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingAppTest {

    @Test
    void trainsSavesReloadsAndServesFromManyThreads(@TempDir Path dir) throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        EmbeddingApp app = Guice.createInjector(new BackpropModule(PluginRegistry.discover()), new EmbeddingApp.AppModule(out))
                .getInstance(EmbeddingApp.class);
        double[][] predictions = app.run(dir, 8);
        out.flush();
        assertThat(predictions[0][0]).isLessThan(0.1);
        assertThat(predictions[1][0]).isGreaterThan(0.9);
        assertThat(predictions[2][0]).isGreaterThan(0.9);
        assertThat(predictions[3][0]).isLessThan(0.1);
        assertThat(text.toString()).contains("epoch 500: loss", "epoch 2000: loss", "saved and reloaded", "served 1000 predictions from 8 threads");
        assertThat(dir.resolve("xor-model.json")).exists();
    }
}
