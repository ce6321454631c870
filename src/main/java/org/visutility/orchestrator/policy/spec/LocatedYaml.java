package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.visutility.orchestrator.experiment.YamlErrors;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read into a Jackson tree that remembers the line of every value, keyed by its
 * JSON pointer ({@code /policies/0/when/below}), so that errors can name the line.
 */
public final class LocatedYaml {
    /** No source text in error locations: a file that is not YAML must not be quoted back. */
    private static final YAMLFactory YAML = YAMLFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode root;
    private final Map<String, Integer> lines;

    private LocatedYaml(JsonNode root, Map<String, Integer> lines) {
        this.root = root;
        this.lines = lines;
    }

    /** A tree without lines (a stored spec); every lookup answers 0. */
    public static LocatedYaml withoutLines(JsonNode root) {
        return new LocatedYaml(root, Map.of());
    }

    /**
     * Reads a YAML text; a syntax error or a duplicate key is reported as a {@link Problem}
     * inside the thrown {@link Syntax}.
     */
    public static LocatedYaml read(String text) throws Syntax {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) return new LocatedYaml(NODES.nullNode(), lines);
            JsonNode root = readValue(p, "", lines);
            return new LocatedYaml(root, lines);
        } catch (Syntax s) {
            throw s;
        } catch (JsonProcessingException e) {
            throw new Syntax(new Problem(YamlErrors.line(e), "", "not valid YAML: " + YamlErrors.what(e)));
        } catch (IOException e) {
            throw new Syntax(new Problem(0, "", "cannot be read: " + e.getMessage()));
        }
    }

    private static JsonNode readValue(JsonParser p, String pointer, Map<String, Integer> lines) throws IOException {
        lines.put(pointer, p.currentTokenLocation().getLineNr());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode obj = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String child = pointer + "/" + escape(name);
                    if (obj.has(name)) throw new Syntax(new Problem(keyLine, name, "duplicate key"));
                    p.nextToken();
                    obj.set(name, readValue(p, child, lines));
                }
                return obj;
            }
            case START_ARRAY -> {
                ArrayNode arr = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    arr.add(readValue(p, pointer + "/" + i++, lines));
                }
                return arr;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new Syntax(new Problem(p.currentTokenLocation().getLineNr(), "", "unexpected YAML content " + t));
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    public JsonNode root() {
        return root;
    }

    /** The line of the value at a pointer, or of its nearest located ancestor; 0 when unknown. */
    public int line(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) return line;
            if (p.isEmpty()) return 0;
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** A YAML document that cannot be read. */
    public static final class Syntax extends IOException {
        private final Problem problem;

        Syntax(Problem problem) {
            super(problem.reason());
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }
}
