package dev.backprop.core.config;

import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An experiment as it crosses the wire to a cluster: the YAML text, its {@code --set} overrides, and the
 * folder its relative paths resolve against. Data files and plugin folders are named by path, so every
 * executor must be able to read them at the same path; nothing else is shipped.
 *
 * @param text the configuration file's text
 * @param shownName how messages name the file (its path as the user gave it)
 * @param baseDirectory the absolute folder relative paths in the file resolve against
 * @param overrides {@code key.path=value} overrides, applied in order
 * @param pluginVersions the version of each plugin the experiment uses on the driver, keyed like the
 *     {@code versions.plugins} of a run's {@code config.yaml} ({@code "optimizer adam"}); an executor
 *     refuses to run with other versions. Empty: not checked.
 * @param pluginFolders absolute plugin folders the driver loaded besides its class path (the command
 *     line's {@code --plugins}); executors load them too, so they must exist at the same path there
 *
 * @serial exclude
 */
public record ExperimentSource(String text, String shownName, String baseDirectory, List<String> overrides,
        Map<String, String> pluginVersions, List<String> pluginFolders) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The largest configuration file read, in bytes. */
    public static final long MAX_BYTES = 8L * 1024 * 1024;

    /**
     * Checks and copies.
     *
     * @param text the configuration file's text
     * @param shownName how messages name the file (its path as the user gave it)
     * @param baseDirectory the absolute folder relative paths in the file resolve against
     * @param overrides {@code key.path=value} overrides, applied in order
     * @param pluginVersions the version of each plugin the experiment uses on the driver, keyed like the
     *     {@code versions.plugins} of a run's {@code config.yaml} ({@code "optimizer adam"}); an executor
     *     refuses to run with other versions. Empty: not checked.
     * @param pluginFolders absolute plugin folders the driver loaded besides its class path (the command
     *     line's {@code --plugins}); executors load them too, so they must exist at the same path there
     */
    public ExperimentSource {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(shownName, "shownName");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        overrides = List.copyOf(overrides);
        pluginVersions = Map.copyOf(pluginVersions);
        pluginFolders = List.copyOf(pluginFolders);
    }

    /**
     * A source whose plugin versions are not checked.
     *
     * @param text the configuration file's text
     * @param shownName how messages name the file
     * @param baseDirectory the absolute folder relative paths resolve against
     * @param overrides {@code key.path=value} overrides
     */
    public ExperimentSource(String text, String shownName, String baseDirectory, List<String> overrides) {
        this(text, shownName, baseDirectory, overrides, Map.of(), List.of());
    }

    /**
     * @param file a YAML experiment file
     * @param overrides {@code key.path=value} overrides
     * @return the file's text with its overrides
     * @throws ConfigException if the file cannot be read or is larger than a configuration may be
     */
    public static ExperimentSource read(Path file, List<String> overrides) {
        String shown = file.toString();
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ConfigException(ErrorCode.CONFIG_INVALID, shown, 0, 0, "", "the file is " + size
                        + " bytes; configurations may be at most " + MAX_BYTES + " bytes.", null);
            }
            String text;
            // Decoded as YamlDocuments.read decodes a file: UTF-8, or UTF-16/32 after a byte-order mark, which is dropped.
            try (Reader reader = dev.backprop.core.io.Encodings.unicodeReader(Files.newInputStream(file))) {
                StringWriter out = new StringWriter();
                reader.transferTo(out);
                text = out.toString();
            }
            Path base = file.toAbsolutePath().getParent();
            return new ExperimentSource(text, shown, base.toString(), overrides);
        } catch (NoSuchFileException e) {
            throw new ConfigException(ErrorCode.IO_FAILED, shown, 0, 0, "", "no such file.", e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw ConfigException.notUtf8(file, shown, e);
        } catch (IOException e) {
            throw new ConfigException(ErrorCode.IO_FAILED, shown, 0, 0, "", "could not be read: " + e.getMessage(), e);
        }
    }

    /** @return the experiment's name when the file does not give one: the file name without {@code .yaml} */
    public String fallbackName() {
        String name = Path.of(shownName).getFileName().toString();
        return name.replaceFirst("\\.ya?ml$", "");
    }

    /**
     * @param more overrides applied after these
     * @return this source with more overrides
     */
    public ExperimentSource withOverrides(List<String> more) {
        List<String> all = new java.util.ArrayList<>(overrides);
        all.addAll(more);
        return new ExperimentSource(text, shownName, baseDirectory, all, pluginVersions, pluginFolders);
    }

    /**
     * @param versions the driver's plugin versions for this experiment
     * @return this source, carrying them for executors to check
     */
    public ExperimentSource withPluginVersions(Map<String, String> versions) {
        return new ExperimentSource(text, shownName, baseDirectory, overrides, versions, pluginFolders);
    }

    /**
     * @param registry the driver's plugins
     * @return this source, naming the plugin folders that registry loaded, for executors to load too
     */
    public ExperimentSource withPluginFoldersOf(dev.backprop.core.plugin.PluginRegistry registry) {
        return new ExperimentSource(text, shownName, baseDirectory, overrides, pluginVersions,
                registry.folders().stream().map(Path::toString).toList());
    }
}
