package io.switchboard.report;

import io.switchboard.ledger.LedgerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

import static io.switchboard.report.ReportNumbers.text;
import static io.switchboard.report.ReportNumbers.whole;

/**
 * {@code GET /admin/reports/rate-limits}: requests the gateway refused for a caller's rate limit ({@code gateway},
 * the target is the limited scope) and upstream 429s ({@code upstream}, the target is the model), and the latest.
 */
final class RateLimitReport {

  private final LedgerStore store;

  RateLimitReport(LedgerStore store) {
    this.store = store;
  }

  Future<JsonObject> report(ReportPeriod period) {
    List<Object> bounds = List.of(period.fromDay(), period.toDay());
    Future<List<JsonObject>> targets = store.query("SELECT source, scope_or_model, COUNT(*) AS events"
      + " FROM rate_limit_events WHERE day >= ? AND day <= ? GROUP BY source, scope_or_model"
      + " ORDER BY COUNT(*) DESC, source, scope_or_model", bounds);
    Future<List<JsonObject>> recent = store.query("SELECT epoch_ms, source, scope_or_model, provider, retry_after_ms"
      + " FROM rate_limit_events WHERE day >= ? AND day <= ? ORDER BY epoch_ms DESC LIMIT " + FallbackReport.RECENT,
      bounds);
    return Future.all(targets, recent).map(all -> {
      long events = 0;
      JsonObject bySource = new JsonObject().put("gateway", 0L).put("upstream", 0L);
      JsonArray byTarget = new JsonArray();
      for (JsonObject row : targets.result()) {
        String source = text(row, "source", "");
        long count = whole(row, "events");
        events += count;
        bySource.put(source, bySource.getLong(source, 0L) + count);
        byTarget.add(new JsonObject().put("source", source).put("target", text(row, "scope_or_model", ""))
          .put("events", count));
      }
      JsonArray latest = new JsonArray();
      for (JsonObject row : recent.result()) {
        latest.add(new JsonObject().put("epoch_ms", whole(row, "epoch_ms")).put("source", text(row, "source", ""))
          .put("target", text(row, "scope_or_model", "")).put("provider", row.getValue("provider"))
          .put("retry_after_ms", row.getValue("retry_after_ms")));
      }
      return new JsonObject().put("period", period.toJson()).put("events", events).put("by_source", bySource)
        .put("by_target", byTarget).put("recent", latest);
    });
  }
}
