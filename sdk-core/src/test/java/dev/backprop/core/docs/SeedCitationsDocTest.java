package dev.backprop.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Users of the SDK do not have the project's internal derivation notes ("seed 001" and so on), so no
 * main source file and no user document may cite them; they cite docs/derivation.md and the literature.
 */
class SeedCitationsDocTest {
    private static final Path ROOT = Path.of("..");
    /** "seed 001", "Seed 003's", "seeds 000-004", "seeds 000 and 001", or a path into the notes' folder. */
    static final Pattern CITATION = Pattern.compile("(?i)\\bseeds?\\s+0\\d\\d\\b|shared/seeds");

    private static List<Path> files(Path start, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(start)) {
            return walk.filter(p -> p.toString().endsWith(suffix))
                    .filter(p -> !p.toString().contains(java.io.File.separator + "target" + java.io.File.separator))
                    .toList();
        }
    }

    private static List<String> citations(List<Path> files) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (CITATION.matcher(lines.get(i)).find()) {
                    found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        return found;
    }

    @Test
    void thePatternFindsTheFormsOnceUsed() {
        assertThat(List.of("(seed 001)", "Seed 003's", "seeds 000-004", "seeds 000 and 001", "../shared/seeds/README.md"))
                .allMatch(text -> CITATION.matcher(text).find());
        assertThat(List.of("seed 42", ".seed(7)", "the seed of the shuffle", "seed: 1"))
                .noneMatch(text -> CITATION.matcher(text).find());
    }

    @Test
    void noMainSourceCitesTheSeedNotes() throws IOException {
        List<Path> sources = files(ROOT, ".java").stream()
                .filter(p -> p.toString().contains("src" + java.io.File.separator + "main"))
                .toList();
        assertThat(sources).as("main sources found from " + ROOT.toAbsolutePath()).hasSizeGreaterThan(100);
        assertThat(citations(sources)).as("main sources citing the seed notes").isEmpty();
    }

    @Test
    void noUserDocumentOrConfigCitesTheSeedNotes() throws IOException {
        List<Path> documents = new ArrayList<>(files(ROOT.resolve("docs"), ".md"));
        documents.add(ROOT.resolve("README.md"));
        documents.addAll(files(ROOT.resolve("config"), ".yaml"));
        assertThat(documents).contains(ROOT.resolve("docs").resolve("derivation.md"));
        assertThat(citations(documents)).as("documents citing the seed notes").isEmpty();
    }
}
