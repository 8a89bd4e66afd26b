package io.switchboard.replay;

import io.switchboard.classify.Classification;

/**
 * A prompt after classification: what routing sees, plus the split it belongs to.
 *
 * @param promptTokens the data's own count, else the classifier's (o200k_base)
 * @param calibration true when the prompt is in the calibration split (see {@link Split})
 */
record Replayed(ReplayItem item, Classification classification, long promptTokens, boolean calibration) {

  /** Output tokens of {@code model}'s answer: the data's own count, else the request's max_tokens, else assumed. */
  long outputTokens(String model, long assumed) {
    Long known = item.outputTokensByModel().get(model);
    if (known != null) {
      return known;
    }
    if (item.outputTokens() >= 0) {
      return item.outputTokens();
    }
    return item.maxTokens() > 0 ? item.maxTokens() : assumed;
  }
}
