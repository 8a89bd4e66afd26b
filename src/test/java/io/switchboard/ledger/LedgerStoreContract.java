package io.switchboard.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.switchboard.testkit.FakeProvider.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link LedgerStore} must do, run against each real database: the schema and its version, rows typed
 * alike in both, exactly-once cost rows, upserted rollups, the views, all-or-nothing batches and retention.
 */
abstract class LedgerStoreContract {

  protected Vertx vertx;
  protected LedgerStore store;

  /** A store on an empty database. */
  protected abstract LedgerStore open(Vertx vertx);

  @BeforeEach
  final void openStore() {
    vertx = Vertx.vertx();
    store = open(vertx);
    await(Migrations.migrate(store));
  }

  @AfterEach
  final void closeStore() {
    if (store != null) {
      await(store.close());
    }
    await(vertx.close());
  }

  @Test
  void migrationsAreVersionedAndRunOnce() {
    assertThat(await(Migrations.migrate(store))).isEqualTo(Migrations.latest());
    List<JsonObject> versions = await(store.query("SELECT version FROM schema_version ORDER BY version", List.of()));
    assertThat(versions).extracting(row -> row.getLong("version"))
      .containsExactly(java.util.stream.LongStream.rangeClosed(1, Migrations.latest()).boxed().toArray(Long[]::new));
    for (String table : Migrations.TABLES) {
      assertThat(await(store.query("SELECT COUNT(*) AS n FROM " + table, List.of())).get(0).getLong("n"))
        .as(table).isZero();
    }
  }

  @Test
  void costRowsAreWrittenOncePerAttemptHoweverOftenTheyAreSent() {
    List<Object> first = cost("d1", 1, "2026-12-01", "fake-cheap", 120, 0);
    List<Object> second = cost("d1", 2, "2026-12-01", "fake-premium", 900, 4_000);
    await(store.batch(List.of(new Statement(LedgerRows.COST, List.of(first, second, first)))));
    await(store.batch(List.of(new Statement(LedgerRows.COST, List.of(second)))));

    List<JsonObject> rows = await(store.query(
      "SELECT decision_id, attempt, cost_micros, baseline_cost_micros, model FROM cost_tracking ORDER BY attempt",
      List.of()));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getValue("attempt")).isInstanceOf(Long.class).isEqualTo(1L);
    assertThat(rows.get(1).getValue("cost_micros")).isEqualTo(900L);
    assertThat(rows.get(1).getString("model")).isEqualTo("fake-premium");
    JsonObject daily = await(store.query("SELECT * FROM daily_costs_by_model WHERE model = ?",
      List.of("fake-premium"))).get(0);
    assertThat(daily.getLong("requests")).isEqualTo(1L);
    assertThat(daily.getLong("cost_micros")).isEqualTo(900L);
    assertThat(daily.getLong("baseline_cost_micros")).isEqualTo(4_000L);
  }

  @Test
  void rollupsAddUpAndTheSummaryViewsReadThem() {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(row("2026-12-01", "fake-cheap", "coding", 1L, 1L, 0L, 0L, 100L, 40L, 1L));
    rows.add(row("2026-12-01", "fake-cheap", "coding", 1L, 0L, 1L, 0L, 300L, 60L, 2L));
    rows.add(row("2026-12-02", "fake-cheap", "chat", 2L, 2L, 0L, 1L, 200L, 100L, 2L));
    await(store.batch(List.of(new Statement(LedgerRows.PERFORMANCE, rows),
      new Statement(LedgerRows.FALLBACK, List.of(row("d1", 5L, "2026-12-01", 1L, "fake-cheap", "fake-premium",
        "fake", "upstream_error"))))));

    JsonObject coding = await(store.query(
      "SELECT requests, successes, failures, latency_sum_ms, cost_micros, attempts FROM model_performance "
        + "WHERE day = ? AND model = ? AND task_type = ?", List.of("2026-12-01", "fake-cheap", "coding"))).get(0);
    assertThat(coding).isEqualTo(new JsonObject().put("requests", 2L).put("successes", 1L).put("failures", 1L)
      .put("latency_sum_ms", 400L).put("cost_micros", 100L).put("attempts", 3L));

    JsonObject summary = await(store.query("SELECT * FROM model_summary", List.of())).get(0);
    assertThat(summary.getLong("requests")).isEqualTo(4L);
    assertThat(summary.getLong("successes")).isEqualTo(3L);
    assertThat(summary.getLong("cost_micros")).isEqualTo(200L);
    assertThat(summary.getValue("success_rate")).isInstanceOf(Double.class);
    assertThat(summary.getDouble("success_rate")).isEqualTo(0.75);

    JsonObject rates = await(store.query("SELECT model, attempts, fallbacks, fallback_rate FROM fallback_rates",
      List.of())).get(0);
    assertThat(rates.getLong("attempts")).isEqualTo(5L);
    assertThat(rates.getLong("fallbacks")).isEqualTo(1L);
    assertThat(rates.getDouble("fallback_rate")).isEqualTo(0.2);
  }

  @Test
  void budgetStatusCountsRefusalsAndAlerts() {
    await(store.batch(List.of(new Statement(LedgerRows.BUDGET, List.of(
      row(1L, "2026-12-01", "global", "daily", "alert", 1_000_000L, 800_000L, 0.8),
      row(2L, "2026-12-01", "global", "daily", "refused", 1_000_000L, 1_000_000L, null))))));
    JsonObject status = await(store.query("SELECT * FROM budget_status", List.of())).get(0);
    assertThat(status.getString("scope")).isEqualTo("global");
    assertThat(status.getLong("refusals")).isEqualTo(1L);
    assertThat(status.getLong("alerts")).isEqualTo(1L);
    assertThat(status.getLong("spent_micros")).isEqualTo(1_000_000L);
    assertThat(status.getDouble("threshold")).isEqualTo(0.8);
  }

  @Test
  void aBatchIsAllOrNothing() {
    Future<Void> failed = store.batch(List.of(
      new Statement(LedgerRows.COST, List.of(cost("d9", 1, "2026-12-01", "m", 1, 0))),
      Statement.of("INSERT INTO no_such_table (x) VALUES (1)")));
    assertThatThrownBy(() -> await(failed)).isNotNull();
    assertThat(await(store.query("SELECT COUNT(*) AS n FROM cost_tracking", List.of())).get(0).getLong("n"))
      .isZero();
    assertThat(await(store.update("DELETE FROM cost_tracking WHERE decision_id = ?", List.of("none")))).isZero();
  }

  @Test
  void retentionDeletesRowsOlderThanTheCutOff() {
    long day = 86_400_000L;
    long now = 400 * day;
    await(store.batch(List.of(
      new Statement(LedgerRows.COST, List.of(costAt("old", now - 10 * day), costAt("new", now - day))),
      new Statement(LedgerRows.PERFORMANCE, List.of(
        row(Ledger.day(now - 10 * day), "m", "chat", 1L, 1L, 0L, 0L, 1L, 1L, 1L),
        row(Ledger.day(now - day), "m", "chat", 1L, 1L, 0L, 0L, 1L, 1L, 1L))),
      new Statement(LedgerRows.RATE_LIMIT, List.of(
        row(now - 10 * day, Ledger.day(now - 10 * day), "gateway", "model:m", "fake", 100L, null))))));

    assertThat(await(Retention.delete(store, now - 5 * day))).isEqualTo(3);

    assertThat(await(store.query("SELECT decision_id FROM cost_tracking", List.of())))
      .extracting(row -> row.getString("decision_id")).containsExactly("new");
    assertThat(await(store.query("SELECT day FROM model_performance", List.of())))
      .extracting(row -> row.getString("day")).containsExactly(Ledger.day(now - day));
  }

  @Test
  void placeholdersInsideTextStayText() {
    await(store.update("INSERT INTO budget_tracking (epoch_ms, day, scope, period, event) VALUES (?, ?, 'a?b', ?, ?)",
      List.of(1L, "2026-12-01", "daily", "alert")));
    assertThat(await(store.query("SELECT scope FROM budget_tracking WHERE period = ?", List.of("daily"))).get(0)
      .getString("scope")).isEqualTo("a?b");
  }

  private static List<Object> cost(String decision, int attempt, String day, String model, long cost, long baseline) {
    return row(decision, (long) attempt, 1_000L, day, model, "fake", "vk_1", "coding", 10L, 20L, 0L, cost, baseline,
      0L, "simple", "", "ok", 0L);
  }

  private static List<Object> costAt(String decision, long epochMillis) {
    return row(decision, 1L, epochMillis, Ledger.day(epochMillis), "m", "fake", "", "chat", 1L, 1L, 0L, 1L, 1L, 0L,
      "simple", "", "ok", 0L);
  }

  static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
