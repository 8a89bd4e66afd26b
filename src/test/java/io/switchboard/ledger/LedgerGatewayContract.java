package io.switchboard.ledger;

import io.switchboard.cost.AttemptRecord;
import io.switchboard.bus.Addresses;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FaultRig;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.switchboard.testkit.FakeProvider.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger as the real gateway writes it, in front of a fake provider, run on each store: one cost row per
 * billable upstream call whatever the fallbacks, cut streams and duplicate facts, fallback and 429 events, outcome
 * rows for escalations and feedback, no prompt text by default, and nothing lost when the gateway stops.
 */
abstract class LedgerGatewayContract {

  static final String CHAT = "/v1/chat/completions";

  protected FaultRig rig;
  /** The configuration the running gateway was started with. */
  protected JsonObject config;

  /** Points {@code config}'s analytics section at the store under test (on a fresh, empty database). */
  protected abstract void useStore(JsonObject config);

  /** The store {@code config} points at, opened again (after its gateway stopped). */
  protected abstract LedgerStore reopen(Vertx vertx, JsonObject config);

  @AfterEach
  final void stopRig() {
    if (rig != null) {
      rig.close();
    }
  }

  protected FaultRig start(Consumer<JsonObject> tweak) {
    rig = FaultRig.start(started -> {
      useStore(started);
      tweak.accept(started);
      config = started.copy();
    });
    return rig;
  }

  protected List<JsonObject> rows(String sql, Object... params) {
    return await(rig.gateway.ledger().orElseThrow().store().query(sql, List.of(params)));
  }

  /** The single number {@code sql} selects as {@code n}; 0 for a NULL (a SUM over no rows). */
  protected long count(String sql, Object... params) {
    Long n = rows(sql, params).get(0).getLong("n");
    return n == null ? 0 : n;
  }

  @Test
  void every_billable_call_has_exactly_one_cost_row_through_fallbacks_429s_and_cut_streams() {
    start(config -> { });
    // two 500s on primary (both of its tries), then backup answers
    rig.upstream.on("primary", Behaviour.error(500, "server_error", "down"), Behaviour.error(500, "server_error",
      "down"), Behaviour.ok(), Behaviour.error(429, "rate_limit_exceeded", "later")
      .withHeaders(Map.of("Retry-After", "30")));
    rig.upstream.on("solo", Behaviour.ok().withPieces("one", " two", " three", " four").cutAfter(2));

    String failedOver = decision(rig.client.post(CHAT, Chats.chat("primary", "first")));
    String direct = decision(rig.client.post(CHAT, Chats.chat("primary", "second")));
    String limited = decision(rig.client.post(CHAT, Chats.chat("primary", "third")));
    TestClient.Result cut = await(rig.client.stream(CHAT, Chats.streaming("solo", "fourth"), (response, chunk) -> { }));
    String cutId = cut.headers().get("x-switchboard-decision-id");
    Poll.until(() -> assertThat(rig.usageFacts).hasSize(4));

    long billable = rig.attemptFacts.stream().filter(AttemptRecord::billable).count();
    assertThat(rig.upstream.attempts()).as("the fake provider's log").hasSize(7);
    Poll.until(() -> assertThat(count("SELECT SUM(attempts) AS n FROM model_performance"))
      .as("every call counted").isEqualTo(7));
    Poll.until(() -> assertThat(count("SELECT COUNT(*) AS n FROM cost_tracking")).isEqualTo(billable));
    // the calls that answered, by the fake provider's log: all of backup's and solo's, primary's but its 3 refusals
    assertThat(count("SELECT COUNT(*) AS n FROM cost_tracking WHERE model = 'backup'"))
      .isEqualTo(rig.upstream.attempts("backup").size()).isEqualTo(2);
    assertThat(count("SELECT COUNT(*) AS n FROM cost_tracking WHERE model = 'primary'"))
      .isEqualTo(rig.upstream.attempts("primary").size() - 3).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) AS n FROM cost_tracking WHERE model = 'solo'"))
      .isEqualTo(rig.upstream.attempts("solo").size()).isEqualTo(1);

    // a fact delivered twice changes nothing
    rig.attemptFacts.stream().filter(a -> a.decisionId().equals(failedOver)).forEach(a ->
      rig.vertx.eventBus().publish(Addresses.ATTEMPT_RECORDED, a));
    Poll.until(() -> assertThat(count("SELECT SUM(attempts) AS n FROM model_performance")).isEqualTo(7));
    assertThat(count("SELECT COUNT(*) AS n FROM cost_tracking")).isEqualTo(billable);

    for (String id : List.of(failedOver, direct, limited, cutId)) {
      JsonObject sums = rows("SELECT SUM(cost_micros) AS cost, SUM(baseline_cost_micros) AS baseline, COUNT(*) AS n "
        + "FROM cost_tracking WHERE decision_id = ?", id).get(0);
      assertThat(sums.getLong("n")).as(id).isEqualTo(1);
      assertThat(sums.getLong("cost")).as("cost of " + id).isEqualTo(rig.usageOf(id).get(0).costMicros());
      assertThat(sums.getLong("baseline")).as("baseline of " + id)
        .isEqualTo(rig.usageOf(id).get(0).baselineCostMicros());
    }
    assertThat(rows("SELECT attempt, from_model, to_model, reason FROM fallback_events WHERE decision_id = ? "
      + "ORDER BY attempt", failedOver)).extracting(r -> r.getString("from_model") + ">" + r.getString("to_model"))
      .containsExactly("primary>primary", "primary>backup");
    assertThat(rows("SELECT reason FROM fallback_events WHERE decision_id = ?", limited))
      .extracting(r -> r.getString("reason")).containsExactly("upstream_rate_limited");
    assertThat(rows("SELECT source, scope_or_model, provider FROM rate_limit_events")).containsExactly(
      new JsonObject().put("source", "upstream").put("scope_or_model", "primary").put("provider", "fake"));
    assertThat(rows("SELECT outcome, cache_hit FROM routing_decisions WHERE decision_id = ?", cutId))
      .containsExactly(new JsonObject().put("outcome", "stream_cut").put("cache_hit", 0L));
    assertThat(count("SELECT COUNT(*) AS n FROM fallback_events")).isEqualTo(3);
  }

  @Test
  void the_gateways_own_rate_limit_refusals_are_recorded() {
    start(config -> config.getJsonObject("models").getJsonObject("solo")
      .put("limits", new JsonObject().put("requests_per_minute", 1)));
    assertThat(rig.client.post(CHAT, Chats.chat("solo", "one")).status()).isEqualTo(200);
    assertThat(rig.client.post(CHAT, Chats.chat("solo", "two")).status()).isEqualTo(429);

    Poll.until(() -> assertThat(rows("SELECT source, scope_or_model, provider FROM rate_limit_events"))
      .containsExactly(new JsonObject().put("source", "gateway").put("scope_or_model", "model:solo")
        .put("provider", "fake")));
    assertThat(rows("SELECT retry_after_ms FROM rate_limit_events").get(0).getLong("retry_after_ms")).isPositive();
  }

  @Test
  void budget_alerts_and_refusals_are_recorded() {
    // worst case 12 + 10 x 2 = 32 micro-dollars of a 40 budget; the answer costs 12 + 7 x 2 = 26, past the 50 % alert
    start(config -> config.put("budgets", new JsonObject().put("global", new JsonObject().put("daily_usd", 0.00004))
      .put("default_output_tokens", 10).put("alert_thresholds", new JsonArray().add(50))));
    decision(rig.client.post(CHAT, Chats.chat("solo", "one")));
    Poll.until(() -> assertThat(count("SELECT COUNT(*) AS n FROM budget_tracking")).isEqualTo(1));
    assertThat(rig.client.post(CHAT, Chats.chat("solo", "two")).status()).isEqualTo(429);

    Poll.until(() -> assertThat(rows("SELECT scope, period, event, limit_micros FROM budget_tracking ORDER BY epoch_ms"))
      .extracting(r -> r.getString("scope") + " " + r.getString("period") + " " + r.getString("event") + " "
        + r.getLong("limit_micros"))
      .containsExactly("global daily alert 40", "global daily refused 40"));
    JsonObject alert = rows("SELECT spent_micros, threshold FROM budget_tracking WHERE event = 'alert'").get(0);
    assertThat(alert.getLong("spent_micros")).isEqualTo(rig.usageFacts.get(0).costMicros());
    assertThat(alert.getDouble("threshold")).isEqualTo(0.5);
    assertThat(rows("SELECT refusals, alerts FROM budget_status")).containsExactly(
      new JsonObject().put("refusals", 1L).put("alerts", 1L));
  }

  @Test
  void a_cache_hit_is_one_free_cost_row_carrying_the_baseline_it_saved() {
    start(config -> { });
    JsonObject deterministic = Chats.chat("solo", "the same question").put("temperature", 0);
    String first = decision(rig.client.post(CHAT, deterministic));
    TestClient.Result again = rig.client.post(CHAT, deterministic);
    String hit = decision(again);
    assertThat(rig.upstream.attempts()).as("answered from the cache").hasSize(1);

    Poll.until(() -> assertThat(count("SELECT COUNT(*) AS n FROM routing_decisions")).isEqualTo(2));
    Poll.until(() -> assertThat(count("SELECT COUNT(*) AS n FROM cost_tracking")).isEqualTo(2));
    JsonObject row = rows("SELECT attempt, cost_micros, baseline_cost_micros, cache_hit FROM cost_tracking "
      + "WHERE decision_id = ?", hit).get(0);
    assertThat(row.getLong("attempt")).isZero();
    assertThat(row.getLong("cost_micros")).isZero();
    assertThat(row.getLong("cache_hit")).isEqualTo(1);
    assertThat(row.getLong("baseline_cost_micros")).isEqualTo(rig.usageOf(hit).get(0).baselineCostMicros())
      .isPositive();
    assertThat(rows("SELECT decision_id FROM routing_decisions WHERE cache_hit = 1"))
      .extracting(r -> r.getString("decision_id")).containsExactly(hit);
    assertThat(first).isNotEqualTo(hit);
  }

  @Test
  void escalations_and_feedback_are_outcome_rows() {
    start(config -> {
      config.getJsonObject("routing").getJsonObject("policies").put("auto", new JsonObject().put("default",
        new JsonObject().put("primary", "fake-cheap").put("escalate_to", new JsonArray()
          .add("fake-premium"))));
      config.put("escalation", new JsonObject().put("min_chars", new JsonObject().put("default", 10)));
    });
    rig.upstream.on("fake-cheap", Behaviour.ok().withPieces("no"));
    String id = decision(rig.client.post(CHAT, Chats.chat("auto", "say hello to my friend")));
    Poll.until(() -> assertThat(rig.client.post("/v1/feedback", new JsonObject().put("decision_id", id)
      .put("score", 0.25)).status()).isEqualTo(200));

    Poll.until(() -> assertThat(rows("SELECT kind, outcome, model, score FROM routing_outcomes WHERE decision_id = ? "
      + "ORDER BY kind", id)).extracting(r -> r.getString("kind") + ":" + r.getString("outcome"))
      .containsExactly("answer:ok", "escalation:too_short", "feedback:scored"));
    JsonObject feedback = rows("SELECT model, score FROM routing_outcomes WHERE kind = 'feedback'").get(0);
    assertThat(feedback.getString("model")).isEqualTo("fake-premium");
    assertThat(feedback.getDouble("score")).isEqualTo(0.25);
    assertThat(rows("SELECT escalations FROM routing_outcomes WHERE kind = 'answer'").get(0).getLong("escalations"))
      .isEqualTo(1);
    assertThat(count("SELECT SUM(escalations) AS n FROM model_performance WHERE model = 'fake-cheap'")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) AS n FROM cost_tracking WHERE decision_id = ?", id))
      .as("the escalated answer and the returned one").isEqualTo(2);
    assertThat(rows("SELECT model, baseline_cost_micros FROM cost_tracking WHERE decision_id = ? AND "
      + "baseline_cost_micros > 0", id)).extracting(r -> r.getString("model")).containsExactly("fake-premium");
  }

  @Test
  void no_prompt_text_is_kept_unless_asked_for() {
    start(config -> { });
    String secret = "marmalade-" + System.nanoTime();
    decision(rig.client.post(CHAT, Chats.chat("primary", "tell me about " + secret)));
    Poll.until(() -> assertThat(count("SELECT COUNT(*) AS n FROM routing_decisions")).isEqualTo(1));
    assertThat(rows("SELECT prompt FROM routing_decisions").get(0).getValue("prompt")).isNull();
    assertNoPromptStored(secret);
  }

  /** What else the store may hold that a query does not show (the file's bytes): none of {@code text}. */
  protected void assertNoPromptStored(String text) {
    assertThat(count("SELECT COUNT(*) AS n FROM routing_decisions WHERE prompt LIKE ?", "%" + text + "%")).isZero();
  }

  @Test
  void with_store_prompts_the_last_user_message_is_kept_cut_to_its_limit() {
    start(config -> config.getJsonObject("analytics").put("store_prompts", true).put("prompt_max_chars", 12));
    decision(rig.client.post(CHAT, Chats.chat("primary", "abcdefghijklmnopqrstuvwxyz")));
    Poll.until(() -> assertThat(rows("SELECT prompt FROM routing_decisions")).extracting(r -> r.getString("prompt"))
      .containsExactly("abcdefghijkl"));
  }

  @Test
  void stopping_the_gateway_writes_everything_it_still_held() {
    start(config -> config.getJsonObject("analytics").put("flush_ms", 60_000).put("batch_rows", 10_000));
    for (int i = 0; i < 5; i++) {
      decision(rig.client.post(CHAT, Chats.chat("primary", "request " + i)));
    }
    Poll.until(() -> assertThat(rig.usageFacts).hasSize(5));
    assertThat(count("SELECT COUNT(*) AS n FROM routing_decisions")).as("nothing flushed yet").isZero();
    rig.close();
    rig = null;

    Vertx vertx = Vertx.vertx();
    try {
      LedgerStore store = reopen(vertx, config);
      assertThat(await(store.query("SELECT COUNT(*) AS n FROM routing_decisions", List.of())).get(0).getLong("n"))
        .isEqualTo(5);
      assertThat(await(store.query("SELECT COUNT(*) AS n FROM cost_tracking", List.of())).get(0).getLong("n"))
        .isEqualTo(5);
      await(store.close());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void retention_deletes_rows_older_than_retention_days() {
    JsonObject prepared = new JsonObject();
    useStore(prepared);
    long old = System.currentTimeMillis() - 40L * 86_400_000;
    Vertx vertx = Vertx.vertx();
    try {
      LedgerStore store = reopen(vertx, prepared);
      await(Migrations.migrate(store));
      await(store.batch(List.of(new Statement(LedgerRows.BUDGET, List.of(
        LedgerStoreContract.row(old, Ledger.day(old), "global", "daily", "alert", 1L, 1L, 0.5))))));
      await(store.close());
    } finally {
      vertx.close().await();
    }
    start(config -> config.put("analytics", prepared.getJsonObject("analytics").copy().put("retention_days", 30)));
    decision(rig.client.post(CHAT, Chats.chat("primary", "fresh")));

    Poll.until(() -> assertThat(count("SELECT COUNT(*) AS n FROM budget_tracking")).isZero());
    Poll.until(() -> assertThat(count("SELECT COUNT(*) AS n FROM routing_decisions")).isEqualTo(1));
  }

  private static String decision(TestClient.Result result) {
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    return result.headers().get("x-switchboard-decision-id");
  }
}
