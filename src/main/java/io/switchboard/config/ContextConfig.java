package io.switchboard.config;

import io.switchboard.classify.Scenario;
import io.switchboard.classify.TaskType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A policy's context optimisation (opt-in): trim the oldest turns of a prompt over {@code maxPromptTokens}, and cap
 * {@code max_tokens} by scenario or task type.
 *
 * @param maxPromptTokens trim prompts above this many tokens; empty: never trim
 * @param keepLastTurns turns (a user message, or an assistant message with its tool results) never trimmed
 * @param maxTokensBy caps of {@code max_tokens}, by scenario or task-type wire name; a scenario's cap wins
 */
public record ContextConfig(OptionalLong maxPromptTokens, int keepLastTurns, Map<String, Long> maxTokensBy) {

  public ContextConfig {
    maxTokensBy = Map.copyOf(maxTokensBy);
  }

  static ContextConfig from(ConfigReader r) {
    r.allowOnly(Set.of("max_prompt_tokens", "keep_last_turns", "max_tokens_by_task"));
    OptionalLong max = r.has("max_prompt_tokens")
      ? OptionalLong.of(r.longValue("max_prompt_tokens", 0, 1, 100_000_000)) : OptionalLong.empty();
    int keep = r.intValue("keep_last_turns", 4, 1, 100_000);
    Map<String, Long> caps = new LinkedHashMap<>();
    ConfigReader byTask = r.section("max_tokens_by_task");
    for (String name : byTask.fieldNames()) {
      if (Scenario.fromWireName(name).isEmpty() && TaskType.fromWireName(name).isEmpty()) {
        throw new ConfigException(byTask.key(name) + ": not a scenario (background, main, thinking, long_context, "
          + "subagent, default) or a task type");
      }
      caps.put(name, byTask.longValue(name, 0, 1, 100_000_000));
    }
    return new ContextConfig(max, keep, caps);
  }

  /** The cap for a request of this scenario and task type, or 0 for none. */
  public long cap(Scenario scenario, TaskType task) {
    Long cap = maxTokensBy.get(scenario.wireName());
    if (cap == null) {
      cap = maxTokensBy.get(task.wireName());
    }
    return cap == null ? 0 : cap;
  }
}
