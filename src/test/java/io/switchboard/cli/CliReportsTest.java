package io.switchboard.cli;

import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FaultRig;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report commands, run as their own process against a real gateway with a ledger, after real traffic: one
 * request that fails over from {@code primary} to {@code backup} and two that {@code solo} answers. Each command
 * prints what its endpoint answers: {@code --json} the same JSON, the text its figures.
 */
@Timeout(180)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CliReportsTest {

  private static final String CHAT = "/v1/chat/completions";

  @TempDir
  Path dir;

  private FaultRig rig;
  private TestClient admin;
  private CliProcess cli;
  private String url;

  @BeforeEach
  void traffic() {
    rig = FaultRig.start();
    admin = rig.gateway.adminClient(rig.vertx);
    cli = new CliProcess(dir);
    url = "http://127.0.0.1:" + rig.gateway.adminPort();
    rig.upstream.on("primary", Behaviour.error(500, "server_error", "down"),
      Behaviour.error(500, "server_error", "down"), Behaviour.ok());
    assertThat(rig.client.post(CHAT, Chats.chat("primary", "first")).status()).isEqualTo(200);
    assertThat(rig.client.post(CHAT, Chats.chat("solo", "second")).status()).isEqualTo(200);
    assertThat(rig.client.post(CHAT, Chats.chat("solo", "third")).status()).isEqualTo(200);
    // the ledger writes in batches: wait until the reports see all three requests and the fallbacks
    Poll.until(() -> {
      assertThat(admin.get("/admin/reports/stats").json().getJsonObject("totals").getLong("requests")).isEqualTo(3);
      assertThat(admin.get("/admin/reports/fallbacks").json().getLong("requests_with_fallback")).isEqualTo(1);
    });
  }

  @AfterEach
  void stop() {
    admin.close();
    rig.close();
  }

  @Test
  void stats_prints_the_totals_and_one_row_per_model() throws Exception {
    JsonObject report = admin.get("/admin/reports/stats?by=model").json();
    JsonObject totals = report.getJsonObject("totals");

    CliProcess.Exit text = cli.run("stats", "--url", url);
    CliProcess.Exit json = cli.run("stats", "--url", url, "--json", "--by", "model");

    assertThat(text.code()).as("%s", text).isZero();
    assertThat(text.lines()).contains("requests:    3 (success " + pct(totals.getDouble("success_rate"))
      + ", escalated " + pct(totals.getDouble("escalation_rate")) + ", cache hits "
      + pct(totals.getDouble("cache_hit_rate")) + ")");
    assertThat(text.lines()).contains("cost:        " + usd(totals, "cost_usd") + " vs " + usd(totals,
      "baseline_cost_usd") + " baseline: " + usd(totals, "savings_usd") + " saved ("
      + String.format(Locale.ROOT, "%.1f %%", totals.getDouble("savings_pct")) + ")");
    assertThat(text.lines()).anyMatch(line -> line.matches("MODEL +REQUESTS +COST +BASELINE +SAVINGS +SUCCESS .*"));
    assertThat(text.lines()).anyMatch(line -> line.matches("solo +2 +\\$\\d+\\.\\d{6} .*"));
    assertThat(text.lines()).anyMatch(line -> line.matches("backup +1 +\\$\\d+\\.\\d{6} .*"));
    assertThat(json.code()).isZero();
    assertThat(json.json()).isEqualTo(report);
  }

  @Test
  void cost_prints_the_periods_cost_by_model_and_the_projection() throws Exception {
    JsonObject report = admin.get("/admin/reports/cost?period=month").json();

    CliProcess.Exit exit = cli.run("cost", "--url", url, "--period", "month");

    assertThat(exit.code()).as("%s", exit).isZero();
    assertThat(exit.lines()).contains("cost:        " + usd(report, "cost_usd") + " vs "
      + usd(report, "baseline_cost_usd") + " baseline: " + usd(report, "savings_usd") + " saved ("
      + String.format(Locale.ROOT, "%.1f %%", report.getDouble("savings_pct")) + ")");
    assertThat(exit.lines()).anyMatch(line -> line.startsWith("this month:  "
      + usd(report.getJsonObject("projection"), "month_to_date_usd") + " so far, "));
    assertThat(exit.lines()).anyMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\d +3 +\\$.*"));
    assertThat(exit.lines()).anyMatch(line -> line.matches("solo +2 +\\$\\d+\\.\\d{6}"));
  }

  @Test
  void fallback_prints_the_rate_and_the_failed_over_request() throws Exception {
    CliProcess.Exit exit = cli.run("fallback", "--url", url);

    assertThat(exit.code()).as("%s", exit).isZero();
    assertThat(exit.lines()).contains("fallbacks:   1 of 3 requests (33.3 %)");
    assertThat(exit.lines()).anyMatch(line -> line.matches("\\S+Z +primary +backup +\\S+ +\\S+"));
  }

  @Test
  void export_writes_the_gateways_csv_byte_for_byte() throws Exception {
    byte[] expected = admin.get("/admin/reports/export?format=csv&table=cost_tracking").body().getBytes();
    Path file = dir.resolve("costs.csv");

    CliProcess.Exit toStdout = cli.run("export", "--url", url, "--format", "csv");
    CliProcess.Exit toFile = cli.run("export", "--url", url, "--format", "csv", "--table", "cost_tracking",
      "--out", file.toString());

    assertThat(toStdout.code()).as("%s", toStdout).isZero();
    assertThat(toStdout.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(toStdout.lines()).hasSize(4);
    assertThat(toStdout.lines().get(0)).contains("decision_id");
    assertThat(toFile.code()).as("%s", toFile).isZero();
    assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    assertThat(toFile.errors()).containsExactly("wrote " + expected.length + " bytes to " + file);
  }

  @Test
  void reset_with_yes_empties_the_ledger() throws Exception {
    CliProcess.Exit exit = cli.run("reset", "--url", url, "--yes");

    assertThat(exit.code()).as("%s", exit).isZero();
    assertThat(exit.lines().get(0)).isEqualTo("ledger reset");
    assertThat(exit.lines()).anyMatch(line -> line.matches("cost_tracking +[1-9]\\d*"));
    assertThat(admin.get("/admin/reports/stats").json().getJsonObject("totals").getLong("requests")).isZero();
  }

  @Test
  void status_rate_limits_and_insights_print_their_reports() throws Exception {
    CliProcess.Exit status = cli.run("status", "--url", url);
    CliProcess.Exit limits = cli.run("rate-limits", "--url", url);
    CliProcess.Exit insights = cli.run("insights", "--url", url);

    assertThat(status.code()).as("%s", status).isZero();
    assertThat(status.lines()).contains("ledger:      sqlite");
    assertThat(status.lines()).anyMatch(line -> line.startsWith("today:       3 requests, $"));
    assertThat(status.lines()).anyMatch(line -> line.matches("cost_tracking +\\d+"));
    assertThat(limits.code()).as("%s", limits).isZero();
    assertThat(limits.lines()).contains("events:      0 (gateway 0, upstream 0)");
    assertThat(insights.code()).as("%s", insights).isZero();
    assertThat(insights.lines().get(0)).startsWith("suggestions: ");
  }

  private static String usd(JsonObject json, String field) {
    return String.format(Locale.ROOT, "$%.6f", json.getNumber(field).doubleValue());
  }

  private static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
  }
}
