package io.switchboard.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code model_performance} counts since the last flush, summed in memory by (day, model, task type): a busy
 * gateway writes one upsert per combination and flush instead of two per request. Not thread-safe.
 */
final class Rollup {

  private record Key(String day, String model, String taskType) {
  }

  private static final int REQUESTS = 0;
  private static final int SUCCESSES = 1;
  private static final int FAILURES = 2;
  private static final int ESCALATIONS = 3;
  private static final int LATENCY = 4;
  private static final int COST = 5;
  private static final int ATTEMPTS = 6;

  private Map<Key, long[]> counts = new LinkedHashMap<>();

  /** A finished request answered by {@code model}. */
  void request(String day, String model, String taskType, boolean success, long latencyMillis, long costMicros) {
    long[] c = counts(day, model, taskType);
    c[REQUESTS]++;
    c[success ? SUCCESSES : FAILURES]++;
    c[LATENCY] += latencyMillis;
    c[COST] += costMicros;
  }

  /** An upstream call to {@code model}, answered or not. */
  void attempt(String day, String model, String taskType) {
    counts(day, model, taskType)[ATTEMPTS]++;
  }

  /** An answer of {@code model} that failed the quality check. */
  void escalation(String day, String model, String taskType) {
    counts(day, model, taskType)[ESCALATIONS]++;
  }

  /** Hands the sums to {@code writer} as upserts and starts again from zero. */
  void drainInto(LedgerWriter writer) {
    if (counts.isEmpty()) {
      return;
    }
    Map<Key, long[]> drained = counts;
    counts = new LinkedHashMap<>();
    drained.forEach((key, c) -> writer.add(LedgerRows.PERFORMANCE, List.of(key.day(), key.model(), key.taskType(),
      c[REQUESTS], c[SUCCESSES], c[FAILURES], c[ESCALATIONS], c[LATENCY], c[COST], c[ATTEMPTS])));
  }

  private long[] counts(String day, String model, String taskType) {
    return counts.computeIfAbsent(new Key(day, model, taskType), k -> new long[ATTEMPTS + 1]);
  }
}
