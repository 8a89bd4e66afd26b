package io.switchboard.classify;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token counts with jtokkit's o200k_base encoding (the GPT-4o family), linear in the text's length. For other
 * model families this is an estimate, which is why counts from it are marked {@code estimated} wherever the
 * provider's own are missing. Thread-safe; the encoding tables load once, on first use.
 */
public final class TokenCounter {

  /** Tokens OpenAI adds around each chat message. */
  public static final int PER_MESSAGE_OVERHEAD = 3;
  /**
   * Longest run without white space that is tokenized exactly. Byte-pair encoding is quadratic in the length of
   * one such run, so longer ones (base64 blobs, minified code) are estimated at three characters a token.
   */
  static final int MAX_EXACT_RUN = 256;

  /**
   * Characters of message text whose counts are remembered. Clients resend the same system prompt, tool
   * definitions and history on every turn; counting them again would dominate the gateway's work.
   */
  static final long REMEMBERED_CHARS = 8L * 1024 * 1024;
  private static final ConcurrentHashMap<String, Integer> REMEMBERED = new ConcurrentHashMap<>();
  private static final AtomicLong rememberedChars = new AtomicLong();

  private static final class Holder {
    static final Encoding ENCODING = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private TokenCounter() {
  }

  /** As {@link #count}, answered from memory for a text counted before (bounded; forgotten wholesale when full). */
  public static int countRemembered(String text) {
    Integer known = REMEMBERED.get(text);
    if (known != null) {
      return known;
    }
    int counted = count(text);
    if (text.length() <= REMEMBERED_CHARS / 16) {
      if (rememberedChars.addAndGet(text.length()) > REMEMBERED_CHARS) {
        REMEMBERED.clear();
        rememberedChars.set(text.length());
      }
      REMEMBERED.put(text, counted);
    }
    return counted;
  }

  public static int count(CharSequence text) {
    if (text.isEmpty()) {
      return 0;
    }
    String s = text.toString();
    int n = s.length();
    int total = 0;
    int exactFrom = 0;
    int i = 0;
    while (i < n) {
      if (Character.isWhitespace(s.charAt(i))) {
        i++;
        continue;
      }
      int end = i;
      while (end < n && !Character.isWhitespace(s.charAt(end))) {
        end++;
      }
      if (end - i > MAX_EXACT_RUN) {
        total += exact(s.substring(exactFrom, i)) + (end - i + 2) / 3;
        exactFrom = end;
      }
      i = end;
    }
    return total + exact(exactFrom == 0 ? s : s.substring(exactFrom));
  }

  private static int exact(String text) {
    return text.isEmpty() ? 0 : Holder.ENCODING.countTokensOrdinary(text);
  }

  /** Loads the tables now, so the first request does not pay for it. */
  public static void warmUp() {
    count("warm up");
  }
}
