package io.switchboard.learn;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Which decision last answered each (caller, prompt) digest, for the retry window: the same digest again within
 * the window is a retry of that decision. Bounded: the least recently seen digests go first. Owned by one event
 * loop; digests only, never text.
 */
final class RetryWatch {

  private record Seen(String decisionId, long millis) {
  }

  private final LinkedHashMap<Long, Seen> byDigest = new LinkedHashMap<>();
  private final int maxEntries;
  private final long windowMillis;

  RetryWatch(int maxEntries, long windowMillis) {
    this.maxEntries = maxEntries;
    this.windowMillis = windowMillis;
  }

  /** Records {@code decisionId} under {@code digest}; answers the decision it repeats, if within the window. */
  Optional<String> seen(long digest, String decisionId, long nowMillis) {
    Seen previous = byDigest.remove(digest);
    byDigest.put(digest, new Seen(decisionId, nowMillis));
    if (byDigest.size() > maxEntries) {
      Iterator<Long> oldest = byDigest.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return previous != null && nowMillis - previous.millis <= windowMillis
      ? Optional.of(previous.decisionId) : Optional.empty();
  }
}
