package io.switchboard.report;

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

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report endpoints on the real gateway with its SQLite ledger in a temporary directory: traffic through the
 * fake provider (answers, a fallback after an upstream 429, a request refused at a model's rate limit), then each
 * report's numbers against what the client was told.
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReportEndpointsTest {

  private static final String CHAT = "/v1/chat/completions";

  private FaultRig rig;
  private TestClient admin;
  private final List<TestClient.Result> answers = new ArrayList<>();

  @BeforeEach
  void start() {
    rig = FaultRig.start(config -> {
      // the test kit gives every gateway a fresh ledger file; written often, so the reports catch up quickly
      config.getJsonObject("analytics").put("ledger", "sqlite").put("flush_ms", 20);
      config.getJsonObject("models").getJsonObject("solo")
        .put("limits", new JsonObject().put("requests_per_minute", 1));
    });
    admin = rig.gateway.adminClient(rig.vertx);
  }

  @AfterEach
  void stop() {
    admin.close();
    rig.close();
  }

  @Test
  void every_report_agrees_with_the_traffic_sent() {
    traffic();
    BigDecimal cost = sentSum("x-switchboard-cost-usd");
    BigDecimal baseline = sentSum("x-switchboard-baseline-cost-usd");
    awaitTrafficWritten();

    JsonObject status = report("/admin/reports/status");
    assertThat(status.getString("status")).isEqualTo("ok");
    assertThat(status.getString("ledger")).isEqualTo("sqlite");
    assertThat(status.getJsonObject("rows").getLong("cost_tracking")).isEqualTo(5);   // 5 calls answered
    // today's figures are the day report's (the traffic may straddle midnight UTC: the test does not assume a day)
    assertThat(usd(status.getJsonObject("today"), "cost_usd"))
      .isEqualTo(usd(report("/admin/reports/stats").getJsonObject("totals"), "cost_usd"));

    JsonObject stats = report("/admin/reports/stats?period=all&by=model");
    JsonObject totals = stats.getJsonObject("totals");
    assertThat(usd(totals, "cost_usd")).isEqualTo(cost);
    assertThat(usd(totals, "baseline_cost_usd")).isEqualTo(baseline);
    assertThat(usd(totals, "savings_usd")).isEqualTo(baseline.subtract(cost));
    assertThat(totals.getLong("prompt_tokens")).isEqualTo(answers.stream()
      .mapToLong(a -> a.json().getJsonObject("usage").getLong("prompt_tokens")).sum());
    Map<String, Long> byModel = new TreeMap<>();
    stats.getJsonArray("groups").forEach(g -> byModel.put(((JsonObject) g).getString("key"),
      ((JsonObject) g).getLong("requests")));
    // the request refused at solo's limit was routed too, and failed
    assertThat(byModel).isEqualTo(Map.of("backup", 1L, "primary", 3L, "solo", 2L));
    assertThat(totals.getDouble("success_rate")).isEqualTo(0.8333);

    // dollars go on the wire with six decimals, never in exponent notation
    assertThat(admin.get("/admin/reports/cost?period=all").body().toString())
      .containsPattern("\"cost_usd\":0\\.\\d{6}[,}]").doesNotContain("E-");
    JsonObject costs = report("/admin/reports/cost?period=all");
    assertThat(usd(costs, "cost_usd")).isEqualTo(cost);
    assertThat(costs.getJsonArray("by_day").stream().map(d -> usd((JsonObject) d, "cost_usd"))
      .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualTo(cost);
    assertThat(costs.getJsonArray("by_model").stream().map(m -> ((JsonObject) m).getString("model")).toList())
      .containsExactlyInAnyOrder("primary", "backup", "solo");
    JsonObject month = report("/admin/reports/cost?period=month");
    assertThat(usd(month.getJsonObject("projection"), "month_to_date_usd")).isEqualTo(usd(month, "cost_usd"));

    JsonObject fallbacks = report("/admin/reports/fallbacks?period=all");
    assertThat(fallbacks.getLong("requests_with_fallback")).isEqualTo(1);
    JsonObject left = fallbacks.getJsonArray("by_model").getJsonObject(0);
    assertThat(left.getString("model")).isEqualTo("primary");
    assertThat(left.getJsonObject("reasons").getMap()).containsEntry("upstream_rate_limited", 1);
    assertThat(fallbacks.getJsonArray("recent").getJsonObject(0).getString("to_model")).isEqualTo("backup");

    JsonObject limits = report("/admin/reports/rate-limits?period=all");
    assertThat(limits.getJsonObject("by_source").getMap()).containsEntry("gateway", 1).containsEntry("upstream", 1);
    assertThat(limits.getJsonArray("by_target").stream().map(t -> ((JsonObject) t).getString("target")).toList())
      .containsExactlyInAnyOrder("model:solo", "primary");

    JsonObject series = report("/admin/reports/timeseries?period=all&bucket=hour");
    assertThat(series.getJsonArray("points").stream().map(p -> usd((JsonObject) p, "cost_usd"))
      .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualTo(cost);

    JsonObject insights = report("/admin/reports/insights?period=all");
    assertThat(insights.getJsonArray("suggestions")).isEmpty();    // fewer than 20 requests of any model
    assertThat(insights.getJsonArray("alerts")).isEmpty();

    TestClient.Result csv = admin.get("/admin/reports/export?format=csv&period=all");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.headers().get("content-type")).startsWith("text/csv");
    assertThat(csv.headers().get("content-disposition")).isEqualTo("attachment; filename=\"cost_tracking-all.csv\"");
    List<List<String>> rows = CsvParser.parse(csv.body().toString());
    int column = rows.get(0).indexOf("cost_micros");
    assertThat(rows).hasSize(6);
    assertThat(BigDecimal.valueOf(rows.subList(1, 6).stream().mapToLong(r -> Long.parseLong(r.get(column))).sum(), 6))
      .isEqualTo(cost);
  }

  @Test
  void bad_parameters_are_400s_that_name_them() {
    assertThat(param("/admin/reports/stats?period=year")).isEqualTo("period");
    assertThat(param("/admin/reports/stats?by=colour")).isEqualTo("by");
    assertThat(param("/admin/reports/cost?from=2026-12-01")).isEqualTo("to");
    assertThat(param("/admin/reports/fallbacks?from=2026-12-01&to=2026-13-01")).isEqualTo("to");
    assertThat(param("/admin/reports/timeseries?bucket=minute")).isEqualTo("bucket");
    assertThat(param("/admin/reports/export?table=schema_version")).isEqualTo("table");
    assertThat(param("/admin/reports/export?format=xml")).isEqualTo("format");
  }

  @Test
  void reset_needs_confirmation_and_then_empties_the_ledger() {
    traffic();
    awaitTrafficWritten();   // so that no row of it arrives after the reset

    TestClient.Result refused = admin.post("/admin/reports/reset", "");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.error().getString("code")).isEqualTo("confirmation_required");
    assertThat(refused.error().getString("param")).isEqualTo("confirm");
    assertThat(report("/admin/reports/status").getJsonObject("rows").getLong("cost_tracking")).isEqualTo(5);

    TestClient.Result reset = admin.post("/admin/reports/reset?confirm=yes", "");
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.json().getBoolean("reset")).isTrue();
    assertThat(reset.json().getJsonObject("deleted").getLong("cost_tracking")).isEqualTo(5);
    JsonObject rows = report("/admin/reports/status").getJsonObject("rows");
    rows.forEach(table -> assertThat(((Number) table.getValue()).longValue()).as(table.getKey()).isZero());
    assertThat(report("/admin/reports/stats?period=all").getJsonObject("totals").getLong("requests")).isZero();
  }

  @Test
  void without_a_ledger_every_report_says_so() {
    stop();
    rig = FaultRig.start(config -> config.getJsonObject("analytics").put("ledger", "none"));
    admin = rig.gateway.adminClient(rig.vertx);

    for (String path : List.of("/admin/reports/status", "/admin/reports/stats", "/admin/reports/export")) {
      TestClient.Result result = admin.get(path);
      assertThat(result.status()).as(path).isEqualTo(404);
      assertThat(result.error().getString("code")).isEqualTo("ledger_disabled");
    }
    assertThat(admin.post("/admin/reports/reset?confirm=yes", "").error().getString("code"))
      .isEqualTo("ledger_disabled");
  }

  private String param(String path) {
    TestClient.Result result = admin.get(path);
    assertThat(result.status()).as(path).isEqualTo(400);
    assertThat(result.error().getString("type")).isEqualTo("invalid_request_error");
    return result.error().getString("param");
  }

  /** 3 answers from primary, 1 from backup after primary's 429, 1 from solo, and 1 refused at solo's limit. */
  private void traffic() {
    for (int i = 0; i < 3; i++) {
      answers.add(ok(rig.client.post(CHAT, Chats.chat("primary", "hello " + i))));
    }
    rig.upstream.on("primary", Behaviour.error(429, "rate_limit_exceeded", "later")
      .withHeaders(Map.of("Retry-After", "30")));
    TestClient.Result fellBack = ok(rig.client.post(CHAT, Chats.chat("primary", "again")));
    assertThat(fellBack.headers().get("x-switchboard-model")).isEqualTo("backup");
    answers.add(fellBack);
    answers.add(ok(rig.client.post(CHAT, Chats.chat("solo", "once"))));
    assertThat(rig.client.post(CHAT, Chats.chat("solo", "twice")).status()).isEqualTo(429);
  }

  /** The ledger writes in the background: waits for every row of {@link #traffic}. */
  private void awaitTrafficWritten() {
    Poll.until(() -> assertThat(report("/admin/reports/status").getJsonObject("rows").getMap())
      .containsEntry("routing_decisions", 6).containsEntry("routing_outcomes", 6).containsEntry("cost_tracking", 5)
      .containsEntry("fallback_events", 1).containsEntry("rate_limit_events", 2));
  }

  private static TestClient.Result ok(TestClient.Result result) {
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    return result;
  }

  private BigDecimal sentSum(String header) {
    return answers.stream().map(a -> new BigDecimal(a.headers().get(header))).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private JsonObject report(String path) {
    TestClient.Result result = admin.get(path);
    assertThat(result.status()).as(path + ": " + result.body()).isEqualTo(200);
    return result.json();
  }

  private static BigDecimal usd(JsonObject json, String field) {
    return new BigDecimal(json.getValue(field).toString()).setScale(6);
  }
}
