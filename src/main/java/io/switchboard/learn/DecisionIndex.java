package io.switchboard.learn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent decisions by id, bounded in number and in age: the oldest entry goes when the index is full, and an
 * entry older than the TTL is forgotten. Entries are kept in the order they were first seen, so expired ones are
 * always at the head. Owned by one event loop.
 *
 * <p>Stored without an object per decision: a ring of slots in parallel arrays, found through an open-addressing
 * table of 64-bit id digests. A busy gateway keeps its 100,000 most recent decisions for seconds each; held as
 * objects (an entry, an id string, a record) they outlived several young collections and every one of those
 * collections copied them, which showed as tens of milliseconds of pause every fraction of a second. Arrays allocated
 * once are copied at most until they are promoted, and then never again.
 */
final class DecisionIndex {

  static final int CHUNK = 1024;
  /** Distinct tenant, experiment, arm and model names shared by slots; any beyond are stored as they come. */
  private static final int CANONICAL_NAMES = 4096;

  private final int capacity;
  private final long ttlMillis;
  /** Slot storage, allocated a chunk at a time as the ring first fills. */
  private final Chunk[] chunks;
  /** Slot number of every decision created so far is {@code created % capacity}; the live ones are the last size. */
  private long created;
  private int size;
  private long[] keys = new long[64];
  private int[] slotOfKey = new int[64];
  private int keyCount;
  /** Models whose calls broke before the decision's task type was known, by slot: rare, so not in the arrays. */
  private final Map<Integer, List<String>> brokenBySlot = new HashMap<>();
  private final Map<String, String> canonicalNames = new HashMap<>();

  DecisionIndex(int maxEntries, long ttlMillis) {
    this.capacity = maxEntries;
    this.ttlMillis = ttlMillis;
    this.chunks = new Chunk[(maxEntries + CHUNK - 1) / CHUNK];
  }

  /** The decision, unless unknown or expired. */
  Decision get(String id, long nowMillis) {
    int slot = find(digest(id), nowMillis);
    return slot < 0 ? null : view(slot, id);
  }

  /** The decision whose id has this {@link #digest}, unless unknown or expired. */
  Decision get(long digest, long nowMillis) {
    int slot = find(digest, nowMillis);
    return slot < 0 ? null : view(slot, null);
  }

  Decision getOrCreate(String id, long nowMillis) {
    long digest = digest(id);
    int slot = find(digest, nowMillis);
    if (slot < 0) {
      slot = create(digest, nowMillis);
    }
    return view(slot, id);
  }

  /** Forgets every expired decision. */
  void sweep(long nowMillis) {
    while (size > 0 && nowMillis - chunk(oldestSlot()).startedMillis[offset(oldestSlot())] > ttlMillis) {
      evictOldest();
    }
  }

  int size() {
    return size;
  }

  String canonical(String name) {
    if (name == null || name.isEmpty()) {
      return name;
    }
    String known = canonicalNames.get(name);
    if (known != null) {
      return known;
    }
    if (canonicalNames.size() < CANONICAL_NAMES) {
      canonicalNames.put(name, name);
    }
    return name;
  }

  void broke(int slot, String model) {
    brokenBySlot.computeIfAbsent(slot, s -> new ArrayList<>(2)).add(canonical(model));
  }

  List<String> takeBroken(int slot) {
    List<String> broken = brokenBySlot.remove(slot);
    return broken == null ? List.of() : broken;
  }

  /** A 64-bit digest of the id, never 0 (the empty key): collisions among 100,000 ids are odds of one in 10^9. */
  static long digest(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  private Decision view(int slot, String id) {
    return new Decision(this, chunk(slot), offset(slot), slot, id);
  }

  /** The live, unexpired slot of the digest, or -1. */
  private int find(long digest, long nowMillis) {
    int at = position(digest);
    if (at < 0) {
      return -1;
    }
    int slot = slotOfKey[at];
    return nowMillis - chunk(slot).startedMillis[offset(slot)] > ttlMillis ? -1 : slot;
  }

  private int create(long digest, long nowMillis) {
    if (size == capacity) {
      evictOldest();
    }
    int slot = (int) (created % capacity);
    created++;
    size++;
    if (chunks[slot / CHUNK] == null) {
      chunks[slot / CHUNK] = new Chunk();
    }
    chunk(slot).reset(offset(slot), digest, nowMillis);
    brokenBySlot.remove(slot);
    // an expired decision with the same id may still hold the key: the new slot takes it over
    int at = position(digest);
    if (at >= 0) {
      slotOfKey[at] = slot;
    } else {
      insertKey(digest, slot);
    }
    return slot;
  }

  private int oldestSlot() {
    return (int) ((created - size) % capacity);
  }

  private void evictOldest() {
    int slot = oldestSlot();
    long digest = chunk(slot).digest[offset(slot)];
    int at = position(digest);
    if (at >= 0 && slotOfKey[at] == slot) {
      removeKeyAt(at);
    }
    brokenBySlot.remove(slot);
    size--;
  }

  private Chunk chunk(int slot) {
    return chunks[slot / CHUNK];
  }

  private static int offset(int slot) {
    return slot % CHUNK;
  }

  // open addressing with linear probing; removal shifts later entries back, so no tombstones pile up

  private int position(long digest) {
    int mask = keys.length - 1;
    for (int at = home(digest, mask); ; at = (at + 1) & mask) {
      if (keys[at] == digest) {
        return at;
      }
      if (keys[at] == 0) {
        return -1;
      }
    }
  }

  private void insertKey(long digest, int slot) {
    if ((keyCount + 1) * 2 > keys.length) {
      rehash(keys.length * 2);
    }
    int mask = keys.length - 1;
    int at = home(digest, mask);
    while (keys[at] != 0) {
      at = (at + 1) & mask;
    }
    keys[at] = digest;
    slotOfKey[at] = slot;
    keyCount++;
  }

  private void removeKeyAt(int hole) {
    int mask = keys.length - 1;
    keys[hole] = 0;
    keyCount--;
    for (int at = (hole + 1) & mask; keys[at] != 0; at = (at + 1) & mask) {
      int home = home(keys[at], mask);
      // the entry at 'at' may fill the hole unless its home lies cyclically in (hole, at]
      boolean homeBetween = hole <= at ? home > hole && home <= at : home > hole || home <= at;
      if (!homeBetween) {
        keys[hole] = keys[at];
        slotOfKey[hole] = slotOfKey[at];
        keys[at] = 0;
        hole = at;
      }
    }
  }

  private void rehash(int length) {
    long[] oldKeys = keys;
    int[] oldSlots = slotOfKey;
    keys = new long[length];
    slotOfKey = new int[length];
    keyCount = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        insertKey(oldKeys[i], oldSlots[i]);
      }
    }
  }

  private static int home(long digest, int mask) {
    return (int) digest & mask;
  }

  /** The fields of {@link #CHUNK} consecutive slots, one array per field. */
  static final class Chunk {
    static final byte ROUTED = 1;
    static final byte RETRIED = 2;
    static final byte ESCALATED = 4;
    static final byte COUNTED = 8;
    static final byte COUNTED_SUCCESS = 16;
    static final byte COUNTED_ESCALATED = 32;

    final long[] digest = new long[CHUNK];
    final long[] startedMillis = new long[CHUNK];
    final String[] tenant = new String[CHUNK];
    final String[] experiment = new String[CHUNK];
    final String[] arm = new String[CHUNK];
    final String[] model = new String[CHUNK];
    /** Task type and outcome as ordinal + 1; 0 while unknown. */
    final byte[] task = new byte[CHUNK];
    final byte[] outcome = new byte[CHUNK];
    final byte[] flags = new byte[CHUNK];
    final long[] costMicros = new long[CHUNK];
    final long[] latencyMillis = new long[CHUNK];
    final double[] feedbackScore = new double[CHUNK];
    final long[] feedbackMillis = new long[CHUNK];
    final double[] feedbackSuccess = new double[CHUNK];
    final double[] feedbackFailure = new double[CHUNK];

    void reset(int i, long id, long nowMillis) {
      digest[i] = id;
      startedMillis[i] = nowMillis;
      tenant[i] = "";
      experiment[i] = "";
      arm[i] = "";
      model[i] = null;
      task[i] = 0;
      outcome[i] = 0;
      flags[i] = 0;
      costMicros[i] = 0;
      latencyMillis[i] = 0;
      feedbackScore[i] = Double.NaN;
      feedbackMillis[i] = 0;
      feedbackSuccess[i] = 0;
      feedbackFailure[i] = 0;
    }
  }
}
