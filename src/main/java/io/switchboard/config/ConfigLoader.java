package io.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the YAML configuration and applies overrides. Precedence, later wins: the file
 * ({@code --conf FILE}, else {@code SWITCHBOARD_CONF}, else {@code conf/switchboard.yaml}, else the copy
 * inside the jar), then environment variables {@code SWITCHBOARD_<KEY>__<KEY>...}, then command-line
 * arguments {@code --key.key=value}.
 *
 * <p>Environment names match keys after upper-casing and turning every character that is not a letter
 * or digit into {@code _}, so {@code SWITCHBOARD_MODELS__GPT_4O_MINI__CONTEXT_WINDOW} reaches
 * {@code models.gpt-4o-mini.context_window}. Values are read as YAML scalars: {@code 8080} is a number,
 * {@code true} a boolean, {@code [a, b]} a list.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "SWITCHBOARD_";
  public static final String CONF_ENV = "SWITCHBOARD_CONF";
  static final Path DEFAULT_FILE = Path.of("conf", "switchboard.yaml");
  static final String BUNDLED_RESOURCE = "switchboard.yaml";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigLoader() {
  }

  /** Loads the configuration for the given command-line arguments and environment. */
  public static JsonObject load(List<String> args, Map<String, String> env) {
    String file = null;
    JsonObject cliOverrides = new JsonObject();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--conf") || arg.equals("-conf")) {
        if (i + 1 >= args.size()) {
          throw new ConfigException("--conf: needs a file name");
        }
        file = args.get(++i);
      } else if (arg.startsWith("--conf=")) {
        file = arg.substring("--conf=".length());
      } else if (arg.startsWith("--") && arg.contains("=")) {
        int eq = arg.indexOf('=');
        applyDotted(cliOverrides, arg.substring(2, eq), parseScalar(arg.substring(eq + 1)));
      } else {
        throw new ConfigException("argument '" + arg + "': expected --conf FILE or --key.path=value");
      }
    }
    if (file == null) {
      file = env.get(CONF_ENV);
    }
    JsonObject config = file != null ? readFile(Path.of(file)) : readDefault();
    applyEnvironment(config, env);
    merge(config, cliOverrides);
    return config;
  }

  public static JsonObject readFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("config file " + path + ": not found");
    }
    try (InputStream in = Files.newInputStream(path)) {
      return parse(in, path.toString());
    } catch (IOException e) {
      throw new ConfigException("config file " + path + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  private static JsonObject readDefault() {
    if (Files.isRegularFile(DEFAULT_FILE)) {
      return readFile(DEFAULT_FILE);
    }
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new ConfigException("no config: " + DEFAULT_FILE + " is missing and the jar carries no default");
      }
      return parse(in, "bundled " + BUNDLED_RESOURCE);
    } catch (IOException e) {
      throw new ConfigException("bundled config: cannot be read (" + e.getMessage() + ")");
    }
  }

  @SuppressWarnings("unchecked")
  private static JsonObject parse(InputStream in, String source) throws IOException {
    Object tree;
    try {
      JsonNode node = YAML.readTree(in);
      tree = node == null || node.isMissingNode() ? null : YAML.treeToValue(node, Object.class);
    } catch (IOException e) {
      String reason = e.getMessage() == null ? "invalid YAML" : e.getMessage().lines().findFirst().orElse("invalid YAML");
      throw new ConfigException(source + ": invalid YAML (" + reason + ")");
    }
    if (tree == null) {
      return new JsonObject();
    }
    if (!(tree instanceof Map)) {
      throw new ConfigException(source + ": the top level must be a mapping");
    }
    return new JsonObject((Map<String, Object>) tree);
  }

  static Object parseScalar(String text) {
    try {
      Object value = YAML.readValue(text, Object.class);
      if (value instanceof List<?> list) {
        return new JsonArray(List.copyOf(list));
      }
      return value instanceof Map ? text : value;
    } catch (IOException e) {
      return text;
    }
  }

  private static void applyEnvironment(JsonObject config, Map<String, String> env) {
    env.entrySet().stream()
      // every key lives in a section, so an override always has a "__"; SWITCHBOARD_LOG_LEVEL and the like are not config
      .filter(e -> e.getKey().startsWith(ENV_PREFIX) && e.getKey().contains("__"))
      .sorted(Map.Entry.comparingByKey())
      .forEach(e -> {
        String[] segments = e.getKey().substring(ENV_PREFIX.length()).split("__");
        JsonObject node = config;
        for (int i = 0; i < segments.length - 1; i++) {
          node = child(node, matchKey(node, segments[i]));
        }
        node.put(matchKey(node, segments[segments.length - 1]), parseScalar(e.getValue()));
      });
  }

  /** The existing key whose normalized form equals the env segment, or the segment in lower case. */
  private static String matchKey(JsonObject node, String segment) {
    for (String key : node.fieldNames()) {
      if (normalize(key).equals(segment)) {
        return key;
      }
    }
    return segment.toLowerCase(Locale.ROOT);
  }

  static String normalize(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static void applyDotted(JsonObject config, String dotted, Object value) {
    String[] segments = dotted.split("\\.");
    JsonObject node = config;
    for (int i = 0; i < segments.length - 1; i++) {
      node = child(node, segments[i]);
    }
    node.put(segments[segments.length - 1], value);
  }

  private static JsonObject child(JsonObject node, String key) {
    Object existing = node.getValue(key);
    if (existing instanceof JsonObject object) {
      return object;
    }
    JsonObject created = new JsonObject();
    node.put(key, created);
    return created;
  }

  private static void merge(JsonObject target, JsonObject overrides) {
    for (String key : overrides.fieldNames()) {
      Object value = overrides.getValue(key);
      if (value instanceof JsonObject nested && target.getValue(key) instanceof JsonObject existing) {
        merge(existing, nested);
      } else {
        target.put(key, value);
      }
    }
  }
}
