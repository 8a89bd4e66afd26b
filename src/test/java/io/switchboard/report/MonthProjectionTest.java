package io.switchboard.report;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MonthProjectionTest {

  @Test
  void month_to_date_over_days_elapsed_times_days_in_month() {
    // $1 in the first 4 days of a 31-day month: $1 / 4 × 31 = $7.75
    MonthProjection december = MonthProjection.of(1_000_000, LocalDate.of(2026, 12, 4));

    assertThat(december.toJson().encode()).isEqualTo(
      "{\"month_to_date_usd\":1.000000,\"projected_month_usd\":7.750000,\"days_elapsed\":4,\"days_in_month\":31}");
  }

  @Test
  void a_leap_february_has_29_days_and_the_projection_rounds_to_the_micro_dollar() {
    // 333 333 µ$ / 10 × 29 = 966 665.7 → 966 666
    MonthProjection february = MonthProjection.of(333_333, LocalDate.of(2028, 2, 10));

    assertThat(february.daysInMonth()).isEqualTo(29);
    assertThat(february.projectedMicros()).isEqualTo(966_666);
  }

  @Test
  void on_the_last_day_the_projection_is_the_month_to_date() {
    assertThat(MonthProjection.of(4_200_000, LocalDate.of(2026, 11, 30)).projectedMicros()).isEqualTo(4_200_000);
  }
}
