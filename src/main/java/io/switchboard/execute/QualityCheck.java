package io.switchboard.execute;

import io.switchboard.classify.TaskType;
import io.switchboard.config.EscalationConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a whole answer is good enough to return, or should be asked of the next model of the
 * escalation order. Every choice is checked, in this order: cut off at the output limit, an explicit refusal,
 * tool calls (each must name a declared tool and carry JSON arguments of its parameter schema; an answer of valid
 * tool calls passes), no text at all, text that is not JSON (of the schema) when JSON was requested, a refusal or
 * hedging phrase near the start or in a short answer, and too few characters for the task type. Pure and
 * thread-safe.
 */
public final class QualityCheck {

  private record Phrase(String text, QualityFailure failure) {
  }

  private final EscalationConfig config;
  private final List<Phrase> phrases;
  // characters of an answer the phrase check reads: a phrase counts only in a short answer or near the start
  private final int window;

  public QualityCheck(EscalationConfig config) {
    this.config = config;
    this.phrases = java.util.stream.Stream.concat(
        config.refusalPhrases().stream().map(p -> new Phrase(normalize(p, Integer.MAX_VALUE), QualityFailure.REFUSAL)),
        config.hedgingPhrases().stream().map(p -> new Phrase(normalize(p, Integer.MAX_VALUE), QualityFailure.HEDGING)))
      .filter(p -> !p.text().isEmpty())
      .toList();
    int longest = phrases.stream().mapToInt(p -> p.text().length()).max().orElse(0);
    // + 1: the character after a phrase tells whether it ends a word
    this.window = Math.max(config.shortAnswerChars(), config.leadChars() + longest + 1);
  }

  /**
   * The first flaw of {@code completion} as an answer to {@code request} (the client's body), or empty when it
   * passes.
   */
  public Optional<QualityFailure> failure(JsonObject request, TaskType task, JsonObject completion) {
    JsonArray choices = completion.getJsonArray("choices", new JsonArray());
    if (choices.isEmpty()) {
      return Optional.of(QualityFailure.EMPTY);
    }
    for (int i = 0; i < choices.size(); i++) {
      Optional<QualityFailure> failure = choices.getValue(i) instanceof JsonObject choice
        ? choiceFailure(request, task, choice) : Optional.of(QualityFailure.EMPTY);
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  private Optional<QualityFailure> choiceFailure(JsonObject request, TaskType task, JsonObject choice) {
    if ("length".equals(choice.getValue("finish_reason"))) {
      return Optional.of(QualityFailure.TRUNCATED);
    }
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    if (message.getValue("refusal") instanceof String refusal && !refusal.isBlank()) {
      return Optional.of(QualityFailure.REFUSAL);
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls && !calls.isEmpty()) {
      return validToolCalls(request, calls) ? Optional.empty() : Optional.of(QualityFailure.INVALID_TOOL_CALL);
    }
    String text = message.getValue("content") instanceof String content ? content.strip() : "";
    if (text.isEmpty()) {
      return Optional.of(QualityFailure.EMPTY);
    }
    if (request.getValue("response_format") instanceof JsonObject format) {
      Object type = format.getValue("type");
      if ("json_object".equals(type) || "json_schema".equals(type)) {
        // structured output is data: phrases and lengths say nothing about it
        return validJson(text, format) ? Optional.empty() : Optional.of(QualityFailure.INVALID_JSON);
      }
    }
    Optional<QualityFailure> phrase = phrase(text);
    if (phrase.isPresent()) {
      return phrase;
    }
    return text.length() < config.minChars(task) ? Optional.of(QualityFailure.TOO_SHORT) : Optional.empty();
  }

  private static boolean validJson(String text, JsonObject format) {
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      return false;
    }
    if ("json_object".equals(format.getValue("type"))) {
      return value instanceof JsonObject;
    }
    JsonObject schema = format.getValue("json_schema") instanceof JsonObject js && js.getValue("schema") instanceof
      JsonObject s ? s : null;
    return SchemaCheck.matches(value, schema);
  }

  private static boolean validToolCalls(JsonObject request, JsonArray calls) {
    Map<String, JsonObject> declared = new HashMap<>();
    if (request.getValue("tools") instanceof JsonArray tools) {
      for (Object tool : tools) {
        if (tool instanceof JsonObject t && t.getValue("function") instanceof JsonObject f
          && f.getValue("name") instanceof String name) {
          declared.put(name, f.getValue("parameters") instanceof JsonObject p ? p : new JsonObject());
        }
      }
    }
    for (Object entry : calls) {
      if (!(entry instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject function)
        || !(function.getValue("name") instanceof String name) || !declared.containsKey(name)) {
        return false;
      }
      Object arguments;
      try {
        arguments = function.getValue("arguments") instanceof String raw ? Json.decodeValue(raw) : null;
      } catch (DecodeException e) {
        return false;
      }
      if (!(arguments instanceof JsonObject) || !SchemaCheck.matches(arguments, declared.get(name))) {
        return false;
      }
    }
    return true;
  }

  /** The earliest configured phrase in {@code text} that counts (the longer one where two start together). */
  private Optional<QualityFailure> phrase(String text) {
    // only as much of the answer as can matter: all of a short one, the beginning of a long one
    String normalized = normalize(text, window);
    boolean shortAnswer = normalized.length() < config.shortAnswerChars();
    int bestAt = Integer.MAX_VALUE;
    Phrase best = null;
    for (Phrase phrase : phrases) {
      int at = wordAt(normalized, phrase.text());
      boolean counts = at >= 0 && (shortAnswer || at <= config.leadChars());
      if (counts && (at < bestAt || at == bestAt && phrase.text().length() > best.text().length())) {
        bestAt = at;
        best = phrase;
      }
    }
    return best == null ? Optional.empty() : Optional.of(best.failure());
  }

  /** First index of {@code phrase} in {@code text} standing as whole words; -1 if none. */
  private static int wordAt(String text, String phrase) {
    int from = 0;
    while (true) {
      int at = text.indexOf(phrase, from);
      if (at < 0) {
        return -1;
      }
      int end = at + phrase.length();
      boolean startsWord = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
      boolean endsWord = end == text.length() || !Character.isLetterOrDigit(text.charAt(end))
        || !Character.isLetterOrDigit(phrase.charAt(phrase.length() - 1));
      if (startsWord && endsWord) {
        return at;
      }
      from = at + 1;
    }
  }

  /**
   * Lower case, typographic apostrophes as plain ones, runs of white space as one space, no white space at either
   * end; at most {@code limit} characters of it.
   */
  static String normalize(String text, int limit) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), limit));
    boolean space = false;
    for (int i = 0; i < text.length() && out.length() < limit; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c == '\u2019' || c == '\u2018' ? '\'' : Character.toLowerCase(c));
      }
    }
    return out.toString();
  }
}
