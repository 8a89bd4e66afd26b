package io.switchboard.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamAssemblerTest {

  private static Buffer chunk(JsonObject delta, String finish) {
    return new JsonObject().put("id", "chatcmpl-9").put("object", "chat.completion.chunk").put("created", 7)
      .put("model", "m-up").put("system_fingerprint", "fp")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
        .put("logprobs", null).put("finish_reason", finish))).toBuffer();
  }

  private static JsonObject call(int index, String id, String name, String arguments) {
    JsonObject function = new JsonObject().put("arguments", arguments);
    if (name != null) {
      function.put("name", name);
    }
    JsonObject call = new JsonObject().put("index", index).put("function", function);
    return id == null ? call : call.put("id", id).put("type", "function");
  }

  @Test
  void content_reasoning_tool_calls_finish_and_usage_make_one_completion() {
    StreamAssembler assembler = new StreamAssembler(10_000);
    assembler.add(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
    assembler.add(chunk(new JsonObject().put("reasoning_content", "Think"), null));
    assembler.add(chunk(new JsonObject().put("reasoning_content", "ing."), null));
    assembler.add(chunk(new JsonObject().put("content", "Hel"), null));
    assembler.add(chunk(new JsonObject().put("content", "lo"), null));
    assembler.add(chunk(new JsonObject().put("tool_calls", new JsonArray()
      .add(call(0, "call_a", "lookup", "{\"q\":"))
      .add(call(1, "call_b", "fetch", ""))), null));
    assembler.add(chunk(new JsonObject().put("tool_calls", new JsonArray().add(call(0, null, null, "\"x\"}"))), null));
    assembler.add(chunk(new JsonObject().put("tool_calls", new JsonArray().add(call(1, null, null, "{}"))), null));
    assembler.add(chunk(new JsonObject(), "tool_calls"));
    assembler.add(new JsonObject().put("id", "chatcmpl-9").put("choices", new JsonArray())
      .put("usage", new JsonObject().put("prompt_tokens", 3).put("completion_tokens", 4)).toBuffer());

    JsonObject completion = assembler.completion().orElseThrow();

    assertThat(completion.getString("id")).isEqualTo("chatcmpl-9");
    assertThat(completion.getString("object")).isEqualTo("chat.completion");
    assertThat(completion.getInteger("created")).isEqualTo(7);
    assertThat(completion.getString("model")).isEqualTo("m-up");
    assertThat(completion.getString("system_fingerprint")).isEqualTo("fp");
    assertThat(completion.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(4);
    JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getString("content")).isEqualTo("Hello");
    assertThat(message.getString("reasoning_content")).isEqualTo("Thinking.");
    JsonArray calls = message.getJsonArray("tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.getJsonObject(0).getString("id")).isEqualTo("call_a");
    assertThat(calls.getJsonObject(0).getString("type")).isEqualTo("function");
    assertThat(calls.getJsonObject(0).getJsonObject("function"))
      .isEqualTo(new JsonObject().put("name", "lookup").put("arguments", "{\"q\":\"x\"}"));
    assertThat(calls.getJsonObject(1).getJsonObject("function"))
      .isEqualTo(new JsonObject().put("name", "fetch").put("arguments", "{}"));
  }

  @Test
  void a_stream_without_a_finish_is_no_completion() {
    StreamAssembler assembler = new StreamAssembler(10_000);
    assembler.add(chunk(new JsonObject().put("role", "assistant").put("content", "partial"), null));

    assertThat(assembler.completion()).isEmpty();
  }

  @Test
  void text_past_the_limit_logprobs_or_a_chunk_that_is_not_json_give_up() {
    StreamAssembler large = new StreamAssembler(8);
    large.add(chunk(new JsonObject().put("content", "12345"), null));
    large.add(chunk(new JsonObject().put("content", "67890"), "stop"));

    StreamAssembler logprobs = new StreamAssembler(10_000);
    logprobs.add(new JsonObject().put("id", "x").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
      .put("delta", new JsonObject().put("content", "a")).put("logprobs", new JsonObject().put("content", new JsonArray()))
      .put("finish_reason", "stop"))).toBuffer());

    StreamAssembler broken = new StreamAssembler(10_000);
    broken.add(Buffer.buffer("{\"choices\":[{\"delta\":"));
    broken.add(chunk(new JsonObject().put("content", "a"), "stop"));

    assertThat(large.completion()).isEmpty();
    assertThat(logprobs.completion()).isEmpty();
    assertThat(broken.completion()).isEmpty();
  }
}
