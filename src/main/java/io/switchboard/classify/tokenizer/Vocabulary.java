package io.switchboard.classify.tokenizer;

import java.util.Arrays;
import java.util.Map;

/**
 * A WordPiece vocabulary as a character trie, so that the longest token at a position is found in one walk
 * instead of one substring and hash lookup per candidate length. It has two roots: every token is reachable from
 * the word-start root, and tokens that begin with the continuing prefix ({@code ##}) are also reachable, prefix
 * removed, from the continuation root. Edges live in one open-addressing table keyed by node and character.
 * Immutable after construction; thread-safe.
 */
final class Vocabulary {

  private static final int WORD_START = 0;
  private static final int CONTINUATION = 1;
  private static final long EMPTY = -1;

  private final long[] keys;
  private final int[] targets;
  private final int mask;
  private final int shift;
  private final int[] tokenIds;
  private int nodes = 2;

  Vocabulary(Map<String, Integer> vocab, String continuingPrefix) {
    long chars = 0;
    for (String token : vocab.keySet()) {
      chars += 2L * token.length();
    }
    int bits = Math.max(4, 64 - Long.numberOfLeadingZeros(chars * 2));
    keys = new long[1 << bits];
    targets = new int[1 << bits];
    mask = (1 << bits) - 1;
    shift = 64 - bits;
    Arrays.fill(keys, EMPTY);
    tokenIds = new int[(int) chars + 2];
    Arrays.fill(tokenIds, -1);
    vocab.forEach((token, id) -> {
      add(WORD_START, token, 0, id);
      if (token.startsWith(continuingPrefix) && token.length() > continuingPrefix.length()) {
        add(CONTINUATION, token, continuingPrefix.length(), id);
      }
    });
  }

  private void add(int root, String token, int from, int id) {
    int node = root;
    for (int i = from; i < token.length(); i++) {
      long key = (long) node << 16 | token.charAt(i);
      int slot = slot(key);
      if (keys[slot] == EMPTY) {
        keys[slot] = key;
        targets[slot] = nodes++;
      }
      node = targets[slot];
    }
    tokenIds[node] = id;
  }

  private int slot(long key) {
    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    while (keys[slot] != EMPTY && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /**
   * The longest token that {@code text[from, to)} starts with, looked up among continuations when
   * {@code continuation}: its id in the high 32 bits and its length in chars in the low ones; -1 when none.
   */
  long longestMatch(char[] text, int from, int to, boolean continuation) {
    int node = continuation ? CONTINUATION : WORD_START;
    long best = -1;
    for (int i = from; i < to; i++) {
      int slot = slot((long) node << 16 | text[i]);
      if (keys[slot] == EMPTY) {
        break;
      }
      node = targets[slot];
      if (tokenIds[node] >= 0) {
        best = (long) tokenIds[node] << 32 | (i + 1 - from);
      }
    }
    return best;
  }
}
