package io.switchboard.learn;

import java.util.OptionalLong;

/**
 * Which decision last answered each (caller, prompt) digest, for the retry window: the same digest again within
 * the window is a retry of that decision. Bounded: a table of the next power of two at least twice the size, one
 * place per digest, where a newer digest takes the place of an older one that lands on it (losing, now and then,
 * one retry signal: the price of keeping no object per prompt, which a busy gateway's young collections would copy).
 * Owned by one event loop; digests only, never text.
 */
final class RetryWatch {

  /** 2^21 places, 48 MiB: enough for the default 100,000 prompts many times over. */
  private static final int MAX_PLACES = 1 << 21;

  private final long[] promptDigests;
  private final long[] decisionDigests;
  private final long[] seenMillis;
  private final long windowMillis;

  RetryWatch(int maxEntries, long windowMillis) {
    int places = 4;
    while (places < 2L * maxEntries && places < MAX_PLACES) {
      places <<= 1;
    }
    this.promptDigests = new long[places];
    this.decisionDigests = new long[places];
    this.seenMillis = new long[places];
    this.windowMillis = windowMillis;
  }

  /**
   * Records the decision (by its id's digest) under the prompt's digest; answers the digest of the decision it
   * repeats, if within the window.
   */
  OptionalLong seen(long promptDigest, long decisionDigest, long nowMillis) {
    int at = place(promptDigest);
    boolean repeat = promptDigests[at] == promptDigest && nowMillis - seenMillis[at] <= windowMillis;
    long previous = decisionDigests[at];
    promptDigests[at] = promptDigest;
    decisionDigests[at] = decisionDigest;
    seenMillis[at] = nowMillis;
    return repeat ? OptionalLong.of(previous) : OptionalLong.empty();
  }

  private int place(long digest) {
    long h = digest * 0x9e3779b97f4a7c15L;
    return (int) (h >>> 32) & (promptDigests.length - 1);
  }
}
