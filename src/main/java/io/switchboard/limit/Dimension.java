package io.switchboard.limit;

/** What a per-minute limit counts. */
public enum Dimension {
  REQUESTS,
  INPUT_TOKENS,
  OUTPUT_TOKENS
}
