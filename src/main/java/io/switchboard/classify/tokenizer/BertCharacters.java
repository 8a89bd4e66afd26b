package io.switchboard.classify.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Hugging Face BertNormalizer and BertPreTokenizer make of each code point, read from
 * {@code bert-characters.txt}. That library takes its Unicode categories (control, format, private use,
 * punctuation, non-spacing mark) from tables frozen before Unicode 9 and its case mappings from a recent Rust
 * release, so neither {@link Character}'s categories nor its case mappings in any JDK reproduce it; the file was
 * made by asking the library about every code point ({@code models/minilm/reference/unicode-tables.js}).
 * Immutable; thread-safe.
 */
final class BertCharacters {

  /** Dropped by {@code clean_text}: NUL, U+FFFD and the library's "other" categories except tab, CR and LF. */
  static final int REMOVED = 1;
  /** Turned into a space by {@code clean_text}. */
  static final int CLEAN_SPACE = 1 << 1;
  /** Separates words in the pre-tokenizer (Rust's {@code char::is_whitespace}). */
  static final int SPACE = 1 << 2;
  /** A word of its own in the pre-tokenizer: ASCII punctuation or a Unicode punctuation category. */
  static final int PUNCTUATION = 1 << 3;
  /** Dropped after canonical decomposition when accents are stripped. */
  static final int NON_SPACING_MARK = 1 << 4;
  /** Surrounded by spaces by {@code handle_chinese_chars}. */
  static final int CHINESE = 1 << 5;
  /** Lowercases to more than one code point. */
  private static final int EXPANDS = 1 << 6;

  private static final String[] CLASSES = {
    "removed", "clean-space", "space", "punctuation", "non-spacing-mark", "chinese"
  };

  private static final byte[] BMP_FLAGS = new byte[0x10000];
  private static final char[] BMP_LOWER = new char[0x10000];
  /** Per class, inclusive {@code first, last} pairs that reach above the BMP, sorted. */
  private static final int[][] SUPPLEMENTARY_RANGES = new int[CLASSES.length][];
  /** {@code first, last, step, delta} runs of lowercase mappings that reach above the BMP, sorted. */
  private static final int[] SUPPLEMENTARY_LOWER;
  private static final Map<Integer, int[]> EXPANSIONS = new HashMap<>();

  static {
    for (int c = 0; c < BMP_LOWER.length; c++) {
      BMP_LOWER[c] = (char) c;
    }
    List<List<Integer>> ranges = new ArrayList<>();
    for (int i = 0; i < CLASSES.length; i++) {
      ranges.add(new ArrayList<>());
    }
    List<Integer> lower = new ArrayList<>();
    try (InputStream in = BertCharacters.class.getResourceAsStream("bert-characters.txt")) {
      if (in == null) {
        throw new IllegalStateException("bert-characters.txt is missing from the classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isEmpty() && line.charAt(0) != '#') {
          read(line.split(" "), ranges, lower);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < CLASSES.length; i++) {
      SUPPLEMENTARY_RANGES[i] = ranges.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    SUPPLEMENTARY_LOWER = lower.stream().mapToInt(Integer::intValue).toArray();
  }

  private BertCharacters() {
  }

  private static void read(String[] f, List<List<Integer>> ranges, List<Integer> lower) {
    if (f[0].equals("lowercase-expand")) {
      int cp = Integer.parseInt(f[1], 16);
      EXPANSIONS.put(cp, Arrays.stream(f, 2, f.length).mapToInt(s -> Integer.parseInt(s, 16)).toArray());
      if (cp < 0x10000) {
        BMP_FLAGS[cp] |= EXPANDS;
      }
      return;
    }
    int first = Integer.parseInt(f[1], 16);
    int last = Integer.parseInt(f[2], 16);
    if (f[0].equals("lowercase")) {
      int step = Integer.parseInt(f[3]);
      int delta = Integer.parseInt(f[4]);
      for (int c = first; c <= Math.min(last, 0xFFFF); c += step) {
        BMP_LOWER[c] = (char) (c + delta);
      }
      if (last > 0xFFFF) {
        lower.addAll(List.of(first, last, step, delta));
      }
      return;
    }
    int i = Arrays.asList(CLASSES).indexOf(f[0]);
    if (i < 0) {
      throw new IllegalStateException("unknown character class in bert-characters.txt: " + f[0]);
    }
    for (int c = first; c <= Math.min(last, 0xFFFF); c++) {
      BMP_FLAGS[c] |= (byte) (1 << i);
    }
    if (last > 0xFFFF) {
      ranges.get(i).add(first);
      ranges.get(i).add(last);
    }
  }

  /** The classes of {@code cp}, a bit set of this class's constants. */
  static int flags(int cp) {
    if (cp < 0x10000) {
      return BMP_FLAGS[cp];
    }
    int flags = 0;
    for (int i = 0; i < SUPPLEMENTARY_RANGES.length; i++) {
      if (inRanges(SUPPLEMENTARY_RANGES[i], cp)) {
        flags |= 1 << i;
      }
    }
    return flags;
  }

  /** The lowercase of {@code cp}; for the few that lowercase to several code points, see {@link #expansion}. */
  static int lowercase(int cp) {
    if (cp < 0x10000) {
      return BMP_LOWER[cp];
    }
    int[] runs = SUPPLEMENTARY_LOWER;
    int lo = 0;
    int hi = runs.length / 4 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int at = mid * 4;
      if (cp < runs[at]) {
        hi = mid - 1;
      } else if (cp > runs[at + 1]) {
        lo = mid + 1;
      } else {
        return (cp - runs[at]) % runs[at + 2] == 0 ? cp + runs[at + 3] : cp;
      }
    }
    return cp;
  }

  /** The code points {@code cp} lowercases to when there are several, else null. */
  static int[] expansion(int cp) {
    if (cp < 0x10000 && (BMP_FLAGS[cp] & EXPANDS) == 0) {
      return null;
    }
    return EXPANSIONS.get(cp);
  }

  private static boolean inRanges(int[] ranges, int cp) {
    int lo = 0;
    int hi = ranges.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (cp < ranges[2 * mid]) {
        hi = mid - 1;
      } else if (cp > ranges[2 * mid + 1]) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }
}
