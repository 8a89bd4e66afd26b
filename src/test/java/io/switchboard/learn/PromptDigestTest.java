package io.switchboard.learn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What counts as the same prompt from the same caller. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PromptDigestTest {

  private static JsonArray messages(String... roleAndText) {
    JsonArray messages = new JsonArray();
    for (int i = 0; i < roleAndText.length; i += 2) {
      messages.add(new JsonObject().put("role", roleAndText[i]).put("content", roleAndText[i + 1]));
    }
    return messages;
  }

  @Test
  void case_and_whitespace_do_not_matter() {
    assertThat(PromptDigest.of("key:a", messages("user", "Explain  monads\n simply ")))
      .isEqualTo(PromptDigest.of("key:a", messages("user", "explain monads simply")));
  }

  @Test
  void the_words_the_roles_the_conversation_and_the_caller_do() {
    long base = PromptDigest.of("key:a", messages("user", "explain monads"));

    assertThat(PromptDigest.of("key:a", messages("user", "explain functors"))).isNotEqualTo(base);
    assertThat(PromptDigest.of("key:a", messages("user", "explainmonads"))).isNotEqualTo(base);
    assertThat(PromptDigest.of("key:a", messages("system", "explain monads"))).isNotEqualTo(base);
    assertThat(PromptDigest.of("key:a", messages("user", "explain", "user", "monads"))).isNotEqualTo(base);
    assertThat(PromptDigest.of("key:b", messages("user", "explain monads"))).isNotEqualTo(base);
  }

  @Test
  void text_parts_count_like_text() {
    JsonArray parts = new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", "describe this"))
      .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "http://x")))));
    JsonArray other = parts.copy();
    other.getJsonObject(0).getJsonArray("content").getJsonObject(0).put("text", "describe that");

    assertThat(PromptDigest.of("s", parts)).isEqualTo(PromptDigest.of("s", parts.copy()))
      .isNotEqualTo(PromptDigest.of("s", other)).isNotZero();
  }

  @Test
  void a_very_long_message_is_digested_by_its_head_and_its_length() {
    String head = "x".repeat(PromptDigest.MAX_CHARS);

    assertThat(PromptDigest.of("s", messages("user", head + "tail one")))
      .isEqualTo(PromptDigest.of("s", messages("user", head + "tail two")))
      .isNotEqualTo(PromptDigest.of("s", messages("user", head + "a longer tail")));
  }
}
