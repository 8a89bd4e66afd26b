package io.switchboard.config;

import io.switchboard.classify.TaskType;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The quality check that decides whether a routed answer is escalated to the next model of its decision's
 * escalation order, and whether streams are checked at all.
 *
 * @param bufferedStreams streams with an escalation order are read whole, checked, then replayed as SSE
 *                        ({@code streams: buffered}); else they are relayed as they come and never escalated
 * @param refusalPhrases  phrases that make an answer a refusal ("I cannot")
 * @param hedgingPhrases  phrases that make an answer a hedge ("I'm not sure")
 * @param leadChars       a phrase counts when it starts within this many characters of the answer...
 * @param shortAnswerChars ...or anywhere in an answer shorter than this (the phrase is then its gist)
 * @param defaultMinChars an answer with fewer characters (trimmed) is too short, unless its task type has its own
 * @param minChars        per task type minimum characters
 */
public record EscalationConfig(boolean bufferedStreams, List<String> refusalPhrases, List<String> hedgingPhrases,
                               int leadChars, int shortAnswerChars, int defaultMinChars,
                               Map<TaskType, Integer> minChars) {

  static final List<String> REFUSALS = List.of("I cannot", "I can't", "I can not", "I'm unable to", "I am unable to",
    "I'm not able to", "I am not able to", "I'm sorry, but I", "I apologize, but I", "Sorry, but I", "As an AI",
    "As a language model");
  static final List<String> HEDGES = List.of("I'm not sure", "I am not sure", "I'm not certain", "I am not certain",
    "I cannot be certain", "I can't be certain", "I don't know", "I do not know", "I have no idea",
    "I'm not confident", "It's hard to say", "It is hard to say");
  static final Map<TaskType, Integer> MIN_CHARS = Map.of(TaskType.CODE_GENERATION, 16, TaskType.REFACTORING, 16,
    TaskType.TESTING, 16, TaskType.DOCUMENTATION, 40, TaskType.SUMMARIZATION, 20, TaskType.ANALYSIS, 40,
    TaskType.ARCHITECTURE, 40, TaskType.PLANNING, 40, TaskType.CODE_REVIEW, 20);

  public static final EscalationConfig DEFAULTS = new EscalationConfig(false, REFUSALS, HEDGES, 100, 200, 1, MIN_CHARS);

  public EscalationConfig {
    refusalPhrases = List.copyOf(refusalPhrases);
    hedgingPhrases = List.copyOf(hedgingPhrases);
    minChars = Map.copyOf(minChars);
  }

  static EscalationConfig from(ConfigReader r) {
    r.allowOnly(Set.of("streams", "refusal_phrases", "hedging_phrases", "lead_chars", "short_answer_chars",
      "min_chars"));
    String streams = r.string("streams", "direct");
    if (!streams.equals("direct") && !streams.equals("buffered")) {
      throw new ConfigException(r.key("streams") + ": must be direct or buffered, got '" + streams + "'");
    }
    ConfigReader minSection = r.section("min_chars");
    int defaultMin = minSection.intValue("default", DEFAULTS.defaultMinChars(), 1, 1_000_000);
    Map<TaskType, Integer> minChars = new EnumMap<>(TaskType.class);
    if (!r.has("min_chars")) {
      minChars.putAll(MIN_CHARS);
    }
    for (String key : minSection.fieldNames()) {
      if (!key.equals("default")) {
        TaskType type = TaskType.fromWireName(key)
          .orElseThrow(() -> new ConfigException(minSection.key(key) + ": unknown task type"));
        minChars.put(type, minSection.intValue(key, defaultMin, 1, 1_000_000));
      }
    }
    return new EscalationConfig(streams.equals("buffered"),
      r.has("refusal_phrases") ? r.stringList("refusal_phrases") : REFUSALS,
      r.has("hedging_phrases") ? r.stringList("hedging_phrases") : HEDGES,
      r.intValue("lead_chars", DEFAULTS.leadChars(), 0, 100_000),
      r.intValue("short_answer_chars", DEFAULTS.shortAnswerChars(), 0, 100_000),
      defaultMin, minChars);
  }

  /** Fewest characters an answer to {@code task} may have. */
  public int minChars(TaskType task) {
    return minChars.getOrDefault(task, defaultMinChars);
  }
}
