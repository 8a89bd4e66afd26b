package io.switchboard.responses;

import io.switchboard.cost.Usage;
import io.switchboard.openai.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The translation of chat chunks into Responses events, chunk by chunk, on shapes the fake upstream does not send. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ResponseStreamTest {

  private static final JsonObject SHELL = new JsonObject().put("id", "resp_abc").put("object", "response")
    .put("status", "in_progress").put("output", new JsonArray());

  private static Buffer chunk(JsonObject delta, String finish) {
    return new JsonObject().put("id", "chatcmpl-1").put("choices", new JsonArray().add(new JsonObject()
      .put("index", 0).put("delta", delta).put("finish_reason", finish))).toBuffer();
  }

  private static JsonObject call(int index, String id, String name, String arguments) {
    JsonObject function = new JsonObject().put("arguments", arguments);
    if (name != null) {
      function.put("name", name);
    }
    JsonObject call = new JsonObject().put("index", index).put("function", function);
    if (id != null) {
      call.put("id", id);
    }
    return new JsonObject().put("tool_calls", new JsonArray().add(call));
  }

  private static List<JsonObject> events(Buffer... buffers) {
    List<JsonObject> events = new ArrayList<>();
    for (Buffer buffer : buffers) {
      for (String event : buffer.toString().split("\n\n")) {
        if (event.startsWith("event: ")) {
          events.add(new JsonObject(event.substring(event.indexOf("\ndata: ") + 7)));
        }
      }
    }
    return events;
  }

  @Test
  void text_then_interleaved_tool_calls_become_one_message_and_two_function_call_items_in_order() {
    ResponseStream stream = new ResponseStream(SHELL);
    Buffer a = stream.chunk(chunk(new JsonObject().put("role", "assistant").put("content", "Let me look."), null));
    Buffer b = stream.chunk(chunk(call(0, "call_1", "find", "{\"q\":"), null));
    Buffer c = stream.chunk(chunk(call(1, "call_2", "open", "{\"p\":"), null));
    Buffer d = stream.chunk(chunk(call(0, null, null, "\"x\"}"), null));
    Buffer e = stream.chunk(chunk(call(1, null, null, "1}"), "tool_calls"));
    Buffer usage = stream.chunk(new JsonObject().put("choices", new JsonArray()).put("usage", new JsonObject()
      .put("prompt_tokens", 9).put("completion_tokens", 4)
      .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 2))).toBuffer());
    Buffer end = stream.end(new Usage(9, 4, 3, 0, false), Buffer.buffer(": cost\n\n"));

    assertThat(usage.length()).isZero();
    List<JsonObject> events = events(a, b, c, d, e, end);
    assertThat(events.stream().map(ev -> ev.getString("type")).toList()).containsExactly(
      "response.created", "response.in_progress",
      "response.output_item.added", "response.content_part.added", "response.output_text.delta",
      "response.output_text.done", "response.content_part.done", "response.output_item.done",
      "response.output_item.added", "response.function_call_arguments.delta",
      "response.output_item.added", "response.function_call_arguments.delta",
      "response.function_call_arguments.delta", "response.function_call_arguments.delta",
      "response.function_call_arguments.done", "response.output_item.done",
      "response.function_call_arguments.done", "response.output_item.done",
      "response.completed");
    assertThat(events.get(12).getInteger("output_index")).isEqualTo(1);
    assertThat(events.get(13).getInteger("output_index")).isEqualTo(2);
    assertThat(events.get(14).getString("arguments")).isEqualTo("{\"q\":\"x\"}");
    JsonObject response = stream.response();
    assertThat(response.getJsonArray("output")).containsExactly(
      ResponseObjects.messageItem("msg_abc_0", "Let me look.", "completed"),
      ResponseObjects.functionCallItem("fc_abc_1", "call_1", "find", "{\"q\":\"x\"}", "completed"),
      ResponseObjects.functionCallItem("fc_abc_2", "call_2", "open", "{\"p\":1}", "completed"));
    assertThat(response.getJsonObject("usage")).isEqualTo(new JsonObject().put("input_tokens", 9)
      .put("input_tokens_details", new JsonObject().put("cached_tokens", 3)).put("output_tokens", 4)
      .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 2)).put("total_tokens", 13));
    assertThat(end.toString()).contains(": cost\n\nevent: response.completed");
  }

  @Test
  void a_length_finish_ends_with_response_incomplete_and_a_failure_with_response_failed() {
    ResponseStream cut = new ResponseStream(SHELL);
    cut.chunk(chunk(new JsonObject().put("content", "Hel"), null));
    List<JsonObject> incomplete = events(cut.chunk(chunk(new JsonObject(), "length")),
      cut.end(new Usage(1, 1, 0, 0, false), Buffer.buffer()));
    JsonObject last = incomplete.get(incomplete.size() - 1);
    assertThat(last.getString("type")).isEqualTo("response.incomplete");
    assertThat(last.getJsonObject("response").getJsonObject("incomplete_details"))
      .isEqualTo(new JsonObject().put("reason", "max_output_tokens"));

    ResponseStream failing = new ResponseStream(SHELL);
    Buffer first = failing.chunk(chunk(new JsonObject().put("content", "Hel"), null));
    List<JsonObject> failed = events(first, failing.failed(new ApiError(502, ApiError.API_ERROR,
      "upstream_stream_cut", null, "cut", 0)));
    JsonObject end = failed.get(failed.size() - 1);
    assertThat(end.getString("type")).isEqualTo("response.failed");
    assertThat(end.getJsonObject("response").getString("status")).isEqualTo("failed");
    assertThat(end.getJsonObject("response").getJsonObject("error").getString("message"))
      .contains("upstream_stream_cut");
    assertThat(end.getLong("sequence_number")).isEqualTo(failed.size() - 1);
  }
}
