package io.switchboard.learn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A 64-bit digest (FNV-1a) of who asked and what: the scope, then each message's role and text, lower-cased with
 * whitespace runs folded, so a client's retry of the same prompt digests the same while the text itself is never
 * kept. One pass over at most {@link #MAX_CHARS} characters per message (longer ones add their length instead of
 * the rest), no allocation: cheap enough for the event loop, and computed only while retries are watched.
 */
public final class PromptDigest {

  static final int MAX_CHARS = 16_384;
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private PromptDigest() {
  }

  /** Never 0, which means "no digest". */
  public static long of(String scope, JsonArray messages) {
    long h = text(OFFSET, scope);
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        continue;
      }
      h = mix(h, 1);
      Object role = message.getValue("role");
      h = text(h, role instanceof String r ? r : "");
      h = mix(h, 2);
      Object content = message.getValue("content");
      if (content instanceof String text) {
        h = normalized(h, text);
      } else if (content instanceof JsonArray parts) {
        for (int p = 0; p < parts.size(); p++) {
          if (parts.getValue(p) instanceof JsonObject part && part.getValue("text") instanceof String text) {
            h = normalized(mix(h, 3), text);
          }
        }
      }
    }
    return h == 0 ? 1 : h;
  }

  private static long normalized(long hash, String text) {
    long h = hash;
    boolean space = false;
    boolean started = false;
    int end = Math.min(text.length(), MAX_CHARS);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        space = started;
        continue;
      }
      if (space) {
        h = mix(h, ' ');
        space = false;
      }
      started = true;
      h = mix(h, Character.toLowerCase(c));
    }
    if (text.length() > MAX_CHARS) {
      h = mix(mix(h, 4), text.length());
    }
    return h;
  }

  private static long text(long hash, String text) {
    long h = hash;
    for (int i = 0; i < text.length(); i++) {
      h = mix(h, text.charAt(i));
    }
    return h;
  }

  private static long mix(long hash, int value) {
    return (hash ^ value) * PRIME;
  }
}
