package io.switchboard.route;

import io.switchboard.config.DecisionCacheConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Recent routing results by request, so an identical request skips classification and routing for a while.
 * Requests are the same when their policy, normalized messages (object keys sorted, runs of whitespace in text
 * collapsed, text trimmed), tools, output size, constraints and economy state are. Keys are SHA-256 digests: no
 * prompt text is kept. Bounded (least recently used evicted), entries expire after the TTL; thread-safe.
 *
 * @param <T> what is remembered: the classification and the decision
 */
public final class DecisionCache<T> {

  /** Larger requests are not cached: their key would be hashed on the event loop. */
  public static final long MAX_BODY_BYTES = 64 * 1024;

  private record Entry<T>(T value, long expiresNanos) {
  }

  private final long ttlNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;
  private final LinkedHashMap<String, Entry<T>> entries;

  public DecisionCache(DecisionCacheConfig config, LongSupplier nanoTime) {
    this.ttlNanos = config.ttlSeconds() * 1_000_000_000L;
    this.maxEntries = config.maxEntries();
    this.nanoTime = nanoTime;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry<T>> eldest) {
        return size() > DecisionCache.this.maxEntries;
      }
    };
  }

  /**
   * The key of a request.
   *
   * @param economy whether economy mode is on: a decision made without it is not reused with it, nor the reverse
   */
  public static String key(String model, JsonArray messages, long toolsChars, long maxOutputTokens,
                           Constraints constraints, boolean economy) {
    StringBuilder text = new StringBuilder(256);
    text.append(model).append('\n').append(toolsChars).append('\n').append(maxOutputTokens).append('\n')
      .append(constraints.toJson().encode()).append('\n').append(economy).append('\n');
    normalized(messages, text);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public synchronized T get(String key) {
    Entry<T> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (nanoTime.getAsLong() - entry.expiresNanos() >= 0) {
      entries.remove(key);
      return null;
    }
    return entry.value();
  }

  public synchronized void put(String key, T value) {
    entries.put(key, new Entry<>(value, nanoTime.getAsLong() + ttlNanos));
  }

  synchronized int size() {
    return entries.size();
  }

  private static void normalized(Object value, StringBuilder out) {
    Object plain = value instanceof JsonObject object ? object.getMap()
      : value instanceof JsonArray array ? array.getList() : value;
    if (plain instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      out.append('{');
      sorted.forEach((k, v) -> {
        if (v != null) {
          text(k, out);
          normalized(v, out);
        }
      });
      out.append('}');
    } else if (plain instanceof List<?> list) {
      out.append('[');
      list.forEach(v -> normalized(v, out));
      out.append(']');
    } else if (plain instanceof String s) {
      text(collapsed(s), out);
    } else {
      out.append(plain).append(';');
    }
  }

  /** Length-prefixed, so that no two different sequences of texts write the same characters. */
  private static void text(String s, StringBuilder out) {
    out.append(s.length()).append(':').append(s);
  }

  /** Trimmed, each run of whitespace one space. */
  static String collapsed(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }
}
