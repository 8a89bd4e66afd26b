package io.switchboard.cli;

import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code route}, {@code classify} and {@code config}, which need no running gateway, run as their own process; the
 * gateway of the same configuration is there only to compare their answers with its endpoints'.
 */
@Timeout(120)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CliOfflineTest extends GatewayTest {

  private static final String CODE_PROMPT = "Write a Python function that reverses a linked list, with tests.";

  @TempDir
  Path dir;

  private CliProcess cli;
  private String conf;

  @BeforeEach
  void cli() throws Exception {
    cli = new CliProcess(dir);
    Path file = dir.resolve("conf.yaml");
    Files.writeString(file, TestConfig.singleProvider(upstream.baseUrl()).encodePrettily());
    conf = file.toString();
  }

  @Test
  void route_decides_offline_as_the_route_endpoint_does() throws Exception {
    for (String prompt : new String[] {CODE_PROMPT, "Find the SQL injection in this login handler: query = \"SELECT"
      + " * FROM users WHERE name='\" + name + \"'\""}) {
      CliProcess.Exit exit = cli.run("route", "--conf", conf, "--json", "--max-tokens", "300", prompt);
      JsonObject online = client.post("/v1/route", new JsonObject().put("model", "auto").put("max_tokens", 300)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)))).json();

      assertThat(exit.code()).as("%s", exit).isZero();
      JsonObject offline = exit.json();
      for (String field : new String[] {"requested_model", "model", "provider", "policy", "policy_kind",
        "fallback_chain", "estimated_cost_micros", "baseline_cost_micros", "reasons", "alternatives"}) {
        assertThat(offline.getValue(field)).as(field).isEqualTo(online.getValue(field));
      }
      assertThat(offline.getJsonObject("classification")).isEqualTo(online.getJsonObject("classification"));
    }
  }

  @Test
  void route_prints_the_decision_in_words() throws Exception {
    CliProcess.Exit exit = cli.run("route", "--conf", conf, "--model", "auto", CODE_PROMPT);

    assertThat(exit.code()).as("%s", exit).isZero();
    assertThat(exit.lines().get(0)).isEqualTo("model:       fake-cheap (provider fake)");
    assertThat(exit.lines().get(1)).isEqualTo("policy:      auto (tree)");
    assertThat(exit.lines().get(2)).startsWith("task:        code-generation, ");
    assertThat(exit.stdout()).contains("on fake-premium (baseline)").contains("reasons:\n  - classified as code-generation");
    assertThat(exit.stderr()).isEmpty();
  }

  @Test
  void classify_answers_as_the_classify_endpoint_does() throws Exception {
    CliProcess.Exit json = cli.run("classify", "--conf", conf, "--json", CODE_PROMPT);
    CliProcess.Exit text = cli.run("classify", "--conf", conf, CODE_PROMPT);
    JsonObject online = client.post("/v1/classify", new JsonObject().put("model", "auto")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", CODE_PROMPT)))).json();

    assertThat(json.code()).as("%s", json).isZero();
    assertThat(json.json().getJsonObject("classification")).isEqualTo(online.getJsonObject("classification"));
    assertThat(text.code()).isZero();
    assertThat(text.lines()).contains("task type:   code-generation", "classifier:  heuristic");
    assertThat(text.lines()).anyMatch(line -> line.matches("code-generation +0\\.\\d{3}"));
  }

  @Test
  void a_model_that_does_not_exist_is_exit_code_1_with_the_routers_reason() throws Exception {
    CliProcess.Exit exit = cli.run("route", "--conf", conf, "--model", "no-such-model", "hello");

    assertThat(exit.code()).isEqualTo(1);
    assertThat(exit.errors()).hasSize(1);
    assertThat(exit.errors().get(0)).startsWith("switchboard route: ").contains("no-such-model");
  }

  @Test
  void config_validate_passes_a_good_file_and_names_the_key_of_a_bad_one() throws Exception {
    JsonObject bad = TestConfig.singleProvider(upstream.baseUrl());
    bad.getJsonObject("models").getJsonObject("fake-cheap").put("provider", "openai2");
    Path badFile = dir.resolve("bad.yaml");
    Files.writeString(badFile, bad.encodePrettily());

    CliProcess.Exit good = cli.run("config", "--validate", "--conf", conf);
    CliProcess.Exit invalid = cli.run("config", "--validate", "--conf", badFile.toString());
    CliProcess.Exit overridden = cli.run("config", "--validate", "--conf", conf, "--server.port=70000");

    assertThat(good.code()).as("%s", good).isZero();
    assertThat(good.lines()).containsExactly("configuration OK: " + conf + ": 2 providers, 4 models, 1 policies; "
      + "gateway on 127.0.0.1:0, admin API on 127.0.0.1:0");
    assertThat(invalid.code()).isEqualTo(2);
    assertThat(invalid.errors()).containsExactly(
      "switchboard config: models.fake-cheap.provider: 'openai2' is not defined under providers");
    assertThat(overridden.code()).isEqualTo(2);
    assertThat(overridden.errors()).hasSize(1);
    assertThat(overridden.errors().get(0)).contains("server.port").contains("70000");
  }

  @Test
  void config_prints_the_effective_configuration_with_its_overrides() throws Exception {
    CliProcess.Exit yaml = cli.env("SWITCHBOARD_ROUTING__BASELINE_MODEL", "fake-cheap")
      .run("config", "--conf", conf, "--server.port=9099");
    CliProcess.Exit json = cli.run("config", "--conf", conf, "--json");

    assertThat(yaml.code()).as("%s", yaml).isZero();
    assertThat(yaml.lines()).contains("server:", "  port: 9099", "  baseline_model: fake-cheap");
    assertThat(json.code()).isZero();
    assertThat(json.json().getJsonObject("models").fieldNames())
      .containsExactlyInAnyOrder("fake-cheap", "fake-premium", "fake-tiny", "keyless");
  }

  @Test
  void help_lists_every_command() throws Exception {
    CliProcess.Exit exit = cli.run("--help");

    assertThat(exit.code()).isZero();
    assertThat(exit.stdout()).contains("serve", "route", "classify", "config", "stats", "cost", "budget", "fallback",
      "export", "reset", "keys", "replay", "train-classifier");
  }
}
