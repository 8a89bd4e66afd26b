package io.switchboard.classify;

import io.switchboard.classify.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * What the tier-1 model reads, the same in training and at run time: the last user message, then as much of the
 * system prompt and earlier turns as fits, at most {@link #MAX_TOKENS} WordPiece ids with {@code [CLS]} and
 * {@code [SEP]}. Thread-safe.
 */
public final class ModelInput {

  public static final int MAX_TOKENS = 128;
  /** Characters of the (whitespace-collapsed) last user message read: 128 tokens never need more. */
  static final int MAX_USER_CHARS = 2_048;
  static final String TOKENIZER_RESOURCE = "/models/minilm/tokenizer.json";

  private final WordPieceTokenizer tokenizer;

  private ModelInput(WordPieceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  private static final class Holder {
    static final ModelInput MINILM = read();
  }

  /** The all-MiniLM-L6-v2 tokenizer, from the class path; read once per process. */
  public static ModelInput minilm() {
    return Holder.MINILM;
  }

  private static ModelInput read() {
    try (InputStream in = ModelInput.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + TOKENIZER_RESOURCE);
      }
      return new ModelInput(WordPieceTokenizer.load(in, MAX_TOKENS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text the ids are made of, and the cache key's source: white space collapsed, the user message bounded. */
  public static String normalized(String lastUser, String context) {
    String user = collapse(lastUser, MAX_USER_CHARS);
    String rest = collapse(context, PromptText.CONTEXT_CHARS);
    return rest.isEmpty() ? user : user + "\n" + rest;
  }

  /** Token ids of a {@link #normalized} text. */
  public long[] ids(String normalized) {
    int[] ids = tokenizer.encode(normalized);
    return Arrays.stream(ids).asLongStream().toArray();
  }

  private static String collapse(String text, int maxChars) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
    boolean space = false;
    for (int i = 0; i < text.length() && out.length() < maxChars; i++) {
      char c = text.charAt(i);
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
