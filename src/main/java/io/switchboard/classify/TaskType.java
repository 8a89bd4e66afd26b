package io.switchboard.classify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a request asks for; the routing tables are keyed by it and its wire names are metric label values. */
public enum TaskType {
  ARCHITECTURE, PLANNING, CODE_GENERATION, CODE_REVIEW, DEBUGGING, REFACTORING, TESTING, DOCUMENTATION,
  ANALYSIS, REASONING, CREATIVE, FACTUAL, EXTRACTION, SUMMARIZATION, TRANSLATION, CONVERSATION, SECURITY;

  private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

  public String wireName() {
    return wireName;
  }

  public static Optional<TaskType> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }
}
