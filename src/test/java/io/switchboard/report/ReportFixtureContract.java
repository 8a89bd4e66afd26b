package io.switchboard.report;

import io.switchboard.config.InsightsConfig;
import io.switchboard.ledger.LedgerStore;
import io.switchboard.ledger.Migrations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every report over a hand-made ledger of three days (2026-12-02 to 2026-12-04, "today"), each number
 * worked out by hand in the comments. Seven requests:
 * <pre>
 * id  day    answered  task           cx       key     conf  outcome            cost  baseline  ms    notes
 * d1  12-02  cheap     summarization  simple   team-a  0.9   ok                  100      1000   100
 * d2  12-02  premium   code-review    complex  team-a  0.6   ok                 2000      2000   400  escalated
 * d3  12-03  cheap     summarization  simple   team-b  0.8   ok                  100      1000   200
 * d4  12-03  premium   code-review    medium   team-b  0.4   ok              50+1500      1500   300  cheap failed
 * d5  12-04  cheap     summarization  simple   team-a  0.9   ok                  200      2000   150  09:30
 * d6  12-04  cheap     summarization  simple   team-a  0.9   ok (cache hit)        0      1000     5  10:15
 * d7  12-04  premium   code-review    complex  team-b  0.7   upstream_error        -         -  1000  nothing billed
 * </pre>
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class ReportFixtureContract {

  private static final LocalDate TODAY = LocalDate.of(2026, 12, 4);
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final ReportPeriod ALL = ReportPeriod.parse("all", null, null, TODAY);

  private Vertx vertx;
  private LedgerStore store;

  /** A store on a fresh, empty database. */
  protected abstract LedgerStore open(Vertx vertx);

  @BeforeEach
  void fill() {
    vertx = Vertx.vertx();
    store = open(vertx);
    Migrations.migrate(store).await();
    decision("d1", "2026-12-02T08:00:00Z", "cheap", "summarization", "simple", "team-a", 0.9, "ok", 0, 100, 0);
    decision("d2", "2026-12-02T09:00:00Z", "premium", "code-review", "complex", "team-a", 0.6, "ok", 0, 400, 1);
    decision("d3", "2026-12-03T08:00:00Z", "cheap", "summarization", "simple", "team-b", 0.8, "ok", 0, 200, 0);
    decision("d4", "2026-12-03T09:00:00Z", "premium", "code-review", "medium", "team-b", 0.4, "ok", 0, 300, 0);
    decision("d5", "2026-12-04T09:30:00Z", "cheap", "summarization", "simple", "team-a", 0.9, "ok", 0, 150, 0);
    decision("d6", "2026-12-04T10:15:00Z", "cheap", "summarization", "simple", "team-a", 0.9, "ok", 1, 5, 0);
    decision("d7", "2026-12-04T11:00:00Z", "premium", "code-review", "complex", "team-b", 0.7, "upstream_error", 0,
      1000, 0);
    cost("d1", 1, "2026-12-02T08:00:00Z", "cheap", 10, 5, 100, 1000);
    cost("d2", 1, "2026-12-02T09:00:00Z", "premium", 20, 10, 2000, 2000);
    cost("d3", 1, "2026-12-03T08:00:00Z", "cheap", 10, 5, 100, 1000);
    cost("d4", 1, "2026-12-03T09:00:00Z", "cheap", 8, 0, 50, 0);
    cost("d4", 2, "2026-12-03T09:00:01Z", "premium", 20, 10, 1500, 1500);
    cost("d5", 1, "2026-12-04T09:30:00Z", "cheap", 10, 5, 200, 2000);
    cost("d6", 0, "2026-12-04T10:15:00Z", "cheap", 0, 0, 0, 1000);
    update("INSERT INTO fallback_events (decision_id, epoch_ms, day, attempt, from_model, to_model, provider, reason)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "d4", ms("2026-12-03T09:00:00Z"), "2026-12-03", 1L, "cheap", "premium",
      "fake", "upstream_error");
    // the ledger records a retry on the same model as a fallback event too
    update("INSERT INTO fallback_events (decision_id, epoch_ms, day, attempt, from_model, to_model, provider, reason)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "d2", ms("2026-12-02T09:00:00Z"), "2026-12-02", 1L, "premium", "premium",
      "fake", "server_error");
    update("INSERT INTO rate_limit_events (epoch_ms, day, source, scope_or_model, provider, retry_after_ms,"
      + " decision_id) VALUES (?, ?, ?, ?, ?, ?, ?)", ms("2026-12-03T10:00:00Z"), "2026-12-03", "gateway",
      "key:vk_1", null, 1000L, null);
    update("INSERT INTO rate_limit_events (epoch_ms, day, source, scope_or_model, provider, retry_after_ms,"
      + " decision_id) VALUES (?, ?, ?, ?, ?, ?, ?)", ms("2026-12-04T10:00:00Z"), "2026-12-04", "upstream",
      "cheap", "fake", 2000L, "d5");
    // model_performance as the suggestion rule sees it: code-review on premium 29/30 at 2000 µ$ a request, on cheap
    // 24/25 at 400 µ$, over 3 days with traffic
    performance("2026-12-02", "premium", "code-review", 10, 10, 20_000);
    performance("2026-12-03", "premium", "code-review", 10, 9, 20_000);
    performance("2026-12-04", "premium", "code-review", 10, 10, 20_000);
    performance("2026-12-02", "cheap", "code-review", 10, 10, 4_000);
    performance("2026-12-03", "cheap", "code-review", 15, 14, 6_000);
  }

  @AfterEach
  void close() {
    store.close().await();
    vertx.close().await();
  }

  @Test
  void stats_totals_and_groups() {
    JsonObject stats = new StatsReport(store).report(ALL, "model").await();

    JsonObject totals = stats.getJsonObject("totals");
    assertThat(totals.getLong("requests")).isEqualTo(7);
    assertThat(totals.getLong("prompt_tokens")).isEqualTo(78);        // 10+20+10+8+20+10
    assertThat(totals.getLong("completion_tokens")).isEqualTo(35);    // 5+10+5+0+10+5
    assertThat(usd(totals, "cost_usd")).isEqualTo("0.003950");       // 100+2000+100+1550+200+0
    assertThat(usd(totals, "baseline_cost_usd")).isEqualTo("0.008500");
    assertThat(usd(totals, "savings_usd")).isEqualTo("0.004550");
    assertThat(totals.getDouble("savings_pct")).isEqualTo(53.53);     // 4550 / 8500 = 53.529 %
    assertThat(totals.getDouble("escalation_rate")).isEqualTo(0.1429); // 1 of 7
    assertThat(totals.getDouble("cache_hit_rate")).isEqualTo(0.1429);  // 1 of 7
    assertThat(totals.getDouble("success_rate")).isEqualTo(0.8571);    // 6 of 7
    // 5 100 150 200 300 400 1000: rank ceil(3.5) = 4 → 200, rank ceil(6.65) = 7 → 1000
    assertThat(totals.getLong("p50_latency_ms")).isEqualTo(200);
    assertThat(totals.getLong("p95_latency_ms")).isEqualTo(1000);

    JsonArray groups = stats.getJsonArray("groups");
    assertThat(groups.stream().map(g -> ((JsonObject) g).getString("key")).toList())
      .containsExactly("cheap", "premium");
    JsonObject cheap = groups.getJsonObject(0);
    assertThat(cheap.getLong("requests")).isEqualTo(4);
    assertThat(usd(cheap, "cost_usd")).isEqualTo("0.000400");
    assertThat(cheap.getDouble("savings_pct")).isEqualTo(92.0);        // 4600 / 5000
    assertThat(cheap.getLong("p50_latency_ms")).isEqualTo(100);        // 5 100 150 200
    assertThat(cheap.getLong("p95_latency_ms")).isEqualTo(200);
    JsonObject premium = groups.getJsonObject(1);
    assertThat(usd(premium, "cost_usd")).isEqualTo("0.003550");       // 2000 + 50 + 1500: d4's failed try too
    assertThat(premium.getDouble("savings_pct")).isEqualTo(-1.43);     // −50 / 3500
    assertThat(premium.getDouble("success_rate")).isEqualTo(0.6667);
  }

  @Test
  void stats_by_key_and_by_day_and_for_today() {
    JsonArray byKey = new StatsReport(store).report(ALL, "key").await().getJsonArray("groups");
    assertThat(byKey.stream().map(g -> ((JsonObject) g).getString("key") + "=" + ((JsonObject) g).getLong("requests"))
      .toList()).containsExactly("team-a=4", "team-b=3");

    JsonArray byDay = new StatsReport(store).report(ALL, "day").await().getJsonArray("groups");
    assertThat(byDay.stream().map(g -> ((JsonObject) g).getString("key") + "=" + usd((JsonObject) g, "cost_usd"))
      .toList()).containsExactly("2026-12-02=0.002100", "2026-12-03=0.001650", "2026-12-04=0.000200");

    JsonObject today = new StatsReport(store).report(ReportPeriod.parse("day", null, null, TODAY), null).await();
    assertThat(today.getJsonObject("totals").getLong("requests")).isEqualTo(3);
    assertThat(today.containsKey("groups")).isFalse();
  }

  @Test
  void cost_by_day_by_model_and_the_projection() {
    JsonObject cost = new CostReport(store).report(ALL, TODAY).await();

    assertThat(usd(cost, "cost_usd")).isEqualTo("0.003950");
    assertThat(usd(cost, "baseline_cost_usd")).isEqualTo("0.008500");
    assertThat(cost.getDouble("savings_pct")).isEqualTo(53.53);
    assertThat(cost.getJsonArray("by_day").stream().map(d -> ((JsonObject) d).getString("day") + " "
        + usd((JsonObject) d, "cost_usd") + " " + usd((JsonObject) d, "baseline_cost_usd") + " "
        + ((JsonObject) d).getLong("requests")).toList())
      .containsExactly("2026-12-02 0.002100 0.003000 2", "2026-12-03 0.001650 0.002500 2",
        "2026-12-04 0.000200 0.003000 2");
    // billed models: premium 2000 + 1500 (d2, d4), cheap 100 + 50 + 100 + 200 + 0 (d1, d3, d4, d5, d6)
    assertThat(cost.getJsonArray("by_model").stream().map(m -> ((JsonObject) m).getString("model") + " "
        + usd((JsonObject) m, "cost_usd") + " " + ((JsonObject) m).getLong("requests")).toList())
      .containsExactly("premium 0.003500 2", "cheap 0.000450 5");
    // 3950 µ$ in 4 days of a 31-day month: 3950 × 31 / 4 = 30 612.5 → 30 613
    JsonObject projection = cost.getJsonObject("projection");
    assertThat(usd(projection, "month_to_date_usd")).isEqualTo("0.003950");
    assertThat(usd(projection, "projected_month_usd")).isEqualTo("0.030613");
    assertThat(projection.getInteger("days_elapsed")).isEqualTo(4);
    assertThat(projection.getInteger("days_in_month")).isEqualTo(31);

    ReportPeriod first2 = ReportPeriod.parse(null, "2026-12-02", "2026-12-03", TODAY);
    JsonObject twoDays = new CostReport(store).report(first2, TODAY).await();
    assertThat(usd(twoDays, "cost_usd")).isEqualTo("0.003750");
    assertThat(usd(twoDays.getJsonObject("projection"), "month_to_date_usd")).isEqualTo("0.003950");
  }

  @Test
  void fallbacks_and_rate_limits() {
    JsonObject fallbacks = new FallbackReport(store).report(ALL).await();
    assertThat(fallbacks.getLong("requests")).isEqualTo(7);
    assertThat(fallbacks.getLong("requests_with_fallback")).isEqualTo(1);
    assertThat(fallbacks.getDouble("fallback_rate")).isEqualTo(0.1429);
    assertThat(fallbacks.getJsonArray("by_model").encode()).isEqualTo("["
      + "{\"model\":\"cheap\",\"provider\":\"fake\",\"fallbacks\":1,\"retries\":0,"
      + "\"reasons\":{\"upstream_error\":1}},"
      + "{\"model\":\"premium\",\"provider\":\"fake\",\"fallbacks\":0,\"retries\":1,"
      + "\"reasons\":{\"server_error\":1}}]");
    JsonObject recent = fallbacks.getJsonArray("recent").getJsonObject(0);
    assertThat(recent.getString("decision_id")).isEqualTo("d4");
    assertThat(recent.getString("to_model")).isEqualTo("premium");

    JsonObject limits = new RateLimitReport(store).report(ALL).await();
    assertThat(limits.getLong("events")).isEqualTo(2);
    assertThat(limits.getJsonObject("by_source").encode()).isEqualTo("{\"gateway\":1,\"upstream\":1}");
    assertThat(limits.getJsonArray("recent").getJsonObject(0).getString("target")).isEqualTo("cheap");   // newest

    JsonObject yesterday = new RateLimitReport(store).report(ReportPeriod.parse(null, "2026-12-03", "2026-12-03",
      TODAY)).await();
    assertThat(yesterday.getJsonArray("by_target").encode())
      .isEqualTo("[{\"source\":\"gateway\",\"target\":\"key:vk_1\",\"events\":1}]");
  }

  @Test
  void insights_suggest_the_cheaper_model_and_alert_past_the_thresholds() {
    // mean confidence (0.9 + 0.6 + 0.8 + 0.4 + 0.9 + 0.9 + 0.7) / 7 = 0.742857; alert below 0.8 from 5 requests
    InsightsConfig config = new InsightsConfig(20, 0.02, 5, 0.8, 0.2, 2.0, 7, 10.0);
    JsonObject insights = new InsightsReport(store, new StatsReport(store), config).report(ALL, TODAY).await();

    JsonArray suggestions = insights.getJsonArray("suggestions");
    assertThat(suggestions).hasSize(1);
    assertThat(suggestions.getJsonObject(0).getString("text")).isEqualTo("code-review on premium succeeds 96.0 % on"
      + " cheap (96.7 % on premium) at 20 % of the cost: estimated saving $0.48/month");
    assertThat(usd(suggestions.getJsonObject(0), "estimated_monthly_saving_usd")).isEqualTo("0.480000");
    JsonArray alerts = insights.getJsonArray("alerts");
    assertThat(alerts).hasSize(1);
    assertThat(alerts.getJsonObject(0).getString("kind")).isEqualTo("low_confidence");
    assertThat(alerts.getJsonObject(0).getDouble("value")).isEqualTo(0.7429);

    // a costly attempt today: 200 + 10 000 µ$ against the mean of 12-02 and 12-03, (2100 + 1650) / 2 = 1875; above
    // 2 × 2 × 1875 = 7500, so critical; the threshold shown is 2 × 1875
    cost("d8", 1, "2026-12-04T11:30:00Z", "premium", 1000, 1000, 10_000, 10_000);
    JsonArray anomaly = new InsightsReport(store, new StatsReport(store), InsightsConfig.DEFAULTS).report(ALL, TODAY)
      .await().getJsonArray("alerts");
    assertThat(anomaly).hasSize(1);
    assertThat(anomaly.getJsonObject(0).getString("kind")).isEqualTo("cost_anomaly");
    assertThat(anomaly.getJsonObject(0).getString("severity")).isEqualTo("critical");
    assertThat(usd(anomaly.getJsonObject(0), "value")).isEqualTo("0.010200");
    assertThat(usd(anomaly.getJsonObject(0), "threshold")).isEqualTo("0.003750");
  }

  @Test
  void timeseries_fills_empty_buckets() {
    JsonArray days = new TimeseriesReport(store).report(ALL, "day", NOW).await().getJsonArray("points");
    assertThat(days.stream().map(p -> ((JsonObject) p).getLong("t") + " " + usd((JsonObject) p, "cost_usd"))
      .toList()).containsExactly(ms("2026-12-02T00:00:00Z") + " 0.002100", ms("2026-12-03T00:00:00Z") + " 0.001650",
        ms("2026-12-04T00:00:00Z") + " 0.000200");

    // today by hour: 00:00 to 12:00 (now), 13 points; d5 at 09:30, the cache hit d6 at 10:15
    JsonObject hours = new TimeseriesReport(store).report(ReportPeriod.parse("day", null, null, TODAY), null, NOW)
      .await();
    assertThat(hours.getString("bucket")).isEqualTo("hour");
    JsonArray points = hours.getJsonArray("points");
    assertThat(points).hasSize(13);
    assertThat(points.getJsonObject(9).getLong("t")).isEqualTo(ms("2026-12-04T09:00:00Z"));
    assertThat(usd(points.getJsonObject(9), "cost_usd")).isEqualTo("0.000200");
    assertThat(usd(points.getJsonObject(10), "baseline_cost_usd")).isEqualTo("0.001000");
    assertThat(points.getJsonObject(10).getLong("requests")).isEqualTo(1);
    assertThat(points.getJsonObject(11).getLong("requests")).isZero();
  }

  @Test
  void export_as_csv_parses_back_and_reset_empties_every_table() {
    LedgerTables tables = new LedgerTables(store);
    LedgerTables.Download csv = tables.export(ALL, null, "csv").await();

    assertThat(csv.fileName()).isEqualTo("cost_tracking-all.csv");
    List<List<String>> rows = CsvParser.parse(csv.content().toString());
    assertThat(rows).hasSize(8);                                       // the header and 7 attempts
    int costColumn = rows.get(0).indexOf("cost_micros");
    assertThat(rows.subList(1, 8).stream().mapToLong(r -> Long.parseLong(r.get(costColumn))).sum()).isEqualTo(3950);

    JsonObject json = new JsonObject(tables.export(ReportPeriod.parse("day", null, null, TODAY), "fallback_events",
      "json").await().content());
    assertThat(json.getJsonArray("rows")).isEmpty();
    assertThat(json.getJsonArray("columns")).contains("from_model", "to_model", "reason");

    JsonObject reset = tables.reset().await();
    assertThat(reset.getJsonObject("deleted").getMap()).containsAllEntriesOf(Map.of("routing_decisions", 7L,
      "cost_tracking", 7L, "model_performance", 5L, "fallback_events", 2L, "rate_limit_events", 2L));
    for (String table : Migrations.TABLES) {
      assertThat(store.query("SELECT COUNT(*) AS n FROM " + table, List.of()).await().get(0).getLong("n"))
        .as(table).isZero();
    }
    assertThat(store.query("SELECT COUNT(*) AS n FROM schema_version", List.of()).await().get(0).getLong("n"))
      .isPositive();

    List<List<String>> empty = CsvParser.parse(tables.export(ALL, null, "csv").await().content().toString());
    assertThat(empty).as("an empty table still has its header").hasSize(1);
    assertThat(empty.get(0)).as("the header is the schema's columns, in order").isEqualTo(rows.get(0))
      .isEqualTo(Migrations.columns("cost_tracking"));
  }

  private void decision(String id, String at, String model, String task, String complexity, String key,
                        double confidence, String outcome, int cacheHit, long latency, long escalations) {
    update("INSERT INTO routing_decisions (decision_id, epoch_ms, day, tenant, key_label, policy, model, provider,"
        + " task_type, complexity, confidence, outcome, cache_hit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      id, ms(at), at.substring(0, 10), "anonymous", key, "auto", model, "fake", task, complexity, confidence, outcome,
      (long) cacheHit);
    update("INSERT INTO routing_outcomes (decision_id, epoch_ms, day, kind, outcome, latency_ms, escalations, model,"
        + " task_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      id, ms(at), at.substring(0, 10), "answer", outcome, latency, escalations, model, task);
  }

  private void cost(String id, long attempt, String at, String model, long prompt, long completion, long cost,
                    long baseline) {
    update("INSERT INTO cost_tracking (decision_id, attempt, epoch_ms, day, model, provider, key_label, task_type,"
        + " prompt_tokens, completion_tokens, cached_tokens, cost_micros, baseline_cost_micros, estimated)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      id, attempt, ms(at), at.substring(0, 10), model, "fake", "", "any", prompt, completion, 0L, cost, baseline, 0L);
  }

  private void performance(String day, String model, String task, long requests, long successes, long cost) {
    update("INSERT INTO model_performance (day, model, task_type, requests, successes, failures, escalations,"
        + " latency_sum_ms, cost_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      day, model, task, requests, successes, requests - successes, 0L, 0L, cost);
  }

  private void update(String sql, Object... params) {
    store.update(sql, new ArrayList<>(Arrays.asList(params))).await();
  }

  private static long ms(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static String usd(JsonObject json, String field) {
    return json.getValue(field).toString();
  }
}
