package io.switchboard.cli;

import picocli.CommandLine.Option;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The period a report covers: {@code --period day|week|month|all} (UTC day, ISO week or month containing now), or
 * {@code --from YYYY-MM-DD --to YYYY-MM-DD}, inclusive. Handed to the report endpoints as their query parameters.
 */
final class PeriodOptions {

  static final List<String> PERIODS = List.of("day", "week", "month", "all");

  @Option(names = "--period", paramLabel = "PERIOD", description = "day, week, month or all (default: day)")
  private String period;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First day of a custom period (UTC)")
  private String from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day of a custom period (UTC)")
  private String to;

  /** {@code period=week}, {@code from=...&to=...}, or empty for the endpoint's default. */
  String query() {
    if (from != null || to != null) {
      if (period != null) {
        throw new CliException(Cli.USAGE, "--period: give either --period or --from and --to");
      }
      if (from == null || to == null) {
        throw new CliException(Cli.USAGE, (from == null ? "--from" : "--to") + ": a custom period needs both --from"
          + " and --to");
      }
      LocalDate first = day("--from", from);
      LocalDate last = day("--to", to);
      if (last.isBefore(first)) {
        throw new CliException(Cli.USAGE, "--to: " + to + " is before --from " + from);
      }
      return "from=" + first + "&to=" + last;
    }
    if (period == null) {
      return "";
    }
    if (!PERIODS.contains(period)) {
      throw new CliException(Cli.USAGE, "--period: '" + period + "' is not one of " + String.join(", ", PERIODS));
    }
    return "period=" + URLEncoder.encode(period, StandardCharsets.UTF_8);
  }

  private static LocalDate day(String option, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new CliException(Cli.USAGE, option + ": '" + value + "' is not a date YYYY-MM-DD");
    }
  }

  /** {@code path?query} joined with {@code &} to the other parameters given (empty ones left out). */
  static String path(String path, String... queries) {
    StringBuilder joined = new StringBuilder(path);
    char separator = '?';
    for (String query : queries) {
      if (!query.isEmpty()) {
        joined.append(separator).append(query);
        separator = '&';
      }
    }
    return joined.toString();
  }
}
