package io.switchboard.config;

import io.switchboard.classify.TaskType;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GatewayConfigTest {

  private static final String UPSTREAM = "http://127.0.0.1:9/v1";

  @TempDir
  Path dir;

  private static JsonObject valid() {
    return TestConfig.singleProvider(UPSTREAM);
  }

  private static JsonObject at(JsonObject root, String... path) {
    JsonObject node = root;
    for (String key : path) {
      node = node.getJsonObject(key);
    }
    return node;
  }

  /** Applies {@code change} to a valid configuration and expects a failure whose message starts with {@code key}. */
  private static void assertRejected(Consumer<JsonObject> change, String key) {
    JsonObject config = valid();
    change.accept(config);
    assertThatThrownBy(() -> GatewayConfig.from(config, TestConfig.ENV))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith(key + ": ");
  }

  @Test
  void the_shipped_configuration_is_valid() {
    GatewayConfig config = GatewayConfig.from(ConfigLoader.readFile(Path.of("conf/switchboard.yaml")), Map.of());

    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.providers()).containsOnlyKeys("openai", "groq", "deepseek", "ollama");
    assertThat(config.models()).hasSize(8).containsKeys("gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "llama3.2");
    assertThat(config.baseline().id()).isEqualTo("gpt-4.1");
    assertThat(config.routing().defaultPolicy()).isEqualTo("auto:balanced");
    assertThat(config.routing().policies()).containsOnlyKeys("auto:balanced", "auto:cost", "auto:quality", "auto:scored",
      "auto:threshold", "auto:cascade", "claude-code");
    assertThat(config.model("premium")).map(ModelConfig::id).contains("gpt-4.1");
    assertThat(config.model("gpt-4.1-nano").orElseThrow().prices().cachedInput()).isEqualTo(25_000);
    assertThat(config.model("gpt-4.1").orElseThrow().quality(TaskType.SECURITY)).isEqualTo(92);
    assertThat(config.model("gpt-4.1").orElseThrow().quality(TaskType.TRANSLATION)).isEqualTo(90);
    assertThat(config.providers().get("openai").keyMissing()).isTrue();
    assertThat(config.providers().get("ollama").keyMissing()).isFalse();
  }

  @Test
  void a_policy_rule_inherits_what_it_does_not_set_from_the_default_rule() {
    JsonObject json = valid();
    at(json, "routing", "policies", "auto").put("default",
      new JsonObject().put("primary", "fake-cheap").put("fallback", "fake-premium").put("min_confidence", 0.4));
    at(json, "routing", "policies", "auto", "task_types").put("translation", new JsonObject());

    PolicyConfig policy = GatewayConfig.from(json, TestConfig.ENV).routing().policies().get("auto");

    RoutingRule translation = policy.rule(TaskType.TRANSLATION);
    assertThat(translation.primary()).isEqualTo("fake-cheap");
    assertThat(translation.minConfidence()).isEqualTo(0.4);
    assertThat(policy.rule(TaskType.SECURITY).primary()).isEqualTo("fake-premium");
    assertThat(policy.rule(TaskType.SECURITY).minConfidence()).isZero();
    assertThat(policy.rule(TaskType.CREATIVE)).isEqualTo(policy.defaultRule());
  }

  @Test
  void defaults_fill_what_a_model_does_not_set() {
    GatewayConfig config = GatewayConfig.from(valid(), TestConfig.ENV);

    ModelConfig cheap = config.models().get("fake-cheap");
    assertThat(cheap.upstream()).isEqualTo("fake-cheap");
    assertThat(cheap.maxOutput()).isEqualTo(4_096);
    assertThat(cheap.prices().input()).isEqualTo(100_000);
    assertThat(cheap.prices().output()).isEqualTo(400_000);
    assertThat(cheap.prices().cachedInput()).isEqualTo(cheap.prices().input());
    assertThat(cheap.latency()).isEqualTo(ModelConfig.LatencyClass.MEDIUM);
    assertThat(config.models().get("fake-tiny").maxOutput()).isEqualTo(50);
    assertThat(config.routing().defaultOutputTokens()).isEqualTo(512);
    assertThat(config.providers().get("fake").baseUrl()).isEqualTo(UPSTREAM);
  }

  @Test
  void an_unknown_top_level_key_is_named() {
    assertRejected(c -> c.put("rooting", new JsonObject()), "rooting");
  }

  @Test
  void an_unknown_server_key_is_named_with_its_path() {
    assertRejected(c -> at(c, "server").put("prot", 8080), "server.prot");
  }

  @Test
  void unknown_keys_are_named_with_their_path_at_every_depth() {
    assertRejected(c -> at(c, "providers", "fake").put("apikey", "x"), "providers.fake.apikey");
    assertRejected(c -> at(c, "models", "fake-cheap").put("contxt_window", 1), "models.fake-cheap.contxt_window");
    assertRejected(c -> at(c, "models", "fake-cheap", "prices").put("inptu", 1), "models.fake-cheap.prices.inptu");
    assertRejected(c -> at(c, "models", "fake-cheap", "prices").put("long_context", new JsonObject().put("treshold", 1)),
      "models.fake-cheap.prices.long_context.treshold");
    assertRejected(c -> at(c, "routing").put("baseline", "fake-cheap"), "routing.baseline");
    assertRejected(c -> at(c, "routing", "policies", "auto").put("descripton", "x"), "routing.policies.auto.descripton");
    assertRejected(c -> at(c, "routing", "policies", "auto", "task_types", "security").put("primry", "fake-cheap"),
      "routing.policies.auto.task_types.security.primry");
  }

  @Test
  void a_model_whose_provider_is_not_defined_is_named() {
    assertRejected(c -> at(c, "models", "fake-cheap").put("provider", "openai2"), "models.fake-cheap.provider");
  }

  @Test
  void a_model_without_a_provider_is_named() {
    assertRejected(c -> at(c, "models", "fake-cheap").remove("provider"), "models.fake-cheap.provider");
  }

  @Test
  void a_fallback_to_an_unknown_model_is_named() {
    assertRejected(c -> at(c, "models", "fake-cheap").put("fallbacks", new JsonArray().add("nope")),
      "models.fake-cheap.fallbacks");
  }

  @Test
  void an_alias_to_an_unknown_model_is_named() {
    assertRejected(c -> at(c, "aliases").put("cheap", "fake-chaep"), "aliases.cheap");
  }

  @Test
  void an_alias_with_the_name_of_a_model_is_named() {
    assertRejected(c -> at(c, "aliases").put("fake-premium", "fake-cheap"), "aliases.fake-premium");
  }

  @Test
  void a_policy_rule_naming_an_unknown_model_is_named() {
    assertRejected(c -> at(c, "routing", "policies", "auto", "default").put("primary", "nope"),
      "routing.policies.auto.default.primary");
    assertRejected(c -> at(c, "routing", "policies", "auto", "task_types", "security").put("primary", "nope"),
      "routing.policies.auto.task_types.security.primary");
    assertRejected(c -> at(c, "routing", "policies", "auto", "default").put("fallback", "nope"),
      "routing.policies.auto.default.fallback");
  }

  @Test
  void an_unknown_task_type_in_quality_is_named() {
    assertRejected(c -> at(c, "models", "fake-cheap").put("quality", new JsonObject().put("sekurity", 90)),
      "models.fake-cheap.quality.sekurity");
  }

  @Test
  void an_unknown_task_type_in_a_policy_is_named() {
    assertRejected(c -> at(c, "routing", "policies", "auto", "task_types")
      .put("code_generation", new JsonObject().put("primary", "fake-cheap")), "routing.policies.auto.task_types.code_generation");
  }

  @Test
  void a_quality_outside_0_to_100_is_named() {
    assertRejected(c -> at(c, "models", "fake-cheap").put("quality", new JsonObject().put("security", 101)),
      "models.fake-cheap.quality.security");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65_536, 100_000})
  void a_port_outside_0_to_65535_is_named(int port) {
    assertRejected(c -> at(c, "server").put("port", port), "server.port");
  }

  @Test
  void a_port_that_is_not_a_number_is_named() {
    assertRejected(c -> at(c, "server").put("port", "eighty"), "server.port");
    assertRejected(c -> at(c, "server").put("port", 80.5), "server.port");
  }

  @Test
  void a_port_given_as_text_is_accepted() {
    JsonObject config = valid();
    at(config, "server").put("port", "8081");

    assertThat(GatewayConfig.from(config, TestConfig.ENV).server().port()).isEqualTo(8081);
  }

  @ParameterizedTest
  @ValueSource(strings = {"api.openai.com/v1", "ftp://api.example.com/v1", "127.0.0.1:8000/v1", ""})
  void a_base_url_without_http_or_https_is_named(String url) {
    assertRejected(c -> at(c, "providers", "fake").put("base_url", url), "providers.fake.base_url");
  }

  @Test
  void a_missing_input_price_is_named() {
    assertRejected(c -> at(c, "models", "fake-cheap", "prices").remove("input"), "models.fake-cheap.prices.input");
    assertRejected(c -> at(c, "models", "fake-cheap", "prices").remove("output"), "models.fake-cheap.prices.output");
  }

  @Test
  void a_negative_price_is_named() {
    assertRejected(c -> at(c, "models", "fake-cheap", "prices").put("input", -0.1), "models.fake-cheap.prices.input");
  }

  @Test
  void a_max_output_above_the_context_window_is_named() {
    assertRejected(c -> at(c, "models", "fake-tiny").put("max_output", 101), "models.fake-tiny.max_output");
  }

  @Test
  void an_unknown_baseline_model_is_named() {
    assertRejected(c -> at(c, "routing").put("baseline_model", "gpt-5"), "routing.baseline_model");
  }

  @Test
  void a_missing_baseline_model_is_named() {
    assertRejected(c -> at(c, "routing").remove("baseline_model"), "routing.baseline_model");
  }

  @Test
  void an_unknown_default_policy_is_named() {
    assertRejected(c -> at(c, "routing").put("default_policy", "auto:cheapest"), "routing.default_policy");
  }

  @Test
  void a_policy_without_a_default_rule_is_named() {
    assertRejected(c -> at(c, "routing", "policies", "auto").remove("default"), "routing.policies.auto.default");
  }

  @Test
  void a_section_of_the_wrong_shape_is_named() {
    assertRejected(c -> c.put("server", "localhost"), "server");
    assertRejected(c -> at(c, "models").put("fake-cheap", "cheap"), "models.fake-cheap");
  }

  @Test
  void a_configuration_without_models_is_refused() {
    assertRejected(c -> c.put("models", new JsonObject()), "models");
  }

  @Test
  void the_api_key_is_read_from_the_named_environment_variable() {
    GatewayConfig config = GatewayConfig.from(valid(), Map.of("FAKE_API_KEY", "  sk-from-env\n"));

    ProviderConfig fake = config.providers().get("fake");
    assertThat(fake.keys().get(0).secret()).contains("sk-from-env");
    assertThat(fake.keyMissing()).isFalse();
    assertThat(fake.keySource()).isEqualTo("the environment variable FAKE_API_KEY");
  }

  @Test
  void an_unset_or_empty_key_variable_leaves_the_key_missing() {
    GatewayConfig unset = GatewayConfig.from(valid(), Map.of());
    GatewayConfig empty = GatewayConfig.from(valid(), Map.of("FAKE_API_KEY", "   "));

    assertThat(unset.providers().get("fake").keys().get(0).secret()).isEmpty();
    assertThat(unset.providers().get("fake").keyMissing()).isTrue();
    assertThat(empty.providers().get("fake").keyMissing()).isTrue();
    assertThat(unset.providers().get("unkeyed").keySource())
      .isEqualTo("the environment variable SWITCHBOARD_TEST_UNSET_KEY");
  }

  @Test
  void the_api_key_is_read_from_the_named_file() throws IOException {
    Path keyFile = dir.resolve("openai.key");
    Files.writeString(keyFile, "sk-from-file\n");
    JsonObject json = valid();
    at(json, "providers", "fake").remove("api_key_env");
    at(json, "providers", "fake").put("api_key_file", keyFile.toString());

    ProviderConfig fake = GatewayConfig.from(json, Map.of()).providers().get("fake");

    assertThat(fake.keys().get(0).secret()).contains("sk-from-file");
    assertThat(fake.keyMissing()).isFalse();
    assertThat(fake.keySource()).isEqualTo("the file " + keyFile);
  }

  @Test
  void the_key_file_wins_over_the_key_variable() throws IOException {
    Path keyFile = dir.resolve("key");
    Files.writeString(keyFile, "sk-from-file");
    JsonObject json = valid();
    at(json, "providers", "fake").put("api_key_file", keyFile.toString());

    ProviderConfig fake = GatewayConfig.from(json, TestConfig.ENV).providers().get("fake");

    assertThat(fake.keys().get(0).secret()).contains("sk-from-file");
    assertThat(fake.keySource()).isEqualTo("the file " + keyFile);
  }

  @Test
  void an_empty_key_file_leaves_the_key_missing() throws IOException {
    Path keyFile = dir.resolve("empty.key");
    Files.writeString(keyFile, "\n");
    JsonObject json = valid();
    at(json, "providers", "fake").put("api_key_file", keyFile.toString());

    ProviderConfig fake = GatewayConfig.from(json, TestConfig.ENV).providers().get("fake");

    assertThat(fake.keyMissing()).isTrue();
    assertThat(fake.keySource()).isEqualTo("the file " + keyFile);
  }

  @Test
  void an_unreadable_key_file_is_named() {
    String missing = dir.resolve("nope.key").toString();

    assertRejected(c -> at(c, "providers", "fake").put("api_key_file", missing), "providers.fake.api_key_file");
  }

  @Test
  void a_provider_that_names_no_key_does_not_miss_one() {
    JsonObject json = valid();
    at(json, "providers", "fake").remove("api_key_env");

    ProviderConfig fake = GatewayConfig.from(json, TestConfig.ENV).providers().get("fake");

    assertThat(fake.keys()).isEmpty();
    assertThat(fake.keyMissing()).isFalse();
  }

  @Test
  void several_labelled_keys_are_read_with_their_limits() {
    JsonObject json = valid();
    at(json, "providers", "fake").remove("api_key_env");
    at(json, "providers", "fake").put("key_selection", "round_robin").put("api_keys", new JsonObject()
      .put("team-a", new JsonObject().put("env", "KEY_A").put("requests_per_minute", 10))
      .put("team-b", new JsonObject().put("env", "KEY_B")));

    ProviderConfig fake = GatewayConfig.from(json, Map.of("KEY_A", "sk-a", "KEY_B", "sk-b")).providers().get("fake");

    assertThat(fake.keys()).extracting(ApiKeyConfig::label).containsExactly("team-a", "team-b");
    assertThat(fake.keys().get(0).limits().requestsPerMinute()).isEqualTo(10);
    assertThat(fake.keys().get(1).limits().unlimited()).isTrue();
    assertThat(fake.keySelection()).isEqualTo(ProviderConfig.KeySelection.ROUND_ROBIN);
    assertThat(fake.keys().toString()).doesNotContain("sk-a").doesNotContain("sk-b");
  }

  @Test
  void keys_given_two_ways_or_a_bad_selection_are_refused() {
    assertRejected(c -> at(c, "providers", "fake").put("api_keys", new JsonObject()
      .put("a", new JsonObject().put("env", "KEY_A"))), "providers.fake.api_keys");
    assertRejected(c -> at(c, "providers", "fake").put("key_selection", "random"), "providers.fake.key_selection");
  }

  @Test
  void resilience_defaults_and_checks() {
    JsonObject json = valid();
    json.remove("resilience");
    GatewayConfig config = GatewayConfig.from(json, TestConfig.ENV);

    assertThat(config.resilience().maxAttempts()).isEqualTo(2);
    assertThat(config.resilience().deadlineMillis()).isEqualTo(120_000);
    assertRejected(c -> c.put("resilience", new JsonObject().put("backoff_initial_ms", 500).put("backoff_max_ms", 100)),
      "resilience.backoff_max_ms");
    assertRejected(c -> c.put("resilience", new JsonObject().put("max_attempts", 0)), "resilience.max_attempts");
  }

  @Test
  void the_key_never_appears_in_the_provider_description() {
    ProviderConfig fake = GatewayConfig.from(valid(), TestConfig.ENV).providers().get("fake");

    assertThat(fake.toString()).doesNotContain(TestConfig.FAKE_KEY);
  }
}
