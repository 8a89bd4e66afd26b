package io.switchboard.anthropic;

import io.switchboard.cost.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamTranslationTest {

  private static Buffer chunk(JsonObject delta, String finish) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish);
    return new JsonObject().put("id", "chatcmpl-1").put("model", "m").put("choices", new JsonArray().add(choice))
      .toBuffer();
  }

  private static List<Map.Entry<String, JsonObject>> events(Buffer out) {
    List<Map.Entry<String, JsonObject>> events = new ArrayList<>();
    for (String event : out.toString().split("\n\n")) {
      String[] lines = event.split("\n");
      if (lines[0].startsWith("event: ")) {
        events.add(Map.entry(lines[0].substring(7), new JsonObject(lines[1].substring(6))));
      }
    }
    return events;
  }

  @Test
  void text_then_a_tool_call_are_two_blocks_with_increasing_indexes() {
    StreamTranslation translation = new StreamTranslation(List.of(), 42, "msg_x");
    Buffer out = Buffer.buffer()
      .appendBuffer(translation.chunk(chunk(new JsonObject().put("role", "assistant").put("content", ""), null)))
      .appendBuffer(translation.chunk(chunk(new JsonObject().put("content", "Looking."), null)))
      .appendBuffer(translation.chunk(chunk(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
        .put("index", 0).put("id", "call_9").put("function", new JsonObject().put("name", "ls")
          .put("arguments", "{}")))), null)))
      .appendBuffer(translation.chunk(chunk(new JsonObject(), "tool_calls")))
      .appendBuffer(translation.end(new Usage(100, 9, 60, 0, false), Buffer.buffer()));

    List<Map.Entry<String, JsonObject>> events = events(out);

    assertThat(events.stream().map(Map.Entry::getKey)).containsExactly("message_start", "ping",
      "content_block_start", "content_block_delta", "content_block_stop", "content_block_start",
      "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(events.get(0).getValue().getJsonObject("message").getString("id")).isEqualTo("msg_chatcmpl1");
    assertThat(events.get(0).getValue().getJsonObject("message").getJsonObject("usage").getLong("input_tokens"))
      .isEqualTo(42);
    assertThat(events.get(2).getValue().getInteger("index")).isZero();
    assertThat(events.get(5).getValue().getInteger("index")).isEqualTo(1);
    assertThat(events.get(5).getValue().getJsonObject("content_block").getString("id")).isEqualTo("call_9");
    JsonObject delta = events.get(8).getValue();
    assertThat(delta.getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");
    assertThat(delta.getJsonObject("usage")).isEqualTo(new JsonObject().put("input_tokens", 40)
      .put("output_tokens", 9).put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 60));
  }

  @Test
  void a_stop_named_by_the_upstream_is_a_stop_sequence_and_length_is_max_tokens() {
    StreamTranslation stopped = new StreamTranslation(List.of("###"), 1, "msg_x");
    stopped.chunk(chunk(new JsonObject().put("content", "a"), null));
    Buffer stop = new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
      .put("delta", new JsonObject()).put("finish_reason", "stop").put("stop_reason", "###"))).toBuffer();
    stopped.chunk(stop);
    JsonObject delta = events(stopped.end(Usage.NONE, Buffer.buffer())).get(1).getValue().getJsonObject("delta");
    assertThat(delta.getString("stop_reason")).isEqualTo("stop_sequence");
    assertThat(delta.getString("stop_sequence")).isEqualTo("###");

    StreamTranslation cut = new StreamTranslation(List.of(), 1, "msg_x");
    cut.chunk(chunk(new JsonObject().put("content", "a"), "length"));
    assertThat(events(cut.end(Usage.NONE, Buffer.buffer())).get(1).getValue().getJsonObject("delta")
      .getString("stop_reason")).isEqualTo("max_tokens");
  }
}
