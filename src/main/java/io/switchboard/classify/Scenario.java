package io.switchboard.classify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What kind of call a request is in an agent's session, read from its shape (never from its model name): see
 * {@link ScenarioDetector}. Policies may route by it ({@code scenarios:} of a tree policy); its wire names are
 * bounded metric label values.
 */
public enum Scenario {
  /** None of the others: an ordinary chat request. */
  DEFAULT,
  /** A utility call: a title, a summary line, a quota probe; small output, no tools. */
  BACKGROUND,
  /** An agent's turn: tools are offered. */
  MAIN,
  /** The client asked for extended thinking or a reasoning effort. */
  THINKING,
  /** A prompt over the configured long-context threshold. */
  LONG_CONTEXT,
  /** An agent turn of a sub-agent: tools, and a system prompt other than its session's main one. */
  SUBAGENT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  public static Optional<Scenario> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }
}
