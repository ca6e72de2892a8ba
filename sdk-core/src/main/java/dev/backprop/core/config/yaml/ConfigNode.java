package dev.backprop.core.config.yaml;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.config.ConfigException;
import dev.backprop.core.config.ConfigLocation;
import dev.backprop.core.plugin.NameSuggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A value of a YAML document together with where it stands: its file, line, column and key path. Typed
 * accessors check the value and raise a {@link ConfigException} that names all three and says what was
 * expected. Only the standard YAML types are accepted; no Java object is ever constructed from a tag.
 */
public final class ConfigNode implements ConfigLocation {
    private static final Set<Tag> ALLOWED_TAGS = Set.of(Tag.MAP, Tag.SEQ, Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL);

    private final Node node;
    private final String file;
    private final String path;

    ConfigNode(Node node, String file, String path) {
        this.node = node;
        String override = YamlDocuments.overrideSource(node);
        this.file = override != null ? override : file;
        this.path = path;
        checkTag();
    }

    /** @return the key path, for example {@code network.layers[0].dense} */
    public String path() {
        return path;
    }

    /** @return the underlying SnakeYAML node */
    Node node() {
        return node;
    }

    /** @return the file this value came from */
    public String file() {
        return file;
    }

    /** @return the 1-based line of this value in its file, or 0 for a value given with {@code --set} or built in code */
    public int line() {
        Mark mark = file.startsWith(YamlDocuments.OVERRIDE_PREFIX) ? null : node.getStartMark();
        return mark == null ? 0 : mark.getLine() + 1;
    }

    /** @return the 1-based column of this value, or 0 where {@link #line()} is 0 */
    public int column() {
        Mark mark = file.startsWith(YamlDocuments.OVERRIDE_PREFIX) ? null : node.getStartMark();
        return mark == null ? 0 : mark.getColumn() + 1;
    }

    /** @return whether this is a mapping */
    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    /** @return whether this is a sequence */
    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    /** @return whether this is a scalar other than null */
    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /** @return whether this is an explicit or implicit null ({@code ~}, {@code null} or empty) */
    public boolean isNull() {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    /**
     * @param detail what is wrong and what is allowed
     * @return an exception located at this value
     */
    public ConfigException error(String detail) {
        return error(ErrorCode.CONFIG_INVALID, detail, null);
    }

    /**
     * @param code the error code
     * @param detail what is wrong and what is allowed
     * @param cause the underlying error or {@code null}
     * @return an exception located at this value
     */
    public ConfigException error(ErrorCode code, String detail, Throwable cause) {
        Mark mark = file.startsWith(YamlDocuments.OVERRIDE_PREFIX) ? null : node.getStartMark();
        // SnakeYAML marks are 0-based. A value given with --set is named by its --set argument, without a line.
        return new ConfigException(code, file, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                path, detail, cause);
    }

    /**
     * Re-locates an SDK error (for example from a plugin) at this value.
     *
     * @param e the error
     * @return an exception with the same code, located here
     */
    @Override
    public ConfigException relocate(BackpropException e) {
        return e instanceof ConfigException located ? located : error(e.code(), e.detail(), e);
    }

    @Override
    public ConfigLocation at(String key) {
        ConfigNode value = isMapping() ? entries().get(key) : null;
        return value == null ? this : value;
    }

    /**
     * Reads a mapping whose keys must all be among {@code allowed}.
     *
     * @param allowed the keys this mapping may have
     * @return the entries in document order
     */
    public Map<String, ConfigNode> mapping(Collection<String> allowed) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Node[]> entry : pairs().entrySet()) {
            String key = entry.getKey();
            if (!allowed.contains(key)) {
                throw new ConfigNode(entry.getValue()[0], file, child(key)).error("unknown key '" + key + "'."
                        + NameSuggestions.hint(key, allowed) + " Allowed keys" + (path.isEmpty() ? "" : " in " + path)
                        + ": " + String.join(", ", allowed) + ".");
            }
            entries.put(key, valueOf(entry.getValue(), key));
        }
        return entries;
    }

    /**
     * Reads a mapping with any string keys (plugin parameters).
     *
     * @return the entries in document order
     */
    public Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        pairs().forEach((key, nodes) -> entries.put(key, valueOf(nodes, key)));
        return entries;
    }

    /** Key and value nodes by key, rejecting non-scalar and duplicate keys. */
    private Map<String, Node[]> pairs() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("expected a mapping (key: value pairs), got " + describe() + ".");
        }
        Map<String, Node[]> pairs = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey) || keyNode.getTag().equals(Tag.NULL)) {
                throw new ConfigNode(keyNode, file, path).error("keys must be plain names.");
            }
            String key = scalarKey.getValue();
            Node[] previous = pairs.get(key);
            if (previous != null) {
                throw new ConfigNode(keyNode, file, child(key)).error("duplicate key '" + key + "' (first given on line "
                        + (previous[0].getStartMark().getLine() + 1) + ").");
            }
            pairs.put(key, new Node[] {keyNode, tuple.getValueNode()});
        }
        return pairs;
    }

    private ConfigNode valueOf(Node[] keyAndValue, String key) {
        Node value = keyAndValue[1];
        // An empty value ("key:") is marked at the end of its line; point at the key instead.
        if (value instanceof ScalarNode s && s.getTag().equals(Tag.NULL) && s.getValue().isEmpty()) {
            value = new ScalarNode(Tag.NULL, "", keyAndValue[0].getStartMark(), keyAndValue[0].getEndMark(), s.getScalarStyle());
        }
        return new ConfigNode(value, file, child(key));
    }

    /**
     * @return the items of a sequence
     */
    public List<ConfigNode> list() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("expected a list, got " + describe() + ".");
        }
        List<ConfigNode> items = new ArrayList<>();
        List<Node> values = sequence.getValue();
        for (int i = 0; i < values.size(); i++) {
            items.add(new ConfigNode(values.get(i), file, path + "[" + i + "]"));
        }
        return items;
    }

    /** @return the value as a string (any scalar) */
    public String string() {
        if (!(node instanceof ScalarNode scalar) || isNull()) {
            throw error("expected a string, got " + describe() + ".");
        }
        return scalar.getValue();
    }

    /** @return the value as a boolean: {@code true} or {@code false} (YAML 1.1's yes, no, on and off are refused) */
    public boolean bool() {
        if (node instanceof ScalarNode scalar && node.getTag().equals(Tag.BOOL)
                && Yaml12Resolver.BOOLEAN.matcher(scalar.getValue()).matches()) {
            return scalar.getValue().equalsIgnoreCase("true");
        }
        String lookalike = node instanceof ScalarNode scalar ? Yaml11Lookalikes.bool(scalar.getValue()) : null;
        throw error("expected true or false" + (lookalike == null ? ", got " + describe() + "." : "; " + lookalike));
    }

    /**
     * @param min the smallest allowed value
     * @return the value as an int
     */
    public int integer(int min) {
        Object value = scalarValue();
        if (!(value instanceof Long l)) {
            throw notWhole("expected a whole number >= " + min, value);
        }
        if (l < min || l > Integer.MAX_VALUE) {
            throw error("expected a whole number >= " + min + (l > Integer.MAX_VALUE ? " and <= " + Integer.MAX_VALUE : "")
                    + ", got " + l + ".");
        }
        return (int) (long) l;
    }

    /** @return the value as a long */
    public long longValue() {
        Object value = scalarValue();
        if (!(value instanceof Long l)) {
            throw notWhole("expected a whole number", value);
        }
        return l;
    }

    private ConfigException notWhole(String expected, Object value) {
        if (value instanceof Double d && Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            return error(expected + ", got " + describe() + ", which YAML reads as a fraction; write " + d.longValue() + ".");
        }
        String lookalike = numeralLookalike();
        return error(expected + (lookalike == null ? ", got " + describe() + "." : "; " + lookalike));
    }

    /** @return the value as a finite double */
    public double number() {
        Object value = scalarValue();
        if (!(value instanceof Number n)) {
            String lookalike = numeralLookalike();
            throw error("expected a number" + (lookalike == null ? ", got " + describe() + "." : "; " + lookalike));
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            throw error("expected a finite number, got " + d + ".");
        }
        return d;
    }

    /**
     * @return for a value YAML 1.1 reads as a number or a boolean and YAML 1.2 does not (or reads as
     *     another one), such as {@code 010}, {@code 0x1F} or {@code yes}: why it is refused and what to write;
     *     otherwise {@code null}
     */
    public String yaml11Lookalike() {
        String number = numeralLookalike();
        if (number != null || !(node instanceof ScalarNode scalar) || scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
            return number;
        }
        return Yaml11Lookalikes.bool(scalar.getValue());
    }

    /** A quoted value is a string as written; only a plain one (or one tagged as a number) can be a numeral. */
    private String numeralLookalike() {
        if (!(node instanceof ScalarNode scalar)) {
            return null;
        }
        boolean numberTag = node.getTag().equals(Tag.INT) || node.getTag().equals(Tag.FLOAT);
        if (!numberTag && (!node.getTag().equals(Tag.STR) || scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN)) {
            return null;
        }
        return Yaml11Lookalikes.number(scalar.getValue().strip());
    }

    /**
     * Converts to plain Java values for plugin parameters: {@code Long}, {@code Double}, {@code Boolean},
     * {@code String}, {@code List}, {@code Map}; null for YAML null.
     *
     * @return the plain value
     */
    public Object plain() {
        if (node instanceof ScalarNode) {
            return scalarValue();
        }
        if (node instanceof SequenceNode) {
            List<Object> out = new ArrayList<>();
            for (ConfigNode item : list()) {
                out.add(item.plain());
            }
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        entries().forEach((k, v) -> out.put(k, v.plain()));
        return out;
    }

    /** @return a short description of the value for messages, for example {@code the string 'abc'} */
    public String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull()) {
            return "nothing (null)";
        }
        String value = ((ScalarNode) node).getValue();
        String shown = value.length() > 60 ? value.substring(0, 57) + "..." : value;
        Tag tag = node.getTag();
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "the number " + shown;
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + shown;
        }
        return "the string '" + shown + "'";
    }

    /** The scalar as Long, Double, Boolean, String or null. */
    private Object scalarValue() {
        if (!(node instanceof ScalarNode scalar)) {
            return null;
        }
        Tag tag = node.getTag();
        String text = scalar.getValue();
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return bool();
        }
        if (tag.equals(Tag.INT)) {
            return parseInteger(text);
        }
        if (tag.equals(Tag.FLOAT)) {
            return parseFloat(text);
        }
        return text;
    }

    private Object parseInteger(String text) {
        if (Yaml12Resolver.INTEGER.matcher(text).matches()) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return new java.math.BigDecimal(text).doubleValue(); // beyond a long: refused where a whole number is expected
            }
        }
        return parseFloat(text);
    }

    private Double parseFloat(String text) {
        if (!Yaml12Resolver.FLOAT.matcher(text).matches() && !Yaml12Resolver.INTEGER.matcher(text).matches()) {
            String lookalike = Yaml11Lookalikes.number(text.strip());
            throw error("could not read the number '" + text + "'" + (lookalike == null ? "." : ": " + lookalike));
        }
        String t = text.toLowerCase(Locale.ROOT);
        if (t.endsWith(".inf")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (t.equals(".nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(t);
    }

    private void checkTag() {
        Tag tag = node.getTag();
        if (!ALLOWED_TAGS.contains(tag)) {
            throw error("the tag '" + tag.getValue() + "' is not allowed; a configuration may contain only plain "
                    + "mappings, lists, strings, numbers, booleans and nulls.");
        }
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
