package io.switchboard.classify.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A BERT WordPiece tokenizer read from a Hugging Face {@code tokenizer.json}, giving the ids the Hugging Face
 * tokenizers library gives for the same file: added tokens such as {@code [SEP]} matched in the raw text, the
 * BertNormalizer ({@code clean_text}, {@code handle_chinese_chars}, {@code strip_accents}, {@code lowercase}), the
 * BertPreTokenizer (split at white space, every punctuation character a word of its own), greedy longest-first
 * WordPiece with {@code max_input_chars_per_word}, and the TemplateProcessing post-processor ({@code [CLS] $A
 * [SEP]}). Input longer than {@code maxLength} ids keeps its head, as the library's right-side truncation does; the
 * file's own truncation and padding settings are not used: the caller chooses the length and pads if it must.
 *
 * <p>Long prompts are tokenized in pieces cut at ASCII white space, and tokenizing stops once the ids are full:
 * apart from a scan for added tokens, the work is bounded by what is kept, not by the prompt's length. Lone
 * surrogates count as removed characters, as in the library, which receives them as U+FFFD. Canonical decomposition
 * is the JDK's; the library leaves one character that the JDK decomposes (U+11938 DIVES AKURU VOWEL SIGN O) as it
 * is.
 *
 * <p>Immutable; {@link #encode} is thread-safe.
 */
public final class WordPieceTokenizer {

  /** Characters of input tokenized at a time, extended to the next ASCII white space. */
  private static final int PIECE = 2048;

  private final Vocabulary vocabulary;
  private final int unknownId;
  private final int maxInputCharsPerWord;
  private final boolean cleanText;
  private final boolean handleChineseChars;
  private final boolean stripAccents;
  private final boolean lowercase;
  private final String[] addedTokens;
  private final int[] addedTokenIds;
  /** The distinct first chars of the added tokens: (vectorized) searches for them skip most of the text. */
  private final String addedTokenFirstChars;
  private final int[] prefix;
  private final int[] suffix;
  private final int maxLength;

  private WordPieceTokenizer(JsonNode json, int maxLength) {
    JsonNode model = require(json, "model", "WordPiece");
    Map<String, Integer> vocab = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      vocab.put(e.getKey(), e.getValue().asInt());
    }
    vocabulary = new Vocabulary(vocab, model.path("continuing_subword_prefix").asText("##"));
    Integer unknown = vocab.get(model.path("unk_token").asText("[UNK]"));
    if (unknown == null) {
      throw new IllegalArgumentException("the unknown token is not in the vocabulary");
    }
    unknownId = unknown;
    maxInputCharsPerWord = model.path("max_input_chars_per_word").asInt(100);

    JsonNode normalizer = require(json, "normalizer", "BertNormalizer");
    cleanText = normalizer.path("clean_text").asBoolean(true);
    handleChineseChars = normalizer.path("handle_chinese_chars").asBoolean(true);
    lowercase = normalizer.path("lowercase").asBoolean(true);
    JsonNode strip = normalizer.path("strip_accents");
    stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;
    require(json, "pre_tokenizer", "BertPreTokenizer");

    List<String> tokens = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (JsonNode added : json.path("added_tokens")) {
      if (added.path("normalized").asBoolean() || added.path("lstrip").asBoolean()
        || added.path("rstrip").asBoolean() || added.path("single_word").asBoolean()) {
        throw new IllegalArgumentException("unsupported added token options: " + added);
      }
      String content = added.path("content").asText();
      if (content.isEmpty()) {
        throw new IllegalArgumentException("empty added token: " + added);
      }
      tokens.add(content);
      ids.add(added.path("id").asInt());
    }
    addedTokens = tokens.toArray(String[]::new);
    addedTokenIds = ids.stream().mapToInt(Integer::intValue).toArray();
    StringBuilder firstChars = new StringBuilder();
    tokens.stream().mapToInt(t -> t.charAt(0)).distinct().forEach(c -> firstChars.append((char) c));
    addedTokenFirstChars = firstChars.toString();

    JsonNode post = require(json, "post_processor", "TemplateProcessing");
    List<Integer> before = new ArrayList<>();
    List<Integer> after = new ArrayList<>();
    List<Integer> current = before;
    for (JsonNode piece : post.path("single")) {
      if (piece.has("Sequence")) {
        current = after;
      } else {
        JsonNode special = post.path("special_tokens").path(piece.path("SpecialToken").path("id").asText());
        for (JsonNode id : special.path("ids")) {
          current.add(id.asInt());
        }
      }
    }
    if (current == before) {
      throw new IllegalArgumentException("the post-processor's single template has no sequence");
    }
    prefix = before.stream().mapToInt(Integer::intValue).toArray();
    suffix = after.stream().mapToInt(Integer::intValue).toArray();
    if (maxLength < prefix.length + suffix.length) {
      throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for the special tokens");
    }
    this.maxLength = maxLength;
  }

  /**
   * Reads a {@code tokenizer.json}; the stream is not closed.
   *
   * @param maxLength most ids {@link #encode} returns, special tokens included
   * @throws IllegalArgumentException if the file asks for a normalizer, pre-tokenizer, model, post-processor or
   *                                  added-token option this class does not implement
   */
  public static WordPieceTokenizer load(InputStream tokenizerJson, int maxLength) throws IOException {
    return new WordPieceTokenizer(new ObjectMapper().readTree(tokenizerJson), maxLength);
  }

  private static JsonNode require(JsonNode json, String field, String type) {
    JsonNode node = json.path(field);
    if (!type.equals(node.path("type").asText())) {
      throw new IllegalArgumentException(field + " must be " + type + ", is " + node.path("type"));
    }
    return node;
  }

  /** Token ids of {@code text}, special tokens included, at most {@code maxLength} of them. */
  public int[] encode(String text) {
    Ids ids = new Ids(maxLength - suffix.length);
    Scratch scratch = new Scratch();
    for (int id : prefix) {
      ids.add(id);
    }
    int from = 0;
    while (from < text.length() && !ids.full()) {
      int at = nextAddedTokenStart(text, from);
      int added = -1;
      while (at < text.length() && (added = addedTokenAt(text, at)) < 0) {
        at = nextAddedTokenStart(text, at + 1);
      }
      encodeSegment(text, from, at, ids, scratch);
      if (added < 0) {
        break;
      }
      ids.add(addedTokenIds[added]);
      from = at + addedTokens[added].length();
    }
    int[] out = Arrays.copyOf(ids.ids, ids.size + suffix.length);
    System.arraycopy(suffix, 0, out, ids.size, suffix.length);
    return out;
  }

  /** Where an added token could start at or after {@code from}, or the text's length. */
  private int nextAddedTokenStart(String text, int from) {
    int next = text.length();
    for (int i = 0; i < addedTokenFirstChars.length(); i++) {
      int at = text.indexOf(addedTokenFirstChars.charAt(i), from);
      if (at >= 0 && at < next) {
        next = at;
      }
    }
    return next;
  }

  /** The longest added token at {@code at}, as an index into {@link #addedTokens}, or -1. */
  private int addedTokenAt(String text, int at) {
    int best = -1;
    for (int i = 0; i < addedTokens.length; i++) {
      if (text.startsWith(addedTokens[i], at) && (best < 0 || addedTokens[i].length() > addedTokens[best].length())) {
        best = i;
      }
    }
    return best;
  }

  private void encodeSegment(String text, int from, int end, Ids ids, Scratch scratch) {
    while (from < end && !ids.full()) {
      // a cut before ASCII white space changes nothing: no word and no reordering of marks crosses it
      int cut = Math.min(end, from + PIECE);
      while (cut < end && !isAsciiSpace(text.charAt(cut))) {
        cut++;
      }
      encodePiece(text, from, cut, ids, scratch);
      from = cut;
    }
  }

  private static boolean isAsciiSpace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
  }

  private void encodePiece(String text, int from, int end, Ids ids, Scratch scratch) {
    char[] cleaned = scratch.cleaned(3 * (end - from));
    int length = 0;
    boolean decompose = false;
    for (int i = from; i < end; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
        continue;
      }
      int flags = BertCharacters.flags(cp);
      if (cleanText && (flags & BertCharacters.REMOVED) != 0) {
        continue;
      }
      if (cleanText && (flags & BertCharacters.CLEAN_SPACE) != 0) {
        cleaned[length++] = ' ';
        continue;
      }
      boolean chinese = handleChineseChars && (flags & BertCharacters.CHINESE) != 0;
      if (chinese) {
        cleaned[length++] = ' ';
      }
      length = put(cp, cleaned, length);
      if (chinese) {
        cleaned[length++] = ' ';
      }
      // nothing below U+00C0 has a canonical decomposition
      decompose |= cp >= 0xC0;
    }
    if (stripAccents && decompose) {
      String decomposed = Normalizer.normalize(CharBuffer.wrap(cleaned, 0, length), Normalizer.Form.NFD);
      length = decomposed.length();
      cleaned = scratch.decomposed(length);
      decomposed.getChars(0, length, cleaned, 0);
    }
    splitWords(cleaned, length, ids, scratch);
  }

  /** Strips accents and lowercases as configured, splits into words and runs WordPiece on each. */
  private void splitWords(char[] text, int end, Ids ids, Scratch scratch) {
    char[] word = scratch.word(2 * end);
    int length = 0;
    int codePoints = 0;
    for (int i = 0; i < end && !ids.full(); ) {
      int cp = Character.codePointAt(text, i, end);
      i += Character.charCount(cp);
      int flags = BertCharacters.flags(cp);
      if (stripAccents && (flags & BertCharacters.NON_SPACING_MARK) != 0) {
        continue;
      }
      int[] expansion = null;
      if (lowercase) {
        int lower = BertCharacters.lowercase(cp);
        expansion = BertCharacters.expansion(cp);
        if (lower != cp) {
          cp = lower;
          flags = BertCharacters.flags(cp);
        }
      }
      if ((flags & (BertCharacters.SPACE | BertCharacters.PUNCTUATION)) != 0) {
        wordPiece(word, length, codePoints, ids);
        length = 0;
        codePoints = 0;
        if ((flags & BertCharacters.PUNCTUATION) != 0) {
          length = put(cp, word, 0);
          wordPiece(word, length, 1, ids);
          length = 0;
        }
      } else if (expansion != null) {
        for (int e : expansion) {
          length = put(e, word, length);
          codePoints++;
        }
      } else {
        length = put(cp, word, length);
        codePoints++;
      }
    }
    wordPiece(word, length, codePoints, ids);
  }

  /** Writes {@code cp} at {@code at}; returns the index after it. */
  private static int put(int cp, char[] to, int at) {
    if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
      to[at] = (char) cp;
      return at + 1;
    }
    return at + Character.toChars(cp, to, at);
  }

  /**
   * Greedy longest-first WordPiece. A word with a part that matches nothing, or longer than
   * {@code max_input_chars_per_word}, is one unknown token, so the whole word is matched before any id is kept.
   */
  private void wordPiece(char[] word, int length, int codePoints, Ids ids) {
    if (length == 0) {
      return;
    }
    if (codePoints > maxInputCharsPerWord) {
      ids.add(unknownId);
      return;
    }
    int mark = ids.size;
    for (int start = 0; start < length; ) {
      long match = vocabulary.longestMatch(word, start, length, start > 0);
      if (match < 0) {
        ids.size = mark;
        ids.add(unknownId);
        return;
      }
      ids.add((int) (match >>> 32));
      start += (int) match;
    }
  }

  /** Ids collected so far; additions past the limit are dropped, which is the truncation. */
  private static final class Ids {
    final int limit;
    int[] ids;
    int size;

    /** Sized for the usual case, a limit in the hundreds; a large limit is reached by growing. */
    Ids(int limit) {
      this.limit = limit;
      ids = new int[Math.min(limit, 512)];
    }

    void add(int id) {
      if (size == ids.length && size < limit) {
        ids = Arrays.copyOf(ids, (int) Math.min(limit, 2L * size));
      }
      if (size < limit) {
        ids[size++] = id;
      }
    }

    boolean full() {
      return size == limit;
    }
  }

  /** Buffers reused across the segments and pieces of one call. */
  private static final class Scratch {
    private char[] cleaned = new char[0];
    private char[] decomposed = new char[0];
    private char[] word = new char[0];

    char[] cleaned(int capacity) {
      if (cleaned.length < capacity) {
        cleaned = new char[capacity];
      }
      return cleaned;
    }

    char[] decomposed(int capacity) {
      if (decomposed.length < capacity) {
        decomposed = new char[capacity];
      }
      return decomposed;
    }

    char[] word(int capacity) {
      if (word.length < capacity) {
        word = new char[capacity];
      }
      return word;
    }
  }
}
