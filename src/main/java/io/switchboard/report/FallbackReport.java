package io.switchboard.report;

import io.switchboard.ledger.LedgerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.report.ReportNumbers.rate;
import static io.switchboard.report.ReportNumbers.text;
import static io.switchboard.report.ReportNumbers.whole;

/**
 * {@code GET /admin/reports/fallbacks}: how many requests of a period needed another model than their first, which
 * models were left and why, and the latest fallbacks. The ledger also records a retry on the same model as a
 * fallback event (from and to the same model): those are counted apart, as {@code retries}.
 */
final class FallbackReport {

  static final int RECENT = 50;

  private final LedgerStore store;

  FallbackReport(LedgerStore store) {
    this.store = store;
  }

  Future<JsonObject> report(ReportPeriod period) {
    List<Object> bounds = List.of(period.fromDay(), period.toDay());
    Future<List<JsonObject>> requests = store.query(
      "SELECT COUNT(*) AS requests FROM routing_decisions WHERE day >= ? AND day <= ?", bounds);
    Future<List<JsonObject>> withFallback = store.query(
      "SELECT COUNT(DISTINCT decision_id) AS requests FROM fallback_events WHERE day >= ? AND day <= ?"
        + " AND to_model <> from_model", bounds);
    Future<List<JsonObject>> reasons = store.query("SELECT from_model, provider, reason,"
      + " SUM(CASE WHEN to_model <> from_model THEN 1 ELSE 0 END) AS fallbacks,"
      + " SUM(CASE WHEN to_model = from_model THEN 1 ELSE 0 END) AS retries"
      + " FROM fallback_events WHERE day >= ? AND day <= ? GROUP BY from_model, provider, reason", bounds);
    Future<List<JsonObject>> recent = store.query("SELECT epoch_ms, decision_id, from_model, to_model, reason"
      + " FROM fallback_events WHERE day >= ? AND day <= ? ORDER BY epoch_ms DESC, decision_id, attempt DESC LIMIT "
      + RECENT, bounds);
    return Future.all(requests, withFallback, reasons, recent).map(all -> {
      long total = whole(requests.result().get(0), "requests");
      long fallen = whole(withFallback.result().get(0), "requests");
      return new JsonObject()
        .put("period", period.toJson())
        .put("requests", total)
        .put("requests_with_fallback", fallen)
        .put("fallback_rate", rate(fallen, total))
        .put("by_model", byModel(reasons.result()))
        .put("recent", new JsonArray(new ArrayList<>(recent.result())));
    });
  }

  /**
   * One entry per (model, provider) left, most fallbacks first: fallbacks to another model, retries on the same,
   * and how many of both each reason caused.
   */
  private static JsonArray byModel(List<JsonObject> rows) {
    Map<String, JsonObject> entries = new LinkedHashMap<>();
    for (JsonObject row : rows) {
      String model = text(row, "from_model", "");
      String provider = text(row, "provider", "");
      JsonObject entry = entries.computeIfAbsent(model + '\n' + provider, k -> new JsonObject()
        .put("model", model).put("provider", provider).put("fallbacks", 0L).put("retries", 0L)
        .put("reasons", new JsonObject()));
      long fallbacks = whole(row, "fallbacks");
      long retries = whole(row, "retries");
      entry.put("fallbacks", entry.getLong("fallbacks") + fallbacks).put("retries", entry.getLong("retries") + retries);
      entry.getJsonObject("reasons").put(text(row, "reason", ""), fallbacks + retries);
    }
    List<JsonObject> sorted = new ArrayList<>(entries.values());
    sorted.sort((a, b) -> b.getLong("fallbacks").equals(a.getLong("fallbacks"))
      ? a.getString("model").compareTo(b.getString("model"))
      : Long.compare(b.getLong("fallbacks"), a.getLong("fallbacks")));
    return new JsonArray(new ArrayList<>(sorted));
  }
}
