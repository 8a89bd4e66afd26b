package io.switchboard.learn;

import java.util.Locale;

/** What moved an estimate; the wire names are the bounded {@code signal} label of the learning metric. */
public enum Signal {
  /** {@code POST /v1/feedback}: a score or a thumb. */
  FEEDBACK,
  /** An answer delivered whole, no complaint (yet): a weak success. */
  ANSWERED,
  /** The answer failed the quality check and a stronger model was asked. */
  ESCALATION,
  /** An upstream call whose answer was broken: cut, stalled, unreadable or never finished. */
  UPSTREAM_FAILURE,
  /** The same caller sent the same prompt again soon after an answer. */
  RETRY;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }
}
