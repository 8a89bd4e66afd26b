package io.switchboard.execute;

import java.util.Locale;

/** Why an answer failed its quality check; the wire names are the closed set of {@code EscalationRecord#reason}. */
public enum QualityFailure {
  /** The model declined ("I cannot help with that", an OpenAI {@code refusal}). */
  REFUSAL,
  /** The model would not commit to an answer ("I'm not sure"). */
  HEDGING,
  /** No text and no tool call. */
  EMPTY,
  /** Fewer characters than the task type needs. */
  TOO_SHORT,
  /** Cut off at the output limit ({@code finish_reason: length}). */
  TRUNCATED,
  /** JSON was asked for ({@code response_format}) and the answer is not JSON, or not of the requested schema. */
  INVALID_JSON,
  /** A tool call names no declared tool, or its arguments are not JSON of the tool's parameter schema. */
  INVALID_TOOL_CALL;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }
}
