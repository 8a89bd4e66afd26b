package io.switchboard.report;

import io.vertx.core.json.JsonObject;

import java.time.LocalDate;

import static io.switchboard.report.ReportNumbers.usd;

/**
 * Where this month's spend ends if the rest of the month spends like the days so far: month-to-date cost divided
 * by the days elapsed (today counted as a whole day), times the days in the month.
 */
record MonthProjection(long monthToDateMicros, int daysElapsed, int daysInMonth) {

  static MonthProjection of(long monthToDateMicros, LocalDate today) {
    return new MonthProjection(monthToDateMicros, today.getDayOfMonth(), today.lengthOfMonth());
  }

  long projectedMicros() {
    return Math.round(monthToDateMicros * (double) daysInMonth / daysElapsed);
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("month_to_date_usd", usd(monthToDateMicros))
      .put("projected_month_usd", usd(projectedMicros()))
      .put("days_elapsed", daysElapsed)
      .put("days_in_month", daysInMonth);
  }
}
