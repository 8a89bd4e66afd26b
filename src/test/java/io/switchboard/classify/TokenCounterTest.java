package io.switchboard.classify;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TokenCounterTest {

  private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  @Test
  void ordinary_text_is_counted_exactly() {
    String text = "Summarise the meeting notes below in three bullet points.\n\nThe launch moved to Tuesday; "
      + "<|endoftext|> is just text here. Grüße, 日本語も。";

    assertThat(TokenCounter.count(text)).isEqualTo(O200K.countTokensOrdinary(text));
    assertThat(TokenCounter.count("")).isZero();
  }

  @Test
  @Timeout(10)
  void a_run_without_white_space_longer_than_the_limit_is_estimated_not_tokenized() {
    String blob = "q".repeat(2_000_000);
    String text = "before " + blob + " after";

    assertThat(TokenCounter.count(blob)).isEqualTo((blob.length() + 2) / 3);
    assertThat(TokenCounter.count(text))
      .isEqualTo(O200K.countTokensOrdinary("before ") + (blob.length() + 2) / 3 + O200K.countTokensOrdinary(" after"));
  }

  @Test
  void a_run_at_the_limit_is_still_exact() {
    String run = "ab".repeat(TokenCounter.MAX_EXACT_RUN / 2);

    assertThat(TokenCounter.count(run)).isEqualTo(O200K.countTokensOrdinary(run));
  }

  @Test
  void a_remembered_count_equals_a_fresh_one() {
    String system = "You are a careful assistant. Answer briefly and cite the file you read. ".repeat(50);

    int first = TokenCounter.countRemembered(system);
    int again = TokenCounter.countRemembered(new String(system.toCharArray()));

    assertThat(first).isEqualTo(again).isEqualTo(O200K.countTokensOrdinary(system));
  }
}
