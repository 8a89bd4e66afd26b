package io.switchboard.responses;

import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.TestClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/responses} on the wire: the event framing, validation errors, headers, cache replays, translations. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ResponsesEndpointTest extends GatewayTest {

  private static final String PATH = "/v1/responses";

  private static JsonObject ask(String text) {
    return new JsonObject().put("model", "auto").put("input", text);
  }

  /** The events of a stream as (type, data) pairs, each checked to be framed as the Responses API frames them. */
  private static List<JsonObject> events(TestClient.Result result) {
    List<JsonObject> events = new ArrayList<>();
    for (String event : result.events()) {
      if (event.startsWith(":")) {
        continue;   // the gateway's cost comment
      }
      String[] lines = event.split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      JsonObject data = new JsonObject(lines[1].substring("data: ".length()));
      assertThat(data.getString("type")).isEqualTo(lines[0].substring("event: ".length()));
      events.add(data);
    }
    return events;
  }

  private static List<String> types(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("type")).toList();
  }

  @Test
  void a_stream_is_the_responses_event_sequence_with_consecutive_sequence_numbers() {
    TestClient.Result result = client.post(PATH, ask("Say hello").put("stream", true));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("content-type")).startsWith("text/event-stream");
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    List<JsonObject> events = events(result);
    int deltas = FakeProvider.ANSWER.split("(?<= )").length;
    List<String> expected = new ArrayList<>(List.of("response.created", "response.in_progress",
      "response.output_item.added", "response.content_part.added"));
    for (int i = 0; i < deltas; i++) {
      expected.add("response.output_text.delta");
    }
    expected.addAll(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done",
      "response.completed"));
    assertThat(types(events)).isEqualTo(expected);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).getLong("sequence_number")).isEqualTo(i);
    }
    JsonObject completed = events.get(events.size() - 1).getJsonObject("response");
    assertThat(completed.getString("status")).isEqualTo("completed");
    assertThat(completed.getJsonObject("usage").getLong("total_tokens")).isEqualTo(FakeProvider.PROMPT_TOKENS + deltas);
    assertThat(result.body().toString()).contains(": switchboard {").doesNotContain("[DONE]");
    String item = events.get(2).getJsonObject("item").getString("id");
    assertThat(events.get(4).getString("item_id")).isEqualTo(item);
    assertThat(completed.getJsonArray("output").getJsonObject(0).getString("id")).isEqualTo(item);
  }

  @Test
  void a_json_response_carries_the_gateway_headers_and_echoes_the_request() {
    TestClient.Result result = client.post(PATH, ask("Say hello").put("user", "u-1")
      .put("metadata", new JsonObject().put("ticket", "T-7")).put("parallel_tool_calls", false));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(result.headers().get("x-switchboard-cost-usd")).isNotBlank();
    assertThat(result.headers().get("x-switchboard-decision-id")).isNotBlank();
    JsonObject response = result.json();
    assertThat(response.getString("object")).isEqualTo("response");
    assertThat(response.getString("user")).isEqualTo("u-1");
    assertThat(response.getJsonObject("metadata")).isEqualTo(new JsonObject().put("ticket", "T-7"));
    assertThat(response.getBoolean("parallel_tool_calls")).isFalse();
    JsonObject message = response.getJsonArray("output").getJsonObject(0);
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getJsonArray("content").getJsonObject(0)).isEqualTo(new JsonObject().put("type", "output_text")
      .put("text", FakeProvider.ANSWER).put("annotations", new JsonArray()).put("logprobs", new JsonArray()));
    JsonObject sent = upstream.lastAttempt().body();
    assertThat(sent.getString("user")).isEqualTo("u-1");
    assertThat(sent.containsKey("parallel_tool_calls")).as("not without tools").isFalse();
    assertThat(sent.containsKey("metadata")).isFalse();
  }

  @Test
  void message_items_translate_roles_images_and_files_into_chat_messages() {
    JsonArray input = new JsonArray()
      .add(new JsonObject().put("role", "developer").put("content", "Answer in French."))
      .add(new JsonObject().put("type", "message").put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "input_text").put("text", "What is this?"))
        .add(new JsonObject().put("type", "input_image").put("image_url", "data:image/png;base64,iVBORw0KGgo=")
          .put("detail", "low"))
        .add(new JsonObject().put("type", "input_file").put("filename", "a.pdf")
          .put("file_data", "data:application/pdf;base64,JVBERi0="))))
      .add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
        .add(new JsonObject().put("type", "output_text").put("text", "Un logo.").put("annotations", new JsonArray()))))
      .add(new JsonObject().put("type", "reasoning").put("id", "rs_1").put("summary", new JsonArray()))
      .add(new JsonObject().put("role", "user").put("content", "Merci"));

    TestClient.Result result = client.post(PATH, new JsonObject().put("model", "auto").put("input", input));

    assertThat(result.status()).isEqualTo(200);
    assertThat(upstream.lastAttempt().body().getJsonArray("messages")).containsExactly(
      new JsonObject().put("role", "system").put("content", "Answer in French."),
      new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "What is this?"))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
          .put("url", "data:image/png;base64,iVBORw0KGgo=").put("detail", "low")))
        .add(new JsonObject().put("type", "file").put("file", new JsonObject()
          .put("file_data", "data:application/pdf;base64,JVBERi0=").put("filename", "a.pdf")))),
      new JsonObject().put("role", "assistant").put("content", "Un logo."),
      new JsonObject().put("role", "user").put("content", "Merci"));
  }

  @Test
  void a_named_tool_choice_and_a_json_object_format_translate() {
    JsonObject tool = new JsonObject().put("type", "function").put("name", "lookup")
      .put("parameters", new JsonObject().put("type", "object"));
    client.post(PATH, ask("Find it").put("tools", new JsonArray().add(tool))
      .put("tool_choice", new JsonObject().put("type", "function").put("name", "lookup"))
      .put("parallel_tool_calls", false)
      .put("text", new JsonObject().put("format", new JsonObject().put("type", "json_object"))
        .put("verbosity", "low")));

    JsonObject sent = upstream.lastAttempt().body();
    assertThat(sent.getJsonArray("tools")).containsExactly(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "lookup")
        .put("parameters", new JsonObject().put("type", "object"))));
    assertThat(sent.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "lookup")));
    assertThat(sent.getJsonObject("response_format")).isEqualTo(new JsonObject().put("type", "json_object"));
    assertThat(sent.getBoolean("parallel_tool_calls")).isFalse();
    assertThat(sent.encode()).doesNotContain("verbosity");
  }

  @Test
  void invalid_or_unsupported_requests_are_400s_naming_the_parameter() {
    Map<String, JsonObject> cases = new java.util.LinkedHashMap<>();
    cases.put("model", new JsonObject().put("input", "hi"));
    cases.put("input", new JsonObject().put("model", "auto"));
    cases.put("conversation", ask("hi").put("conversation", "conv_1"));
    cases.put("input[0].type", ask("hi").put("input", new JsonArray()
      .add(new JsonObject().put("type", "computer_call"))));
    cases.put("input[0].role", ask("hi").put("input", new JsonArray().add(new JsonObject().put("role", "tool")
      .put("content", "x"))));
    cases.put("input[0].content[0].file_id", ask("hi").put("input", new JsonArray().add(new JsonObject()
      .put("role", "user").put("content", new JsonArray().add(new JsonObject().put("type", "input_image")
        .put("file_id", "file-1"))))));
    cases.put("input[0].call_id", ask("hi").put("input", new JsonArray().add(new JsonObject()
      .put("type", "function_call_output").put("output", "x"))));
    cases.put("tools[0].type", ask("hi").put("tools", new JsonArray()
      .add(new JsonObject().put("type", "file_search"))));
    cases.put("tools[0].name", ask("hi").put("tools", new JsonArray().add(new JsonObject().put("type", "function"))));
    cases.put("tool_choice.name", ask("hi").put("tool_choice", new JsonObject().put("type", "function")
      .put("name", "nope")));
    cases.put("text.format.schema", ask("hi").put("text", new JsonObject().put("format", new JsonObject()
      .put("type", "json_schema").put("name", "x"))));
    cases.put("include[0]", ask("hi").put("include", new JsonArray().add("message.output_text.logprobs")));
    cases.put("background", ask("hi").put("background", true));
    cases.put("truncation", ask("hi").put("truncation", "auto"));
    cases.put("max_output_tokens", ask("hi").put("max_output_tokens", 0));
    cases.put("metadata.k", ask("hi").put("metadata", new JsonObject().put("k", 1)));
    cases.put("store", ask("hi").put("store", "yes"));
    cases.put("reasoning.budget", ask("hi").put("reasoning", new JsonObject().put("budget", 3)));

    cases.forEach((param, body) -> {
      TestClient.Result result = client.post(PATH, body);
      assertThat(result.status()).as(param).isEqualTo(400);
      assertThat(result.error().getString("param")).as(body.encode()).isEqualTo(param);
      assertThat(result.error().getString("type")).isEqualTo("invalid_request_error");
    });
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void unknown_ids_and_paths_are_404s_and_a_get_of_the_create_path_is_a_405() {
    assertThat(client.get(PATH + "/resp_0123abcd").status()).isEqualTo(404);
    assertThat(client.get(PATH + "/resp_0123abcd").error().getString("code")).isEqualTo("response_not_found");
    assertThat(client.get(PATH + "/not-an-id").status()).isEqualTo(404);
    TestClient.Result continued = client.post(PATH, ask("hi").put("previous_response_id", "resp_0123abcd"));
    assertThat(continued.status()).isEqualTo(404);
    assertThat(continued.error().getString("param")).isEqualTo("previous_response_id");
    TestClient.Result wrongMethod = client.send(HttpMethod.GET, PATH, null, Map.of());
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.headers().get("allow")).isEqualTo("POST");
    TestClient.Result postToAnId = client.post(PATH + "/resp_0123abcd", ask("hi"));
    assertThat(postToAnId.status()).isEqualTo(405);
    assertThat(postToAnId.headers().get("allow")).isEqualTo("GET, DELETE");
    assertThat(client.send(HttpMethod.DELETE, PATH + "/resp_0123abcd", null, Map.of()).status()).isEqualTo(404);
  }

  @Test
  void a_deterministic_request_is_answered_from_the_cache_as_json_and_as_a_stream_with_a_fresh_response_id() {
    JsonObject body = ask("Say hello").put("temperature", 0);
    JsonObject first = client.post(PATH, body).json();
    TestClient.Result again = client.post(PATH, body);
    TestClient.Result streamed = client.post(PATH, body.copy().put("stream", true));

    assertThat(upstream.attempts()).hasSize(1);
    assertThat(again.headers().get("x-switchboard-cache")).isEqualTo("hit");
    assertThat(again.json().getString("id")).isNotEqualTo(first.getString("id"));
    assertThat(again.json().getJsonArray("output").getJsonObject(0).getJsonArray("content"))
      .isEqualTo(first.getJsonArray("output").getJsonObject(0).getJsonArray("content"));
    assertThat(streamed.headers().get("x-switchboard-cache")).isEqualTo("hit");
    List<JsonObject> events = events(streamed);
    assertThat(types(events)).containsExactly("response.created", "response.in_progress",
      "response.output_item.added", "response.content_part.added", "response.output_text.delta",
      "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
    assertThat(events.get(4).getString("delta")).isEqualTo(FakeProvider.ANSWER);
    String replayedId = events.get(8).getJsonObject("response").getString("id");
    assertThat(client.get(PATH + "/" + replayedId).status()).isEqualTo(200);
  }

  @Test
  void a_stream_that_fails_before_its_first_byte_is_an_ordinary_http_error() {
    upstream.on("fake-cheap", Behaviour.error(500, "boom", "upstream broke"));

    TestClient.Result result = client.post(PATH, ask("Say hello").put("stream", true).put("model", "fake-cheap"));

    assertThat(result.status()).isEqualTo(502);
    assertThat(result.error().getString("code")).isEqualTo("upstream_error");
  }

  @Test
  void a_codex_shaped_turn_is_accepted_and_its_reasoning_state_left_out() {
    JsonObject shell = new JsonObject().put("type", "function").put("name", "shell").put("strict", false)
      .put("description", "Runs a shell command").put("parameters", new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("command", new JsonObject().put("type", "array")
          .put("items", new JsonObject().put("type", "string")))).put("required", new JsonArray().add("command"))
        .put("additionalProperties", false));
    JsonArray input = new JsonArray()
      .add(new JsonObject().put("type", "message").put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "input_text")
          .put("text", "<environment_context>cwd: /repo</environment_context>"))))
      .add(new JsonObject().put("type", "message").put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "input_text").put("text", "List the files"))))
      .add(new JsonObject().put("type", "reasoning").put("id", "rs_1").put("summary", new JsonArray())
        .put("encrypted_content", "gAAAAB..."))
      .add(new JsonObject().put("type", "function_call").put("name", "shell").put("call_id", "call_7")
        .put("arguments", "{\"command\":[\"ls\"]}"))
      .add(new JsonObject().put("type", "function_call_output").put("call_id", "call_7").put("output", "README.md"));
    JsonObject body = new JsonObject().put("model", "auto").put("instructions", "You are a coding agent.")
      .put("input", input).put("tools", new JsonArray().add(shell)).put("tool_choice", "auto")
      .put("parallel_tool_calls", false)
      .put("reasoning", new JsonObject().put("effort", "medium").put("summary", "auto"))
      .put("store", false).put("stream", true).put("include", new JsonArray().add("reasoning.encrypted_content"))
      .put("prompt_cache_key", "0b7a-session");

    TestClient.Result result = client.post(PATH, body);

    assertThat(result.status()).isEqualTo(200);
    assertThat(types(events(result))).endsWith("response.completed");
    JsonObject sent = upstream.lastAttempt().body();
    assertThat(sent.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("role")).toList())
      .containsExactly("system", "user", "user", "assistant", "tool");
    assertThat(sent.encode()).doesNotContain("encrypted").doesNotContain("prompt_cache_key")
      .doesNotContain("reasoning");
    assertThat(sent.getBoolean("parallel_tool_calls")).isFalse();
  }
}
