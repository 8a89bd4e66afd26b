package io.switchboard.anthropic;

import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.TestClient;
import io.vertx.core.buffer.Buffer;
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

/** {@code /v1/messages} on the wire: Anthropic JSON and events out, the OpenAI chat form to the upstream. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MessagesEndpointTest extends GatewayTest {

  static final Map<String, String> HEADERS = Map.of("content-type", "application/json",
    "anthropic-version", "2023-06-01");

  private TestClient.Result messages(JsonObject body) {
    return client.send(HttpMethod.POST, "/v1/messages", body.toBuffer(), HEADERS);
  }

  static JsonObject hello(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 100)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hello there")));
  }

  /** The events of an Anthropic stream: name and data of each. */
  static List<Map.Entry<String, JsonObject>> events(TestClient.Result result) {
    List<Map.Entry<String, JsonObject>> events = new ArrayList<>();
    for (String event : result.events()) {
      String name = null;
      JsonObject data = null;
      for (String line : event.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = new JsonObject(line.substring(6));
        }
      }
      if (name != null) {
        events.add(Map.entry(name, data));
      }
    }
    return events;
  }

  @Test
  void a_message_is_answered_as_an_anthropic_message_with_the_gateway_headers() {
    TestClient.Result result = messages(hello("fake-cheap").put("system", "Be brief.").put("temperature", 0.5)
      .put("stop_sequences", new JsonArray().add("END")).put("metadata", new JsonObject().put("user_id", "u-42")));

    assertThat(result.status()).isEqualTo(200);
    JsonObject message = result.json();
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getString("id")).startsWith("msg_");
    assertThat(message.getJsonArray("content")).containsExactly(
      new JsonObject().put("type", "text").put("text", FakeProvider.ANSWER));
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(message.getJsonObject("usage")).isEqualTo(new JsonObject().put("input_tokens", 12)
      .put("output_tokens", 5).put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0));
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(result.headers().get("x-switchboard-decision-id")).isNotBlank();
    assertThat(result.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000003");

    JsonObject sent = upstream.lastAttempt().body();
    assertThat(sent.getJsonArray("messages")).containsExactly(
      new JsonObject().put("role", "system").put("content", "Be brief."),
      new JsonObject().put("role", "user").put("content", "hello there"));
    assertThat(sent.getInteger("max_tokens")).isEqualTo(100);
    assertThat(sent.getDouble("temperature")).isEqualTo(0.5);
    assertThat(sent.getJsonArray("stop")).containsExactly("END");
    assertThat(sent.getString("user")).isEqualTo("u-42");
  }

  @Test
  void a_stream_is_the_anthropic_event_sequence_built_from_the_chunks() {
    TestClient.Result result = messages(hello("auto").put("stream", true));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("content-type")).startsWith("text/event-stream");
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    List<Map.Entry<String, JsonObject>> events = events(result);
    List<String> names = events.stream().map(Map.Entry::getKey).toList();
    int pieces = FakeProvider.ANSWER.split("(?<= )").length;
    List<String> expected = new ArrayList<>(List.of("message_start", "ping", "content_block_start"));
    for (int i = 0; i < pieces; i++) {
      expected.add("content_block_delta");
    }
    expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
    assertThat(names).isEqualTo(expected);
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e.getKey().equals("content_block_delta"))
      .forEach(e -> text.append(e.getValue().getJsonObject("delta").getString("text")));
    assertThat(text).hasToString(FakeProvider.ANSWER);
    JsonObject delta = events.get(events.size() - 2).getValue();
    assertThat(delta.getJsonObject("delta").getString("stop_reason")).isEqualTo("end_turn");
    assertThat(delta.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(pieces);
    assertThat(delta.getJsonObject("usage").getInteger("input_tokens")).isEqualTo(12);
    assertThat(result.body().toString()).doesNotContain("[DONE]").contains(": switchboard {");
    assertThat(upstream.lastAttempt().body().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
  }

  @Test
  void streamed_tool_calls_become_tool_use_blocks_with_input_json_deltas() {
    upstream.answerWithToolCalls("fake-cheap", new JsonArray().add(new JsonObject().put("id", "call_1")
      .put("name", "get_weather").put("arguments", "{\"city\":\"Paris\"}")));
    JsonObject tool = new JsonObject().put("name", "get_weather").put("description", "Weather by city")
      .put("input_schema", new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string"))));

    TestClient.Result result = messages(hello("fake-cheap").put("stream", true).put("tools", new JsonArray().add(tool))
      .put("tool_choice", new JsonObject().put("type", "any").put("disable_parallel_tool_use", true)));

    List<Map.Entry<String, JsonObject>> events = events(result);
    assertThat(events.stream().map(Map.Entry::getKey)).containsExactly("message_start", "ping",
      "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
      "message_stop");
    assertThat(events.get(2).getValue().getJsonObject("content_block")).isEqualTo(new JsonObject()
      .put("type", "tool_use").put("id", "call_1").put("name", "get_weather").put("input", new JsonObject()));
    String json = events.get(3).getValue().getJsonObject("delta").getString("partial_json")
      + events.get(4).getValue().getJsonObject("delta").getString("partial_json");
    assertThat(new JsonObject(json)).isEqualTo(new JsonObject().put("city", "Paris"));
    assertThat(events.get(3).getValue().getJsonObject("delta").getString("type")).isEqualTo("input_json_delta");
    assertThat(events.get(6).getValue().getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");

    JsonObject sent = upstream.lastAttempt().body();
    assertThat(sent.getJsonArray("tools")).containsExactly(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "get_weather").put("description", "Weather by city")
        .put("parameters", tool.getJsonObject("input_schema"))));
    assertThat(sent.getString("tool_choice")).isEqualTo("required");
    assertThat(sent.getBoolean("parallel_tool_calls")).isFalse();
  }

  @Test
  void images_from_base64_and_url_sources_become_image_url_parts() {
    JsonArray content = new JsonArray()
      .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "base64")
        .put("media_type", "image/png").put("data", "iVBORw0KGgo=")))
      .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "url")
        .put("url", "https://example.com/cat.jpg")))
      .add(new JsonObject().put("type", "text").put("text", "What are these?"));
    JsonObject body = hello("fake-cheap").put("messages", new JsonArray().add(new JsonObject().put("role", "user")
      .put("content", content)));

    assertThat(messages(body).status()).isEqualTo(200);

    assertThat(upstream.lastAttempt().body().getJsonArray("messages").getJsonObject(0).getJsonArray("content"))
      .containsExactly(
        new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
          .put("url", "data:image/png;base64,iVBORw0KGgo=")),
        new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
          .put("url", "https://example.com/cat.jpg")),
        new JsonObject().put("type", "text").put("text", "What are these?"));
  }

  @Test
  void bad_requests_get_anthropic_shaped_errors() {
    TestClient.Result missing = messages(hello("fake-cheap").put("max_tokens", (Object) null));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getString("type")).isEqualTo("error");
    assertThat(missing.json().getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
    assertThat(missing.json().getJsonObject("error").getString("message")).contains("max_tokens");
    assertThat(missing.json().fieldNames()).containsExactlyInAnyOrder("type", "error");

    TestClient.Result badBlock = messages(hello("fake-cheap").put("messages", new JsonArray().add(new JsonObject()
      .put("role", "user").put("content", new JsonArray().add(new JsonObject().put("type", "hologram"))))));
    assertThat(badBlock.status()).isEqualTo(400);
    assertThat(badBlock.json().getJsonObject("error").getString("message")).contains("hologram");

    TestClient.Result badRole = messages(hello("fake-cheap").put("messages", new JsonArray().add(new JsonObject()
      .put("role", "tool").put("content", "x"))));
    assertThat(badRole.json().getJsonObject("error").getString("message")).contains("messages[0].role");

    TestClient.Result notJson = client.send(HttpMethod.POST, "/v1/messages", Buffer.buffer("{\"model\":"), HEADERS);
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");

    TestClient.Result unknownModel = messages(hello("no-such-model"));
    assertThat(unknownModel.status()).isEqualTo(404);
    assertThat(unknownModel.json().getJsonObject("error").getString("type")).isEqualTo("not_found_error");

    TestClient.Result wrongMethod = client.get("/v1/messages");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.headers().get("allow")).isEqualTo("POST");
    assertThat(wrongMethod.json().getString("type")).isEqualTo("error");

    assertThat(upstream.attempts()).isEmpty();
    assertThat(missing.body().toString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void upstream_failures_keep_their_status_in_anthropic_shape() {
    upstream.on("fake-cheap", Behaviour.error(500, "server_error", "boom"));

    TestClient.Result result = messages(hello("fake-cheap"));

    assertThat(result.status()).isEqualTo(502);
    assertThat(result.json().getJsonObject("error").getString("type")).isEqualTo("api_error");
  }

  @Test
  void a_stream_cut_after_it_started_ends_with_an_error_event() {
    upstream.on("fake-cheap", Behaviour.ok().cutAfter(3));

    TestClient.Result result = messages(hello("fake-cheap").put("stream", true));

    assertThat(result.status()).isEqualTo(200);
    List<Map.Entry<String, JsonObject>> events = events(result);
    Map.Entry<String, JsonObject> last = events.get(events.size() - 1);
    assertThat(last.getKey()).isEqualTo("error");
    assertThat(last.getValue().getString("type")).isEqualTo("error");
    assertThat(last.getValue().getJsonObject("error").getString("type")).isEqualTo("api_error");
    assertThat(events.stream().map(Map.Entry::getKey)).contains("message_start").doesNotContain("message_stop");
  }

  @Test
  void count_tokens_counts_the_translated_prompt_without_calling_anything() {
    JsonObject body = new JsonObject().put("model", "auto").put("system", "You are terse.")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Count me, please.")));

    TestClient.Result result = client.send(HttpMethod.POST, "/v1/messages/count_tokens", body.toBuffer(), HEADERS);

    assertThat(result.status()).isEqualTo(200);
    // 3 priming + (3 + "system" 1 + "You are terse." 4) + (3 + "user" 1 + "Count me, please." 5)
    assertThat(result.json()).isEqualTo(new JsonObject().put("input_tokens", 20));
    assertThat(upstream.attempts()).isEmpty();

    TestClient.Result unknown = client.send(HttpMethod.POST, "/v1/messages/count_tokens",
      body.copy().put("model", "nope").toBuffer(), HEADERS);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getJsonObject("error").getString("type")).isEqualTo("not_found_error");
    TestClient.Result extra = client.send(HttpMethod.POST, "/v1/messages/count_tokens",
      body.copy().put("max_tokens", 5).toBuffer(), HEADERS);
    assertThat(extra.status()).isEqualTo(400);
  }
}
