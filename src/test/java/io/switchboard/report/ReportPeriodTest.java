package io.switchboard.report;

import io.switchboard.openai.ApiException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReportPeriodTest {

  /** A Friday. */
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 4);

  @Test
  void named_periods_are_the_utc_calendar_units_containing_today() {
    assertThat(ReportPeriod.parse(null, null, null, TODAY)).isEqualTo(new ReportPeriod("day", TODAY, TODAY));
    assertThat(ReportPeriod.parse("week", null, null, TODAY))
      .isEqualTo(new ReportPeriod("week", LocalDate.of(2026, 11, 30), LocalDate.of(2026, 12, 6)));
    assertThat(ReportPeriod.parse("month", null, null, TODAY))
      .isEqualTo(new ReportPeriod("month", LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 31)));
    ReportPeriod all = ReportPeriod.parse("all", null, null, TODAY);
    assertThat(all.fromDay()).isEqualTo("1970-01-01");
    assertThat(all.toDay()).isEqualTo("9999-12-31");
    assertThat(all.toJson().encode()).isEqualTo("{\"name\":\"all\",\"from\":null,\"to\":null}");
  }

  @Test
  void from_and_to_include_both_ends() {
    ReportPeriod custom = ReportPeriod.parse(null, "2026-11-01", "2026-11-03", TODAY);

    assertThat(custom.toJson().encode())
      .isEqualTo("{\"name\":\"custom\",\"from\":\"2026-11-01\",\"to\":\"2026-11-03\"}");
    assertThat(custom.lastDayUpTo(TODAY)).isEqualTo(LocalDate.of(2026, 11, 3));
    assertThat(ReportPeriod.parse("month", null, null, TODAY).lastDayUpTo(TODAY)).isEqualTo(TODAY);
  }

  @Test
  void a_bad_parameter_is_a_400_that_names_it() {
    assertThat(param("year", null, null)).isEqualTo("period");
    assertThat(param("day", "2026-11-01", "2026-11-02")).isEqualTo("period");
    assertThat(param(null, "2026-11-01", null)).isEqualTo("to");
    assertThat(param(null, null, "2026-11-01")).isEqualTo("from");
    assertThat(param(null, "2026-02-30", "2026-03-01")).isEqualTo("from");
    assertThat(param(null, "2026-1-1", "2026-03-01")).isEqualTo("from");
    assertThat(param(null, "2026-03-02", "2026-03-01")).isEqualTo("to");
    assertThat(param(null, "1900-01-01", "2026-03-01")).isEqualTo("to");
  }

  private static String param(String period, String from, String to) {
    ApiException e = catchThrowableOfType(ApiException.class, () -> ReportPeriod.parse(period, from, to, TODAY));
    assertThat(e.error().status()).isEqualTo(400);
    assertThat(e.error().type()).isEqualTo("invalid_request_error");
    return e.error().param();
  }
}
