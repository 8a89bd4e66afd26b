package io.switchboard.cli;

import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands that talk to a running gateway's admin API, run as their own process against the real gateway. */
@Timeout(120)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CliAdminTest extends GatewayTest {

  @TempDir
  Path dir;

  private CliProcess cli;
  private String url;

  @BeforeEach
  void cli() {
    cli = new CliProcess(dir);
    url = "http://127.0.0.1:" + gateway.adminPort();
  }

  @Test
  void budget_sets_the_global_limits_and_prints_them_aligned() throws Exception {
    CliProcess.Exit exit = cli.run("budget", "--url", url, "--set-daily", "5", "--set-monthly", "120.50");

    assertThat(exit.code()).as("%s", exit).isZero();
    assertThat(exit.lines()).hasSize(3);
    assertThat(exit.lines().get(0)).matches("SCOPE +PERIOD +WINDOW +LIMIT +SOURCE +SPENT +RESERVED +USED +RESETS AT");
    assertThat(exit.lines().get(1)).matches("global +daily +\\d{4}-\\d\\d-\\d\\d +\\$5\\.000000 +override +\\$0\\.000000 .*");
    assertThat(exit.lines().get(2)).matches("global +monthly +\\d{4}-\\d\\d +\\$120\\.500000 +override .*");
    // aligned: every column starts where its header does
    int limitColumn = exit.lines().get(0).indexOf("SOURCE");
    assertThat(exit.lines().get(1).indexOf("override")).isEqualTo(limitColumn);
    assertThat(exit.lines().get(2).indexOf("override")).isEqualTo(limitColumn);
    JsonArray budgets = admin.get("/admin/budgets").json().getJsonArray("budgets");
    assertThat(new BigDecimal(budgets.getJsonObject(0).getString("limit_usd"))).isEqualByComparingTo("5");
    assertThat(new BigDecimal(budgets.getJsonObject(1).getString("limit_usd"))).isEqualByComparingTo("120.5");
  }

  @Test
  void json_prints_the_endpoints_answer() throws Exception {
    CliProcess.Exit exit = cli.run("budget", "--url", url, "--json");

    assertThat(exit.code()).as("%s", exit).isZero();
    assertThat(exit.json()).isEqualTo(admin.get("/admin/budgets").json());
  }

  @Test
  void the_admin_url_comes_from_the_configuration_when_not_given() throws Exception {
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl());
    config.getJsonObject("admin").put("port", gateway.adminPort());
    Path file = dir.resolve("conf.yaml");
    Files.writeString(file, config.encodePrettily());

    CliProcess.Exit exit = cli.run("budget", "--conf", file.toString());

    assertThat(exit.code()).as("%s", exit).isZero();
    assertThat(exit.lines().get(1)).startsWith("global");
  }

  @Test
  void keys_are_created_listed_and_revoked() throws Exception {
    CliProcess.Exit created = cli.run("keys", "create", "--url", url, "--name", "ci bot", "--models",
      "fake-cheap,auto", "--rpm", "60", "--daily-usd", "2");

    assertThat(created.code()).as("%s", created).isZero();
    assertThat(created.lines().get(0)).matches("created key vk_\\S+ \\(ci bot\\)");
    assertThat(created.lines().get(1)).matches("secret: sk-sb-\\S+");
    String id = created.lines().get(0).split(" ")[2];
    String secret = created.lines().get(1).substring("secret: ".length());
    // the secret works: the gateway now needs a key, and this one is it
    assertThat(client.send(HttpMethod.POST, "/v1/chat/completions",
      Buffer.buffer(chat().encode()), Map.of("authorization", "Bearer " + secret,
        "content-type", "application/json")).status()).isEqualTo(200);

    CliProcess.Exit listed = cli.run("keys", "list", "--url", url);
    assertThat(listed.code()).as("%s", listed).isZero();
    assertThat(listed.lines().get(0)).matches("ID +NAME +USER +TEAM +MODELS +DAILY +MONTHLY +RPM +CREATED +REVOKED");
    assertThat(listed.lines().get(1)).matches(id + " +ci bot +- +- +fake-cheap,auto +\\$2\\.000000 +- +60 +\\S+ +no");

    CliProcess.Exit revoked = cli.run("keys", "revoke", "--url", url, id);
    assertThat(revoked.code()).as("%s", revoked).isZero();
    assertThat(revoked.lines()).containsExactly("revoked key " + id + " (ci bot)");
    assertThat(admin.get("/admin/keys/" + id).json().getBoolean("revoked")).isTrue();
  }

  @Test
  void a_gateway_error_is_one_line_and_exit_code_1() throws Exception {
    CliProcess.Exit exit = cli.run("keys", "revoke", "--url", url, "vk_nosuchkey");

    assertThat(exit.code()).isEqualTo(1);
    assertThat(exit.errors()).containsExactly(
      "switchboard keys revoke: HTTP 404 key_not_found: No virtual key has this id");
    assertThat(exit.stdout()).isEmpty();
  }

  @Test
  void a_gateway_that_cannot_be_reached_is_exit_code_3() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    CliProcess.Exit exit = cli.run("budget", "--url", "http://127.0.0.1:" + closed);

    assertThat(exit.code()).as("%s", exit).isEqualTo(3);
    assertThat(exit.errors()).hasSize(1);
    assertThat(exit.errors().get(0)).startsWith("switchboard budget: cannot connect to http://127.0.0.1:" + closed);
  }

  @Test
  void bad_usage_is_one_line_and_exit_code_2_before_anything_is_sent() throws Exception {
    CliProcess.Exit period = cli.run("stats", "--url", url, "--period", "year");
    CliProcess.Exit reset = cli.run("reset", "--url", url);
    CliProcess.Exit limit = cli.run("budget", "--url", url, "--set-daily", "lots");
    CliProcess.Exit unknown = cli.run("frobnicate");

    assertThat(period.code()).isEqualTo(2);
    assertThat(period.errors()).containsExactly("switchboard stats: --period: 'year' is not one of day, week, month, all");
    assertThat(reset.code()).isEqualTo(2);
    assertThat(reset.errors()).containsExactly(
      "switchboard reset: this deletes every row of the gateway's ledger; add --yes to confirm");
    assertThat(limit.code()).isEqualTo(2);
    assertThat(limit.errors()).containsExactly(
      "switchboard budget: --set-daily: 'lots' is not an amount of dollars (or 'none')");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.errors()).hasSize(1);
    assertThat(unknown.errors().get(0)).startsWith("switchboard: ").contains("frobnicate");
    assertThat(admin.get("/admin/budgets").json().getJsonArray("budgets").getJsonObject(0).getValue("limit_usd"))
      .as("nothing was set").isNull();
  }

  @Test
  void the_master_key_comes_from_the_variable_the_configuration_or_the_option_names() throws Exception {
    String masterKey = "master-key-for-the-cli-test-0123";
    Map<String, String> env = new HashMap<>(TestConfig.ENV);
    env.put("SWITCHBOARD_MASTER_KEY", masterKey);
    // a gateway of its own Vertx: codecs are registered once per Vertx
    Vertx other = Vertx.vertx();
    CliProcess.Exit without;
    CliProcess.Exit byDefault;
    CliProcess.Exit named;
    try {
      GatewayUnderTest locked = GatewayUnderTest.start(other, TestConfig.singleProvider(upstream.baseUrl()), env);
      String lockedUrl = "http://127.0.0.1:" + locked.adminPort();

      without = cli.run("keys", "list", "--url", lockedUrl);
      byDefault = cli.env("SWITCHBOARD_MASTER_KEY", masterKey).run("keys", "list", "--url", lockedUrl);
      named = new CliProcess(dir).env("OPS_ADMIN_KEY", masterKey)
        .run("keys", "list", "--url", lockedUrl, "--admin-key-env", "OPS_ADMIN_KEY");
    } finally {
      other.close().await();
    }

    assertThat(without.code()).isEqualTo(1);
    assertThat(without.errors()).hasSize(1);
    assertThat(without.errors().get(0)).startsWith("switchboard keys list: HTTP 401 invalid_api_key: ")
      .endsWith("(SWITCHBOARD_MASTER_KEY is not set)");
    assertThat(byDefault.code()).as("%s", byDefault).isZero();
    assertThat(byDefault.lines()).containsExactly(
      "no keys: the gateway's /v1 endpoints are open (create one with 'switchboard keys create')");
    assertThat(named.code()).as("%s", named).isZero();
  }

  private static JsonObject chat() {
    return new JsonObject().put("model", "fake-cheap").put("messages", new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "hi")));
  }
}
