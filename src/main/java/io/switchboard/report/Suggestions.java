package io.switchboard.report;

import io.switchboard.config.InsightsConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The downgrade rule. For each task type and each model X that served it, a model Y is a candidate when it served
 * the same task type at least {@code min_requests} times, costs less per request, and succeeded at a rate no more
 * than {@code success_margin} below X's (or above it). The candidate saving most is suggested, with an estimated
 * monthly saving of (X's cost per request − Y's) × (X's requests per day with traffic in the period) × 30.
 */
final class Suggestions {

  private static final int DAYS_PER_MONTH = 30;

  private final int minRequests;
  private final double successMargin;

  Suggestions(InsightsConfig config) {
    this.minRequests = config.suggestionMinRequests();
    this.successMargin = config.successMargin();
  }

  /**
   * @param records    one per (task type, model) with traffic in the period
   * @param activeDays days of the period that had traffic, at least 1 when there are records
   * @return the suggestions, largest saving first
   */
  List<Suggestion> suggest(List<ModelRecord> records, long activeDays) {
    Map<String, List<ModelRecord>> byTask = new LinkedHashMap<>();
    records.forEach(r -> byTask.computeIfAbsent(r.taskType(), k -> new ArrayList<>()).add(r));
    List<Suggestion> suggestions = new ArrayList<>();
    byTask.forEach((task, models) -> {
      for (ModelRecord current : models) {
        best(current, models, activeDays).ifPresent(suggestions::add);
      }
    });
    suggestions.sort(Comparator.comparingLong(Suggestion::monthlySavingMicros).reversed()
      .thenComparing(Suggestion::taskType).thenComparing(s -> s.from().model()));
    return suggestions;
  }

  private Optional<Suggestion> best(ModelRecord current, List<ModelRecord> models, long activeDays) {
    if (current.requests() == 0 || activeDays <= 0) {
      return Optional.empty();
    }
    double requestsPerDay = current.requests() / (double) activeDays;
    return models.stream()
      .filter(other -> !other.model().equals(current.model()))
      .filter(other -> other.requests() >= minRequests)
      .filter(other -> other.costPerRequestMicros() < current.costPerRequestMicros())
      // a small tolerance, so that "within 2 points" holds for rates that print as exactly 2 points apart
      .filter(other -> other.successRate() >= current.successRate() - successMargin - 1e-9)
      .map(other -> new Suggestion(current.taskType(), current, other, Math.round(
        (current.costPerRequestMicros() - other.costPerRequestMicros()) * requestsPerDay * DAYS_PER_MONTH)))
      .max(Comparator.comparingLong(Suggestion::monthlySavingMicros)
        .thenComparingDouble(s -> s.to().successRate()));
  }
}
