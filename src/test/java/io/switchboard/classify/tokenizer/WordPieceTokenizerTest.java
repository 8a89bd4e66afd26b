package io.switchboard.classify.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Compares with ids from the Hugging Face tokenizers library for the same {@code tokenizer.json} (see
 * {@code models/minilm/README.md} for how the fixtures were made), then pins the rules one at a time.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WordPieceTokenizerTest {

  /** The length the fixtures were truncated to. */
  private static final int MAX_LENGTH = 256;
  private static final Path TOKENIZER_JSON = Path.of("models/minilm/tokenizer.json");

  private static WordPieceTokenizer tokenizer;
  private static Map<Integer, String> tokensById;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = Files.newInputStream(TOKENIZER_JSON)) {
      tokenizer = WordPieceTokenizer.load(in, MAX_LENGTH);
    }
    tokensById = new HashMap<>();
    new ObjectMapper().readTree(TOKENIZER_JSON.toFile()).path("model").path("vocab")
      .fields().forEachRemaining(e -> tokensById.put(e.getValue().asInt(), e.getKey()));
  }

  @Test
  void every_reference_prompt_gets_the_reference_ids() throws IOException {
    int lines = assertMatchesReference("/tokenizer/minilm-reference.jsonl.gz");

    System.out.printf("tokenizer: ids identical to the reference for %d prompts%n", lines);
    assertThat(lines).isGreaterThanOrEqualTo(2_000);
  }

  @Test
  void every_code_point_gets_the_reference_ids() throws IOException {
    int lines = assertMatchesReference("/tokenizer/unicode-sweep.jsonl.gz");

    System.out.printf("tokenizer: ids identical to the reference for %d lines of code points%n", lines);
    assertThat(lines).isGreaterThan(1_600);
  }

  private static int assertMatchesReference(String resource) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<String> mismatches = new ArrayList<>();
    int lines = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
      new GZIPInputStream(WordPieceTokenizerTest.class.getResourceAsStream(resource)), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        JsonNode row = mapper.readTree(line);
        String text = row.get("text").asText();
        int[] expected = mapper.treeToValue(row.get("ids"), int[].class);
        int[] actual = tokenizer.encode(text);
        lines++;
        if (!Arrays.equals(actual, expected)) {
          // the first few in full, the rest by line number
          mismatches.add(mismatches.size() >= 5 ? "line " + lines : "line " + lines + " "
            + mapper.writeValueAsString(abbreviate(text)) + "\n  expected " + tokens(expected)
            + "\n  actual   " + tokens(actual));
        }
      }
    }
    assertThat(mismatches).as("%d of %d lines differ", mismatches.size(), lines).isEmpty();
    return lines;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private static List<String> tokens(int[] ids) {
    List<String> tokens = new ArrayList<>();
    for (int id : ids) {
      tokens.add(tokensById.get(id));
    }
    return tokens;
  }

  private static List<String> tokens(String text) {
    return tokens(tokenizer.encode(text));
  }

  @Test
  void empty_and_blank_text_is_only_the_special_tokens() {
    assertThat(tokens("")).containsExactly("[CLS]", "[SEP]");
    assertThat(tokens(" \t\r\n\u00a0\u3000")).containsExactly("[CLS]", "[SEP]");
  }

  @Test
  void text_is_lowercased_and_split_at_white_space_and_punctuation() {
    assertThat(tokens("Hello, World! don't")).containsExactly("[CLS]", "hello", ",", "world", "!", "don", "'", "t",
      "[SEP]");
    assertThat(tokens("https://x.com/a?b=1")).containsExactly("[CLS]", "https", ":", "/", "/", "x", ".", "com", "/",
      "a", "?", "b", "=", "1", "[SEP]");
  }

  @Test
  void words_are_split_into_the_longest_pieces_first() {
    assertThat(tokens("tokenization")).containsExactly("[CLS]", "token", "##ization", "[SEP]");
  }

  @Test
  void accents_are_stripped_after_canonical_decomposition() {
    assertThat(tokens("Café naïve RÉSUMÉ e\u0301")).containsExactly("[CLS]", "cafe", "naive", "resume", "e",
      "[SEP]");
  }

  @Test
  void control_format_and_replacement_characters_are_removed_inside_a_word() {
    assertThat(tokens("a\u0000b\u200bc\u00add\ufffde\ufeff")).containsExactly("[CLS]", "abc", "##de", "[SEP]");
    assertThat(tokens("a\ud800b")).containsExactly("[CLS]", "ab", "[SEP]");
  }

  @Test
  void punctuation_is_what_the_library_calls_punctuation_not_the_jdk() {
    // U+166D is punctuation in the library's old tables and a symbol in the JDK's; U+2E52 the other way round
    assertThat(tokens("a\u166db")).containsExactly("[CLS]", "a", "[UNK]", "b", "[SEP]");
    assertThat(tokens("a\u2e52b")).containsExactly("[CLS]", "[UNK]", "[SEP]");
  }

  @Test
  void chinese_characters_are_words_of_their_own_other_scripts_are_not() {
    assertThat(tokens("abc中def")).containsExactly("[CLS]", "abc", "中", "def", "[SEP]");
    assertThat(tokens("東京タワー")).containsExactly("[CLS]", "東", "京", "タ", "##ワ", "##ー", "[SEP]");
  }

  @Test
  void a_word_longer_than_the_limit_is_one_unknown_token() {
    assertThat(tokens("x".repeat(100))).hasSize(52).doesNotContain("[UNK]");
    assertThat(tokens("x".repeat(101))).containsExactly("[CLS]", "[UNK]", "[SEP]");
    assertThat(tokens("a".repeat(100) + "\u0301")).doesNotContain("[UNK]");
  }

  @Test
  void a_word_with_a_piece_outside_the_vocabulary_is_one_unknown_token() {
    assertThat(tokens("ok 😀x ok")).containsExactly("[CLS]", "ok", "[UNK]", "ok", "[SEP]");
  }

  @Test
  void added_tokens_are_matched_in_the_raw_text_case_sensitively() {
    assertThat(tokens("[CLS] hi [MASK]x")).containsExactly("[CLS]", "[CLS]", "hi", "[MASK]", "x", "[SEP]");
    assertThat(tokens("[mask]")).containsExactly("[CLS]", "[", "mask", "]", "[SEP]");
  }

  @Test
  void long_text_keeps_its_head_between_the_special_tokens() {
    int[] ids = tokenizer.encode("word ".repeat(1_000));

    assertThat(ids).hasSize(MAX_LENGTH);
    assertThat(tokens(ids).get(0)).isEqualTo("[CLS]");
    assertThat(tokens(ids).subList(1, MAX_LENGTH - 1)).containsOnly("word");
    assertThat(tokens(ids).get(MAX_LENGTH - 1)).isEqualTo("[SEP]");
  }

  @Test
  void a_word_cut_by_truncation_is_still_unknown_when_a_later_piece_fails() throws IOException {
    WordPieceTokenizer four = load(4);

    assertThat(tokens(four.encode("tokenization😀 more"))).containsExactly("[CLS]", "[UNK]", "more", "[SEP]");
    assertThat(tokens(four.encode("tokenization tokenization"))).containsExactly("[CLS]", "token", "##ization",
      "[SEP]");
  }

  @Test
  void the_smallest_length_holds_only_the_special_tokens() throws IOException {
    assertThat(tokens(load(2).encode("anything"))).containsExactly("[CLS]", "[SEP]");
    assertThatThrownBy(() -> load(1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_file_asking_for_an_unimplemented_step_is_refused() throws IOException {
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(TOKENIZER_JSON.toFile());
    ((ObjectNode) json.get("normalizer")).put("type", "NFKC");
    byte[] bytes = new ObjectMapper().writeValueAsBytes(json);

    assertThatThrownBy(() -> WordPieceTokenizer.load(new ByteArrayInputStream(bytes), MAX_LENGTH))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("BertNormalizer");
  }

  private static WordPieceTokenizer load(int maxLength) throws IOException {
    try (InputStream in = Files.newInputStream(TOKENIZER_JSON)) {
      return WordPieceTokenizer.load(in, maxLength);
    }
  }
}
