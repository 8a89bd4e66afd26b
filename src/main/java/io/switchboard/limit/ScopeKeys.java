package io.switchboard.limit;

import io.switchboard.store.RedisStore;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The Redis keys of one scope's buckets, one per {@link Dimension} in its order:
 * {@code <prefix>ratelimit:{<scope>}:requests}. A scope may hold any character (virtual key ids come from
 * clients): everything but letters, digits and {@code -._~:@/+=} is percent-encoded, so distinct scopes never
 * share a key and the braces stay a Redis Cluster hash tag that keeps a scope's keys together for one script.
 */
final class ScopeKeys {

  private static final Dimension[] DIMENSIONS = Dimension.values();
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ScopeKeys() {
  }

  static List<String> of(RedisStore store, String scope) {
    String tag = "{" + escape(scope) + "}";
    String[] keys = new String[DIMENSIONS.length];
    for (Dimension dimension : DIMENSIONS) {
      keys[dimension.ordinal()] = store.key("ratelimit", tag, dimension.name().toLowerCase(Locale.ROOT));
    }
    return List.of(keys);
  }

  static String escape(String scope) {
    StringBuilder escaped = new StringBuilder(scope.length() + 8);
    for (byte b : scope.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~:@/+=".indexOf(c) >= 0)) {
        escaped.append(c);
      } else {
        escaped.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return escaped.toString();
  }
}
