package io.switchboard.report;

import io.switchboard.openai.ApiError;
import io.vertx.core.json.JsonObject;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Pattern;

/**
 * The UTC days a report covers, both ends included: the calendar day, ISO week or month containing today, every
 * day ({@code all}), or the days from {@code from} to {@code to}. Ledger rows carry their UTC day as
 * {@code YYYY-MM-DD} text, which sorts like the date, so the bounds go into SQL as strings.
 *
 * @param name {@code day}, {@code week}, {@code month}, {@code all} or {@code custom}
 */
public record ReportPeriod(String name, LocalDate from, LocalDate to) {

  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  /** Bounds of {@code all}: every day a ledger can hold sorts between them. */
  private static final LocalDate FIRST = LocalDate.of(1970, 1, 1);
  private static final LocalDate LAST = LocalDate.of(9999, 12, 31);
  /** A custom range longer than this is a typo more likely than a question (about 27 years). */
  private static final long MAX_DAYS = 10_000;

  /**
   * @param period the {@code period} query parameter, or null
   * @param from   the {@code from} query parameter, or null
   * @param to     the {@code to} query parameter, or null
   * @throws io.switchboard.openai.ApiException (400) naming the parameter that is wrong
   */
  public static ReportPeriod parse(String period, String from, String to, LocalDate today) {
    if (from != null || to != null) {
      if (period != null) {
        throw invalid("period", "Give either period or from and to, not both");
      }
      if (from == null) {
        throw invalid("from", "from is required with to (YYYY-MM-DD, UTC)");
      }
      if (to == null) {
        throw invalid("to", "to is required with from (YYYY-MM-DD, UTC)");
      }
      LocalDate start = date("from", from);
      LocalDate end = date("to", to);
      if (end.isBefore(start)) {
        throw invalid("to", "to must not be before from");
      }
      if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
        throw invalid("to", "The range from..to may span at most " + MAX_DAYS + " days");
      }
      return new ReportPeriod("custom", start, end);
    }
    String name = period == null ? "day" : period;
    return switch (name) {
      case "day" -> new ReportPeriod(name, today, today);
      case "week" -> new ReportPeriod(name, today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
        today.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY)));
      case "month" -> new ReportPeriod(name, today.withDayOfMonth(1), today.with(TemporalAdjusters.lastDayOfMonth()));
      case "all" -> new ReportPeriod(name, FIRST, LAST);
      default -> throw invalid("period", "period must be day, week, month or all (or give from and to)");
    };
  }

  /** The first day, as the ledger's {@code day} column spells it. */
  public String fromDay() {
    return from.toString();
  }

  /** The last day, as the ledger's {@code day} column spells it. */
  public String toDay() {
    return to.toString();
  }

  /** The period's last day that is not in the future. */
  public LocalDate lastDayUpTo(LocalDate today) {
    return to.isAfter(today) ? today : to;
  }

  /** {@code {"name","from","to"}}; {@code all} has no bounds, so both are null. */
  public JsonObject toJson() {
    boolean all = name.equals("all");
    return new JsonObject().put("name", name).put("from", all ? null : fromDay()).put("to", all ? null : toDay());
  }

  private static LocalDate date(String param, String value) {
    if (!DAY.matcher(value).matches()) {
      throw invalid(param, param + " must be a date YYYY-MM-DD (UTC)");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw invalid(param, param + " is not a calendar date");
    }
  }

  private static RuntimeException invalid(String param, String message) {
    return ApiError.invalid("invalid_value", param, message).exception();
  }
}
