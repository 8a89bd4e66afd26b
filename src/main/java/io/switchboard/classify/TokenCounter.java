package io.switchboard.classify;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counts with jtokkit's o200k_base encoding (the GPT-4o family). For other model families this is an
 * estimate, which is why counts from it are marked {@code estimated} wherever the provider's own are missing.
 * Thread-safe; the encoding tables load once, on first use.
 */
public final class TokenCounter {

  /** Tokens OpenAI adds around each chat message. */
  public static final int PER_MESSAGE_OVERHEAD = 3;

  private static final class Holder {
    static final Encoding ENCODING = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private TokenCounter() {
  }

  public static int count(CharSequence text) {
    if (text.isEmpty()) {
      return 0;
    }
    return Holder.ENCODING.countTokensOrdinary(text.toString());
  }

  /** Loads the tables now, so the first request does not pay for it. */
  public static void warmUp() {
    count("warm up");
  }
}
