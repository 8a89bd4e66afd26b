package io.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfigLoaderTest {

  private static final String YAML = """
    # a small but complete configuration
    server:
      host: 127.0.0.1
      port: 8080
      access_log: true
    providers:
      openai:
        base_url: https://api.openai.com/v1
        api_key_env: OPENAI_API_KEY
    models:
      gpt-4.1-mini:
        provider: openai
        prices: {input: 0.40, output: 1.60}
        context_window: 1047576
        fallbacks: [gpt-4.1-mini]
    routing:
      baseline_model: gpt-4.1-mini
      policies:
        auto:
          default: {primary: gpt-4.1-mini}
    """;

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private JsonObject load(Path file, Map<String, String> env, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("--conf", file.toString()));
    all.addAll(List.of(args));
    return ConfigLoader.load(all, env);
  }

  @Test
  void the_yaml_file_is_read_with_its_types() throws IOException {
    JsonObject config = load(write("conf.yaml", YAML), Map.of());

    assertThat(config.getJsonObject("server").getValue("port")).isEqualTo(8080);
    assertThat(config.getJsonObject("server").getValue("access_log")).isEqualTo(true);
    JsonObject model = config.getJsonObject("models").getJsonObject("gpt-4.1-mini");
    assertThat(model.getValue("context_window")).isEqualTo(1047576);
    assertThat(model.getJsonObject("prices").getDouble("input")).isEqualTo(0.40);
    assertThat(model.getJsonArray("fallbacks")).isEqualTo(new JsonArray().add("gpt-4.1-mini"));
  }

  @Test
  void the_file_can_be_given_as_conf_equals() throws IOException {
    Path file = write("conf.yaml", YAML);

    JsonObject config = ConfigLoader.load(List.of("--conf=" + file), Map.of());

    assertThat(config.getJsonObject("server").getInteger("port")).isEqualTo(8080);
  }

  @Test
  void an_environment_variable_overrides_a_key_as_a_number() throws IOException {
    JsonObject config = load(write("conf.yaml", YAML), Map.of("SWITCHBOARD_SERVER__PORT", "9090"));

    assertThat(config.getJsonObject("server").getValue("port")).isEqualTo(9090);
    assertThat(config.getJsonObject("server").getString("host")).isEqualTo("127.0.0.1");
  }

  @Test
  void environment_names_match_keys_with_dots_and_dashes() throws IOException {
    JsonObject config = load(write("conf.yaml", YAML),
      Map.of("SWITCHBOARD_MODELS__GPT_4_1_MINI__CONTEXT_WINDOW", "1000"));

    JsonObject models = config.getJsonObject("models");
    assertThat(models.fieldNames()).containsExactly("gpt-4.1-mini");
    assertThat(models.getJsonObject("gpt-4.1-mini").getValue("context_window")).isEqualTo(1000);
    assertThat(models.getJsonObject("gpt-4.1-mini").getString("provider")).isEqualTo("openai");
  }

  @Test
  void environment_values_are_read_as_yaml_scalars() throws IOException {
    JsonObject config = load(write("conf.yaml", YAML), Map.of(
      "SWITCHBOARD_SERVER__ACCESS_LOG", "false",
      "SWITCHBOARD_MODELS__GPT_4_1_MINI__PRICES__INPUT", "0.25",
      "SWITCHBOARD_MODELS__GPT_4_1_MINI__FALLBACKS", "[a, b]",
      "SWITCHBOARD_PROVIDERS__OPENAI__BASE_URL", "http://127.0.0.1:8000/v1",
      "SWITCHBOARD_SERVER__HOST", "0.0.0.0"));

    assertThat(config.getJsonObject("server").getValue("access_log")).isEqualTo(false);
    assertThat(config.getJsonObject("server").getValue("host")).isEqualTo("0.0.0.0");
    JsonObject model = config.getJsonObject("models").getJsonObject("gpt-4.1-mini");
    assertThat(model.getJsonObject("prices").getValue("input")).isEqualTo(0.25);
    assertThat(model.getJsonArray("fallbacks")).isEqualTo(new JsonArray().add("a").add("b"));
    assertThat(config.getJsonObject("providers").getJsonObject("openai").getValue("base_url"))
      .isEqualTo("http://127.0.0.1:8000/v1");
  }

  @Test
  void an_environment_variable_for_a_new_key_creates_it_in_lower_case() throws IOException {
    JsonObject config = load(write("conf.yaml", YAML), Map.of("SWITCHBOARD_SERVER__MAX_BODY_BYTES", "2048"));

    assertThat(config.getJsonObject("server").getValue("max_body_bytes")).isEqualTo(2048);
  }

  @Test
  void environment_variables_without_the_prefix_are_ignored() throws IOException {
    JsonObject config = load(write("conf.yaml", YAML), Map.of("SERVER__PORT", "1", "PATH", "/usr/bin"));

    assertThat(config).isEqualTo(load(write("same.yaml", YAML), Map.of()));
  }

  @Test
  void switchboard_variables_that_name_no_config_key_do_not_break_the_configuration() throws IOException {
    // logback.xml reads SWITCHBOARD_LOG_LEVEL and SWITCHBOARD_ACCESS_LOG_LEVEL; neither is a key path (no '__')
    Map<String, String> env = Map.of("SWITCHBOARD_LOG_LEVEL", "DEBUG", "SWITCHBOARD_ACCESS_LOG_LEVEL", "WARN",
      "OPENAI_API_KEY", "sk-x");

    JsonObject config = load(write("conf.yaml", YAML), env);

    assertThat(config.fieldNames()).containsExactlyInAnyOrder("server", "providers", "models", "routing");
    assertThat(GatewayConfig.from(config, env).server().port()).isEqualTo(8080);
  }

  @Test
  void the_command_line_wins_over_the_environment() throws IOException {
    JsonObject config = load(write("conf.yaml", YAML), Map.of("SWITCHBOARD_SERVER__PORT", "9090"),
      "--server.port=7000", "--routing.default_policy=auto");

    assertThat(config.getJsonObject("server").getValue("port")).isEqualTo(7000);
    assertThat(config.getJsonObject("server").getString("host")).isEqualTo("127.0.0.1");
    assertThat(config.getJsonObject("routing").getString("default_policy")).isEqualTo("auto");
    assertThat(config.getJsonObject("routing").getString("baseline_model")).isEqualTo("gpt-4.1-mini");
  }

  @Test
  void command_line_keys_are_exact_key_paths() throws IOException {
    JsonObject config = load(write("conf.yaml", YAML), Map.of(), "--models.gpt-4.1-mini.context_window=2000");

    // the dots inside a model name cannot be told from level separators: the path creates nested keys
    assertThat(config.getJsonObject("models").getJsonObject("gpt-4.1-mini").getValue("context_window"))
      .isEqualTo(1047576);
    assertThat(config.getJsonObject("models").getJsonObject("gpt-4")).isNotNull();
  }

  @Test
  void a_missing_file_is_an_error_naming_it() {
    Path missing = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(List.of("--conf", missing.toString()), Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining(missing.toString())
      .hasMessageContaining("not found");
  }

  @Test
  void conf_without_a_file_name_is_an_error() {
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--conf"), Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("--conf");
  }

  @Test
  void an_argument_of_another_shape_is_an_error_naming_it() {
    assertThatThrownBy(() -> ConfigLoader.load(List.of("server.port=1"), Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("server.port=1");
  }

  @Test
  void invalid_yaml_is_an_error_naming_the_file() throws IOException {
    Path file = write("broken.yaml", "server:\n  port: [8080\n  host: x\n");

    assertThatThrownBy(() -> load(file, Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith(file.toString())
      .hasMessageContaining("invalid YAML");
  }

  @Test
  void the_yaml_error_is_reported_on_one_line() throws IOException {
    Path file = write("tabs.yaml", "server:\n\tport: 1\n");

    assertThatThrownBy(() -> load(file, Map.of()))
      .isInstanceOf(ConfigException.class)
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void a_top_level_that_is_not_a_mapping_is_an_error() throws IOException {
    Path list = write("list.yaml", "- server\n- models\n");
    Path scalar = write("scalar.yaml", "just a string\n");

    assertThatThrownBy(() -> load(list, Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining(list.toString())
      .hasMessageContaining("mapping");
    assertThatThrownBy(() -> load(scalar, Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("mapping");
  }

  @Test
  void an_empty_file_is_an_empty_configuration() throws IOException {
    assertThat(load(write("empty.yaml", ""), Map.of())).isEqualTo(new JsonObject());
  }

  @Test
  void switchboard_conf_names_the_file_when_no_conf_argument_does() throws IOException {
    Path file = write("from-env.yaml", YAML.replace("port: 8080", "port: 8181"));

    JsonObject config = ConfigLoader.load(List.of(), Map.of(ConfigLoader.CONF_ENV, file.toString()));

    assertThat(config.getJsonObject("server").getValue("port")).isEqualTo(8181);
    assertThat(config.fieldNames()).doesNotContain("conf");
  }

  @Test
  void the_conf_argument_wins_over_switchboard_conf() throws IOException {
    Path fromEnv = write("from-env.yaml", YAML.replace("port: 8080", "port: 8181"));
    Path fromArgs = write("from-args.yaml", YAML.replace("port: 8080", "port: 8282"));

    JsonObject config = ConfigLoader.load(List.of("--conf", fromArgs.toString()),
      Map.of(ConfigLoader.CONF_ENV, fromEnv.toString()));

    assertThat(config.getJsonObject("server").getValue("port")).isEqualTo(8282);
  }

  @Test
  void a_missing_file_named_by_switchboard_conf_is_an_error_naming_it() {
    String missing = dir.resolve("nope.yaml").toString();

    assertThatThrownBy(() -> ConfigLoader.load(List.of(), Map.of(ConfigLoader.CONF_ENV, missing)))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining(missing);
  }

  @Test
  void without_any_file_the_shipped_default_is_read() {
    JsonObject config = ConfigLoader.load(List.of(), Map.of());

    assertThat(config.getJsonObject("routing").getString("baseline_model")).isEqualTo("gpt-4.1");
    assertThat(config.getJsonObject("server").getValue("port")).isEqualTo(8080);
  }
}
