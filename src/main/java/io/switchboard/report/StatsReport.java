package io.switchboard.report;

import io.switchboard.ledger.LedgerStore;
import io.switchboard.openai.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.report.ReportNumbers.text;
import static io.switchboard.report.ReportNumbers.whole;

/**
 * {@code GET /admin/reports/stats}: requests of a period (by the day they were routed), their tokens, cost, the
 * baseline's cost, savings, escalation, response-cache, success rates and latency percentiles, in total and per
 * group. A request's cost is the sum of its billable attempts; it is grouped by the model that answered it.
 */
final class StatsReport {

  /** The {@code by} values and the {@code routing_decisions} column each groups on. */
  static final Map<String, String> GROUPS = Map.of("model", "d.model", "task_type", "d.task_type",
    "complexity", "d.complexity", "key", "d.key_label", "day", "d.day", "provider", "d.provider");

  private final LedgerStore store;

  StatsReport(LedgerStore store) {
    this.store = store;
  }

  /** @param by a key of {@link #GROUPS}, or null for totals only */
  Future<JsonObject> report(ReportPeriod period, String by) {
    if (by != null && !GROUPS.containsKey(by)) {
      throw ApiError.invalid("invalid_value", "by",
        "by must be one of model, task_type, complexity, key, day, provider").exception();
    }
    Future<Map<String, Figures>> totals = figures(period, null);
    Future<Map<String, Figures>> groups = by == null ? Future.succeededFuture(Map.of()) : figures(period, by);
    return Future.all(totals, groups).map(all -> {
      Figures total = totals.result().getOrDefault("", Figures.of(new JsonObject(), new long[0]));
      JsonObject report = new JsonObject().put("period", period.toJson()).put("totals", total.toJson());
      if (by != null) {
        JsonArray array = new JsonArray();
        groups.result().forEach((key, figures) ->
          array.add(new JsonObject().put("key", key).mergeIn(figures.toJson())));
        report.put("by", by).put("groups", array);
      }
      return report;
    });
  }

  /** The figures of the period per value of {@code by} (in key order), or under "" for the whole period. */
  Future<Map<String, Figures>> figures(ReportPeriod period, String by) {
    // totals: one row over everything (PostgreSQL refuses a constant in GROUP BY)
    String key = by == null ? "''" : GROUPS.get(by);
    List<Object> bounds = List.of(period.fromDay(), period.toDay());
    String inPeriod = "SELECT decision_id FROM routing_decisions WHERE day >= ? AND day <= ?";
    String sums = "SELECT " + key + " AS k, COUNT(*) AS requests, SUM(c.prompt_tokens) AS prompt_tokens,"
      + " SUM(c.completion_tokens) AS completion_tokens, SUM(c.cost_micros) AS cost_micros,"
      + " SUM(c.baseline_cost_micros) AS baseline_cost_micros,"
      + " SUM(CASE WHEN o.escalations > 0 THEN 1 ELSE 0 END) AS escalated,"
      + " SUM(CASE WHEN d.cache_hit = 1 THEN 1 ELSE 0 END) AS cache_hits,"
      + " SUM(CASE WHEN d.outcome = 'ok' THEN 1 ELSE 0 END) AS successes"
      + " FROM routing_decisions d"
      + " LEFT JOIN (SELECT decision_id, SUM(prompt_tokens) AS prompt_tokens,"
      + " SUM(completion_tokens) AS completion_tokens, SUM(cost_micros) AS cost_micros,"
      + " SUM(baseline_cost_micros) AS baseline_cost_micros FROM cost_tracking"
      + " WHERE decision_id IN (" + inPeriod + ") GROUP BY decision_id) c ON c.decision_id = d.decision_id"
      + " LEFT JOIN (SELECT decision_id, MAX(escalations) AS escalations FROM routing_outcomes"
      + " WHERE kind = 'answer' AND decision_id IN (" + inPeriod + ") GROUP BY decision_id) o"
      + " ON o.decision_id = d.decision_id"
      + " WHERE d.day >= ? AND d.day <= ?" + (by == null ? "" : " GROUP BY " + key + " ORDER BY " + key);
    String latencies = "SELECT " + key + " AS k, o.latency_ms AS latency_ms FROM routing_decisions d"
      + " JOIN routing_outcomes o ON o.decision_id = d.decision_id"
      + " WHERE o.kind = 'answer' AND o.latency_ms IS NOT NULL AND d.day >= ? AND d.day <= ?";
    List<Object> sumParams = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sumParams.addAll(bounds);
    }
    Future<List<JsonObject>> sumRows = store.query(sums, sumParams);
    Future<List<JsonObject>> latencyRows = store.query(latencies, bounds);
    return Future.all(sumRows, latencyRows).map(all -> {
      Map<String, List<Long>> latenciesByKey = new HashMap<>();
      for (JsonObject row : latencyRows.result()) {
        latenciesByKey.computeIfAbsent(text(row, "k", ""), k -> new ArrayList<>()).add(whole(row, "latency_ms"));
      }
      Map<String, Figures> result = new LinkedHashMap<>();
      for (JsonObject row : sumRows.result()) {
        String k = text(row, "k", "");
        long[] values = latenciesByKey.getOrDefault(k, List.of()).stream().mapToLong(Long::longValue).toArray();
        result.put(k, Figures.of(row, values));
      }
      return result;
    });
  }
}
