package io.switchboard.cost;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage as OpenAI-shaped answers report it, cache reads and writes included. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UsageTest {

  @Test
  void cache_reads_and_writes_under_anthropics_names_are_read() {
    Usage usage = Usage.fromOpenAi(new JsonObject().put("prompt_tokens", 2_600).put("completion_tokens", 50)
      .put("cache_read_input_tokens", 2_000).put("cache_creation_input_tokens", 500));

    assertThat(usage).isEqualTo(new Usage(2_600, 50, 2_000, 500, false));
  }

  @Test
  void openais_cached_tokens_come_first_and_no_write_field_means_no_writes() {
    Usage usage = Usage.fromOpenAi(new JsonObject().put("prompt_tokens", 100).put("completion_tokens", 5)
      .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 64)).put("cache_read_input_tokens", 1));

    assertThat(usage).isEqualTo(new Usage(100, 5, 64, 0, false));
  }
}
