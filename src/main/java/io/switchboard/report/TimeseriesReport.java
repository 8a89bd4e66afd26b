package io.switchboard.report;

import io.switchboard.ledger.LedgerStore;
import io.switchboard.openai.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.report.ReportNumbers.text;
import static io.switchboard.report.ReportNumbers.usd;
import static io.switchboard.report.ReportNumbers.whole;

/**
 * {@code GET /admin/reports/timeseries}: cost, baseline cost and requests per hour or per UTC day, one point per
 * bucket from the period's start (for {@code all}, its first bucket with traffic) to its end or now, whichever
 * comes first, buckets without traffic included as zeros so a chart's time axis is even.
 */
final class TimeseriesReport {

  private static final long HOUR = 3_600_000L;
  /** Hourly points of more days than this would be a chart nobody can read; ask for days. */
  static final int MAX_HOURLY_DAYS = 92;

  private final LedgerStore store;

  TimeseriesReport(LedgerStore store) {
    this.store = store;
  }

  /** @param bucket {@code hour} or {@code day}; null: hours for a one-day period, else days */
  Future<JsonObject> report(ReportPeriod period, String bucket, Instant now) {
    String chosen = bucket != null ? bucket : period.from().equals(period.to()) ? "hour" : "day";
    if (!chosen.equals("hour") && !chosen.equals("day")) {
      throw ApiError.invalid("invalid_value", "bucket", "bucket must be hour or day").exception();
    }
    boolean hourly = chosen.equals("hour");
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (hourly && !period.name().equals("all")
      && ChronoUnit.DAYS.between(period.from(), period.lastDayUpTo(today)) >= MAX_HOURLY_DAYS) {
      throw ApiError.invalid("invalid_value", "bucket",
        "bucket=hour covers at most " + MAX_HOURLY_DAYS + " days: ask for bucket=day").exception();
    }
    // whole-number division truncates in SQLite and PostgreSQL alike: the start of the epoch-ms hour
    String key = hourly ? "(epoch_ms / " + HOUR + ") * " + HOUR : "day";
    String sql = "SELECT " + key + " AS t, SUM(cost_micros) AS cost_micros,"
      + " SUM(baseline_cost_micros) AS baseline_cost_micros, COUNT(DISTINCT decision_id) AS requests"
      + " FROM cost_tracking WHERE day >= ? AND day <= ? GROUP BY " + key + " ORDER BY " + key;
    return store.query(sql, List.of(period.fromDay(), period.toDay())).compose(rows -> {
      Map<Long, JsonObject> byStart = new HashMap<>();
      long first = Long.MAX_VALUE;
      for (JsonObject row : rows) {
        long start = hourly ? whole(row, "t") : epochMillis(LocalDate.parse(text(row, "t", "1970-01-01")));
        byStart.put(start, row);
        first = Math.min(first, start);
      }
      long step = hourly ? HOUR : 24 * HOUR;
      long from = period.name().equals("all") ? first : epochMillis(period.from());
      LocalDate last = period.lastDayUpTo(today);
      long to = last.equals(today) ? now.toEpochMilli() - now.toEpochMilli() % step
        : epochMillis(last.plusDays(1)) - step;
      if (hourly && to - from > MAX_HOURLY_DAYS * 24 * HOUR) {
        return Future.failedFuture(ApiError.invalid("invalid_value", "bucket", "The ledger spans more than "
          + MAX_HOURLY_DAYS + " days: ask for bucket=day, or a shorter period").exception());
      }
      JsonArray points = new JsonArray();
      for (long t = from; t <= to; t += step) {
        JsonObject row = byStart.getOrDefault(t, new JsonObject());
        points.add(new JsonObject().put("t", t).put("cost_usd", usd(whole(row, "cost_micros")))
          .put("baseline_cost_usd", usd(whole(row, "baseline_cost_micros"))).put("requests", whole(row, "requests")));
      }
      return Future.succeededFuture(new JsonObject().put("period", period.toJson()).put("bucket", chosen)
        .put("points", points));
    });
  }

  private static long epochMillis(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
