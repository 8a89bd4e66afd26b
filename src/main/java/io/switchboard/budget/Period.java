package io.switchboard.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Locale;

/** A budget period: the calendar day or month, in the configured time zone. */
public enum Period {
  DAILY, MONTHLY;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  public static Period fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The window of this period that contains {@code now}: its id ("2026-11-22", "2026-11") and when it ends. */
  public Window window(Instant now, ZoneId zone) {
    LocalDate today = now.atZone(zone).toLocalDate();
    return switch (this) {
      case DAILY -> new Window(today.toString(), today.plusDays(1).atStartOfDay(zone).toInstant());
      case MONTHLY -> {
        YearMonth month = YearMonth.from(today);
        yield new Window(month.toString(), month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
      }
    };
  }

  /** One calendar day or month of one period. */
  public record Window(String id, Instant end) {
  }
}
