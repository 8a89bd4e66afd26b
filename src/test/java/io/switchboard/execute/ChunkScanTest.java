package io.switchboard.execute;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChunkScanTest {

  private final StringBuilder text = new StringBuilder();

  private ChunkScan scan(String json) {
    return ChunkScan.of(Buffer.buffer(json), text);
  }

  @Test
  void a_content_delta_is_read_with_its_escapes_and_non_ascii_text() {
    ChunkScan scan = scan("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Gr\\u00fc\\u00dfe \\\"du\\\"\\n\"},"
      + "\"finish_reason\":null}],\"usage\":null}");
    scan("{\"choices\":[{\"delta\":{\"content\":\"日本 ✓\"}}]}");

    assertThat(scan.wellFormed).isTrue();
    assertThat(scan.usage).isFalse();
    assertThat(scan.finished).isFalse();
    assertThat(scan.error).isFalse();
    assertThat(text).hasToString("Grüße \"du\"\n日本 ✓");
  }

  @Test
  void tool_call_arguments_count_as_text() {
    scan("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}}]}");

    assertThat(text).hasToString("{\"city\":");
  }

  @Test
  void usage_and_finish_reason_are_seen_only_when_not_null() {
    ChunkScan finished = scan("{\"choices\":[{\"delta\":{},\"finish_reason\" : \"stop\"}]}");
    ChunkScan usage = scan("{\"choices\":[],\"usage\": {\"prompt_tokens\":3,\"completion_tokens\":4}}");

    assertThat(finished.finished).isTrue();
    assertThat(finished.usage).isFalse();
    assertThat(usage.usage).isTrue();
  }

  @Test
  void an_error_object_at_the_top_is_an_in_band_error_but_a_nested_one_is_not() {
    assertThat(scan("{\"error\":{\"message\":\"overloaded\"}}").error).isTrue();
    assertThat(scan("{\"choices\":[{\"delta\":{\"error\":{\"x\":1}}}]}").error).isFalse();
    assertThat(scan("{\"error\":null,\"choices\":[]}").error).isFalse();
  }

  @Test
  void key_like_text_inside_a_string_is_not_a_key() {
    ChunkScan scan = scan("{\"choices\":[{\"delta\":{\"content\":\"\\\"usage\\\": {\\\"error\\\": 1}\"}}]}");

    assertThat(scan.usage).isFalse();
    assertThat(scan.error).isFalse();
    assertThat(text).hasToString("\"usage\": {\"error\": 1}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{oops", "{\"choices\":[", "[1,2]", "", "   ", "{\"a\":1}}", "{\"a\":1} trailing", "{\"a\":\"open"})
  void structurally_broken_json_is_not_well_formed(String json) {
    assertThat(scan(json).wellFormed).isFalse();
  }
}
