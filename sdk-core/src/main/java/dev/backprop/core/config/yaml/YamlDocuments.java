package dev.backprop.core.config.yaml;

import dev.backprop.core.config.ConfigException;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML safely: documents are only <em>composed</em> into a node tree (no object is constructed
 * from any tag), with bounds on size, nesting and aliases so that a hostile file cannot exhaust memory
 * ("billion laughs") or the stack.
 */
public final class YamlDocuments {
    /** The largest configuration file read, in bytes. */
    public static final long MAX_BYTES = ExperimentSource.MAX_BYTES;
    /** How errors name a value given on the command line: {@code --set 'key=value'}. */
    public static final String OVERRIDE_PREFIX = "--set ";
    /** The longest {@code --set} argument. */
    public static final int MAX_OVERRIDE = 64 * 1024;
    /** The value nodes that came from {@code --set}, and the argument each came from (nodes compare by identity). */
    private static final java.util.Map<Node, String> OVERRIDDEN = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    /** The most aliases to collections a document may use. */
    public static final int MAX_ALIASES = 50;
    /** The deepest nesting of collections. */
    public static final int MAX_DEPTH = 50;

    private YamlDocuments() {
    }

    /**
     * @param file a YAML file
     * @param shownName how to name the file in messages
     * @return the root of its single document
     * @throws ConfigException if the file cannot be read, is not well-formed YAML, is empty or exceeds a bound
     */
    public static ConfigNode read(Path file, String shownName) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, 0, 0, "", "the file is " + size
                        + " bytes; configurations may be at most " + MAX_BYTES + " bytes.", null);
            }
            // UTF-8, or UTF-16/32 after a byte-order mark (as docs/config.md says), which is dropped.
            try (InputStream in = dev.backprop.core.io.BoundedFiles.openUnicodeText(file, MAX_BYTES)) {
                return compose(dev.backprop.core.io.Encodings.unicodeReader(in), shownName, file);
            }
        } catch (dev.backprop.core.io.BoundedFiles.LimitException e) {
            // Refused within the first bytes, before the YAML reader started.
            throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, 0, 0, "", e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new ConfigException(ErrorCode.IO_FAILED, shownName, 0, 0, "", "no such file.", e);
        } catch (IOException e) {
            throw new ConfigException(ErrorCode.IO_FAILED, shownName, 0, 0, "", "could not be read: "
                    + dev.backprop.core.io.IoErrors.reason(e) + ".", e);
        }
    }

    /**
     * @param text YAML text
     * @param shownName how to name the text in messages
     * @return the root of its single document
     */
    public static ConfigNode parse(String text, String shownName) {
        return compose(new StringReader(text), shownName, null);
    }

    private static ConfigNode compose(java.io.Reader reader, String shownName, Path file) {
        Node root;
        try {
            List<Node> documents = new ArrayList<>();
            for (Node document : yaml().composeAll(reader)) {
                documents.add(document);
                if (documents.size() > 1) {
                    throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, document.getStartMark().getLine() + 1,
                            document.getStartMark().getColumn() + 1, "", "a configuration is one YAML document; found a second one.", null);
                }
            }
            root = documents.isEmpty() ? null : documents.get(0);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            String detail = problem.startsWith("Global tag is not allowed")
                    ? "unsafe YAML refused: " + problem.replace("Global tag is not allowed: ", "the tag '")
                            + "' could instantiate a Java class; a configuration may contain only plain mappings, lists, "
                            + "strings, numbers, booleans and nulls."
                    : "malformed YAML: " + context + problem + ".";
            throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, "", detail, e);
        } catch (org.yaml.snakeyaml.reader.ReaderException e) {
            // A character YAML does not allow in a document, such as a NUL character in UTF-16 text.
            throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, 0, 0, "", String.format(java.util.Locale.ROOT,
                    "the character U+%04X (character %d of the text) is not allowed in YAML (control characters other than "
                    + "tab and line breaks are not); is it a binary file?", e.getCodePoint(), e.getPosition() + 1L), e);
        } catch (YAMLException e) {
            if (e.getCause() instanceof dev.backprop.core.io.BoundedFiles.LimitException limit) {
                // The bounded reader refused the bytes (binary content, or more than a configuration may hold).
                throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, 0, 0, "", limit.getMessage(), e);
            }
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException && file != null) {
                throw ConfigException.notUtf8(file, shownName, e);
            }
            if (e.getCause() instanceof IOException io) {
                throw new ConfigException(ErrorCode.IO_FAILED, shownName, 0, 0, "", "could not be read: "
                        + dev.backprop.core.io.IoErrors.reason(io) + ".", e);
            }
            String detail = e.getMessage() != null && e.getMessage().startsWith("Number of aliases")
                    ? "unsafe YAML refused: more than " + MAX_ALIASES + " aliases to lists or mappings (a possible \"billion laughs\" alias bomb)."
                    : e.getMessage() != null && e.getMessage().startsWith("Nesting Depth exceeded")
                    ? "the document is nested more than " + MAX_DEPTH + " levels deep."
                    : "refused: " + e.getMessage();
            throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, 0, 0, "", detail, e);
        } catch (StackOverflowError e) {
            throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, 0, 0, "", "the document is nested too deeply.", null);
        }
        if (root == null) {
            throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, 0, 0, "", "the file is empty; expected a mapping "
                    + "with at least 'network' and 'data'.", null);
        }
        checkDepth(root, shownName, 0);
        return new ConfigNode(root, shownName, "");
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit((int) MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        // Plain scalars resolve as YAML 1.2 reads them where it agrees with YAML 1.1; see Yaml12Resolver.
        return new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options, new Yaml12Resolver());
    }

    /** Bounds the depth of the tree itself, aliases included, and rejects alias cycles. */
    private static void checkDepth(Node node, String shownName, int depth) {
        if (depth > MAX_DEPTH) {
            Mark mark = node.getStartMark();
            throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, mark.getLine() + 1, mark.getColumn() + 1, "",
                    "the document is nested more than " + MAX_DEPTH + " levels deep (or an alias refers to itself).", null);
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                    // The composed tree keeps '<<' as an ordinary key, which would then read as an unknown key or parameter.
                    Mark mark = tuple.getKeyNode().getStartMark();
                    throw new ConfigException(ErrorCode.CONFIG_INVALID, shownName, mark.getLine() + 1, mark.getColumn() + 1, "",
                            "YAML merge keys ('<<: *anchor') are not supported; write the keys out in the mapping itself (an alias "
                                    + "for a whole value, such as 'optimizer: *adam', is supported).", null);
                }
                checkDepth(tuple.getKeyNode(), shownName, depth + 1);
                checkDepth(tuple.getValueNode(), shownName, depth + 1);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                checkDepth(item, shownName, depth + 1);
            }
        }
    }

    /**
     * @param node a YAML node
     * @return the {@code --set} argument it came from, or {@code null} if it came from a file
     */
    static String overrideSource(Node node) {
        return OVERRIDDEN.get(node);
    }

    /**
     * @param override a {@code key.path=value} override
     * @return how messages name it: {@code --set 'key.path=value'}, the value cut to an excerpt
     */
    public static String overrideLabel(String override) {
        return OVERRIDE_PREFIX + "'" + dev.backprop.core.io.IoErrors.excerpt(override) + "'";
    }

    /**
     * @param value a value of a document
     * @return the value as one line of YAML that reads back as the same value: plain scalars stay plain
     *     (so {@code 010} is still refused where a number is expected) and quoted ones stay quoted
     */
    public static String oneLine(ConfigNode value) {
        return flowText(value.node());
    }

    private static String flowText(Node node) {
        if (node instanceof MappingNode mapping) {
            List<String> pairs = new ArrayList<>();
            for (NodeTuple tuple : mapping.getValue()) {
                pairs.add(flowText(tuple.getKeyNode()) + ": " + flowText(tuple.getValueNode()));
            }
            return "{" + String.join(", ", pairs) + "}";
        }
        if (node instanceof SequenceNode sequence) {
            List<String> items = new ArrayList<>();
            sequence.getValue().forEach(item -> items.add(flowText(item)));
            return "[" + String.join(", ", items) + "]";
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN && readsBack(scalar.getValue(), scalar)) {
            return scalar.getValue(); // as written: SnakeYAML's emitter would quote 010, which then reads as a string
        }
        org.yaml.snakeyaml.DumperOptions options = new org.yaml.snakeyaml.DumperOptions();
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        java.io.StringWriter out = new java.io.StringWriter();
        try {
            org.yaml.snakeyaml.serializer.Serializer serializer = new org.yaml.snakeyaml.serializer.Serializer(
                    new org.yaml.snakeyaml.emitter.Emitter(out, options), new Yaml12Resolver(), options, null);
            serializer.open();
            serializer.serialize(scalar);
            serializer.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        String text = out.toString().strip();
        return text.endsWith("\n...") ? text.substring(0, text.length() - 4).strip() : text;
    }

    /** Whether {@code text}, written plain inside a flow list, reads as the same scalar. */
    private static boolean readsBack(String text, ScalarNode scalar) {
        try {
            Node read = yaml().compose(new StringReader("[" + text + "]"));
            return read instanceof SequenceNode list && list.getValue().size() == 1 && list.getValue().get(0) instanceof ScalarNode again
                    && again.getTag().equals(scalar.getTag()) && again.getValue().equals(scalar.getValue());
        } catch (YAMLException e) {
            return false;
        }
    }

    /**
     * Applies {@code --set key.path=value} overrides to a document: each value is read as YAML (so
     * {@code 0.1}, {@code true}, {@code [1, 2]} and {@code {name: adam}} work) and replaces or adds the key.
     *
     * @param root the document
     * @param overrides {@code key.path=value} strings, applied in order
     * @return the same document, changed
     * @throws ConfigException naming the override if it is malformed or its path does not exist
     */
    public static ConfigNode override(ConfigNode root, List<String> overrides) {
        for (String override : overrides) {
            if (override.length() > MAX_OVERRIDE) {
                throw new ConfigException(ErrorCode.CONFIG_INVALID, OVERRIDE_PREFIX + dev.backprop.core.io.IoErrors.excerpt(override),
                        0, 0, "", "the value is " + override.length() + " characters long; at most " + MAX_OVERRIDE + " are allowed.",
                        null);
            }
        }
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException(ErrorCode.CONFIG_INVALID, OVERRIDE_PREFIX + "'" + dev.backprop.core.io.IoErrors.excerpt(override)
                        + "'", 0, 0, "",
                        "expected key.path=value, for example training.epochs=5.", null);
            }
            String path = override.substring(0, equals).trim();
            String source = overrideLabel(override);
            Node value = parse(override.substring(equals + 1), source).node();
            OVERRIDDEN.put(value, source);
            set(root.node(), path, value, source);
        }
        return root;
    }

    private static void set(Node root, String path, Node value, String source) {
        List<String> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            steps.add(bracket < 0 ? part : part.substring(0, bracket));
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                if (close < 0) {
                    throw new ConfigException(ErrorCode.CONFIG_INVALID, source, 0, 0, path, "unbalanced '[' in the key path.", null);
                }
                steps.add(part.substring(bracket, close + 1));
                bracket = part.indexOf('[', close);
            }
        }
        steps.removeIf(String::isEmpty);
        Node current = root;
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            boolean last = i == steps.size() - 1;
            String where = String.join(".", steps.subList(0, i + 1)).replace(".[", "[");
            if (step.startsWith("[")) {
                if (!(current instanceof SequenceNode sequence)) {
                    throw new ConfigException(ErrorCode.CONFIG_INVALID, source, 0, 0, where, "is not a list.", null);
                }
                int index;
                try {
                    index = Integer.parseInt(step.substring(1, step.length() - 1).trim());
                } catch (NumberFormatException e) {
                    throw new ConfigException(ErrorCode.CONFIG_INVALID, source, 0, 0, where, "the index must be a whole number.", null);
                }
                if (index < 0 || index >= sequence.getValue().size()) {
                    throw new ConfigException(ErrorCode.CONFIG_INVALID, source, 0, 0, where, "no such item; the list has "
                            + sequence.getValue().size() + " items.", null);
                }
                if (last) {
                    sequence.getValue().set(index, value);
                    return;
                }
                current = sequence.getValue().get(index);
            } else {
                if (!(current instanceof MappingNode mapping)) {
                    throw new ConfigException(ErrorCode.CONFIG_INVALID, source, 0, 0, where, "the parent is not a mapping.", null);
                }
                NodeTuple found = null;
                int position = -1;
                for (int t = 0; t < mapping.getValue().size(); t++) {
                    NodeTuple tuple = mapping.getValue().get(t);
                    if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(step)) {
                        found = tuple;
                        position = t;
                    }
                }
                if (last) {
                    ScalarNode key = new ScalarNode(Tag.STR, step, value.getStartMark(), value.getEndMark(), org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN);
                    // A key the override adds is reported at the --set argument too (an unknown key, say).
                    OVERRIDDEN.put(key, OVERRIDDEN.get(value));
                    if (found == null) {
                        mapping.getValue().add(new NodeTuple(key, value));
                    } else {
                        mapping.getValue().set(position, new NodeTuple(found.getKeyNode(), value));
                    }
                    return;
                }
                if (found == null) {
                    MappingNode created = new MappingNode(Tag.MAP, new ArrayList<>(), org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
                    ScalarNode key = new ScalarNode(Tag.STR, step, null, null, org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN);
                    OVERRIDDEN.put(key, OVERRIDDEN.get(value));
                    OVERRIDDEN.put(created, OVERRIDDEN.get(value));
                    mapping.getValue().add(new NodeTuple(key, created));
                    current = created;
                } else {
                    current = found.getValueNode();
                }
            }
        }
    }
}
