package io.switchboard.config;

import java.util.Set;

/**
 * Thresholds of scenario detection (see {@code classify.ScenarioDetector}).
 *
 * @param longContextTokens prompts above this many tokens are {@code long_context}
 * @param backgroundMaxTokens largest {@code max_tokens} of a {@code background} (utility) call
 */
public record ScenariosConfig(long longContextTokens, long backgroundMaxTokens) {

  public static final ScenariosConfig DEFAULTS = new ScenariosConfig(60_000, 1_024);

  static ScenariosConfig from(ConfigReader r) {
    r.allowOnly(Set.of("long_context_tokens", "background_max_tokens"));
    return new ScenariosConfig(
      r.longValue("long_context_tokens", DEFAULTS.longContextTokens(), 1, 100_000_000),
      r.longValue("background_max_tokens", DEFAULTS.backgroundMaxTokens(), 1, 1_000_000));
  }
}
