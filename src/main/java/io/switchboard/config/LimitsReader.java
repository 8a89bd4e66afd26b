package io.switchboard.config;

import io.switchboard.limit.Limits;

/** Reads the per-minute limits a model or an API key may carry. */
final class LimitsReader {

  static final java.util.Set<String> KEYS = java.util.Set.of("requests_per_minute", "input_tokens_per_minute",
    "output_tokens_per_minute");

  private LimitsReader() {
  }

  static Limits read(ConfigReader r) {
    Limits limits = new Limits(r.longValue("requests_per_minute", 0, 0, 100_000_000),
      r.longValue("input_tokens_per_minute", 0, 0, 100_000_000_000L),
      r.longValue("output_tokens_per_minute", 0, 0, 100_000_000_000L));
    return limits.unlimited() ? Limits.NONE : limits;
  }
}
