package io.switchboard.cache;

import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
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

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The response cache through the gateway, with the in-memory store (no redis section). */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ResponseCachingTest extends GatewayTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final String HEADER = "x-switchboard-cache";

  private static JsonObject deterministic(String model, String text) {
    return Chats.chat(model, text).put("temperature", 0);
  }

  private int calls() {
    return upstream.attempts("fake-cheap").size();
  }

  private TestClient.Result post(JsonObject body, Map<String, String> headers) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("content-type", "application/json");
    return client.send(HttpMethod.POST, CHAT, body.toBuffer(), all);
  }

  private double cacheRequests(String result) {
    return gateway.registry().get("switchboard.cache.requests").tag("result", result).counter().count();
  }

  @Test
  void a_deterministic_request_is_answered_once_by_the_upstream_then_from_the_cache_for_free() {
    TestClient.Result first = client.post(CHAT, deterministic("fake-cheap", "hello"));
    TestClient.Result second = client.post(CHAT, deterministic("fake-cheap", "hello"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.headers().get(HEADER)).isEqualTo("miss");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.headers().get(HEADER)).isEqualTo("hit");
    assertThat(calls()).isEqualTo(1);
    assertThat(second.json()).isEqualTo(first.json());
    assertThat(second.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(second.headers().get("x-switchboard-attempts")).isEqualTo("0");
    assertThat(second.headers().get("x-switchboard-decision-id")).isNotEqualTo(first.headers().get("x-switchboard-decision-id"));
    // nothing spent; saved what the baseline (fake-premium, 2/8 $/M) costs for 12 + 5 tokens: 24 + 40 µ$
    assertThat(second.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000000");
    assertThat(second.headers().get("x-switchboard-baseline-cost-usd")).isEqualTo("0.000064");
    assertThat(second.headers().get("x-switchboard-savings-usd")).isEqualTo("0.000064");
    assertThat(cacheRequests("miss")).isEqualTo(1.0);
    assertThat(cacheRequests("hit")).isEqualTo(1.0);
  }

  @Test
  void key_order_whitespace_and_number_spelling_do_not_change_the_key() {
    TestClient.Result first = client.post(CHAT,
      "{\"model\":\"fake-cheap\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    TestClient.Result second = client.post(CHAT,
      "{ \"messages\" : [ { \"content\" : \"hi\", \"role\" : \"user\", \"name\": null } ],\n\t\"temperature\" : 0.0,"
        + " \"model\" : \"fake-cheap\" }");

    assertThat(first.headers().get(HEADER)).isEqualTo("miss");
    assertThat(second.headers().get(HEADER)).isEqualTo("hit");
    assertThat(calls()).isEqualTo(1);
  }

  @Test
  void a_different_model_name_message_tool_or_parameter_is_another_entry() {
    JsonObject base = deterministic("fake-cheap", "hello");
    JsonObject tools = new JsonObject().put("tools", new JsonArray().add(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "lookup").put("parameters", new JsonObject()))));
    List<JsonObject> variants = List.of(
      base.copy().put("model", "cheap"),
      deterministic("fake-cheap", "hello!"),
      base.copy().mergeIn(tools),
      base.copy().put("temperature", 0.5).put("switchboard", new JsonObject().put("cache", true)),
      base.copy().put("max_tokens", 10),
      base.copy().put("seed", 7),
      base.copy().put("response_format", new JsonObject().put("type", "json_object")),
      base.copy().put("user", "someone"));

    assertThat(client.post(CHAT, base).headers().get(HEADER)).isEqualTo("miss");
    for (JsonObject variant : variants) {
      assertThat(client.post(CHAT, variant).headers().get(HEADER)).as(variant.encode()).isEqualTo("miss");
    }
    assertThat(calls()).isEqualTo(1 + variants.size());
  }

  @Test
  void a_request_that_is_not_deterministic_bypasses_the_cache() {
    JsonObject warm = Chats.chat("fake-cheap", "hello").put("temperature", 0.7);
    JsonObject unset = Chats.chat("fake-cheap", "hello");

    for (JsonObject body : List.of(warm, warm, unset, unset)) {
      assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("bypass");
    }
    assertThat(calls()).isEqualTo(4);
    assertThat(cacheRequests("bypass")).isEqualTo(4.0);
  }

  @Test
  void more_than_one_choice_bypasses_the_cache() {
    JsonObject body = deterministic("fake-cheap", "hello").put("n", 2);

    assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("bypass");
    assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("bypass");
    assertThat(calls()).isEqualTo(2);
  }

  @Test
  void switchboard_cache_true_caches_a_warm_request_and_never_reaches_the_upstream() {
    JsonObject body = Chats.chat("fake-cheap", "hello").put("temperature", 0.7)
      .put("switchboard", new JsonObject().put("cache", true));

    assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("miss");
    assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("hit");
    assertThat(calls()).isEqualTo(1);
    assertThat(upstream.lastAttempt().body().containsKey("switchboard")).isFalse();
  }

  @Test
  void switchboard_cache_false_and_cache_control_no_store_keep_a_request_away_from_the_cache() {
    JsonObject body = deterministic("fake-cheap", "hello");
    assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("miss");

    JsonObject refused = body.copy().put("switchboard", new JsonObject().put("cache", false));
    assertThat(client.post(CHAT, refused).headers().get(HEADER)).isEqualTo("bypass");
    assertThat(post(body, Map.of("cache-control", "no-store")).headers().get(HEADER)).isEqualTo("bypass");
    assertThat(calls()).isEqualTo(3);
    assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("hit");
  }

  @Test
  void cache_control_no_cache_asks_the_upstream_again_and_keeps_the_fresh_answer() {
    JsonObject body = deterministic("fake-cheap", "hello");
    upstream.on("fake-cheap", Behaviour.ok().withPieces("old ", "answer"), Behaviour.ok().withPieces("new ", "answer"));

    assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("miss");
    TestClient.Result refreshed = post(body, Map.of("cache-control", "max-age=0, no-cache"));
    TestClient.Result hit = client.post(CHAT, body);

    assertThat(refreshed.headers().get(HEADER)).isEqualTo("miss");
    assertThat(hit.headers().get(HEADER)).isEqualTo("hit");
    assertThat(content(hit.json())).isEqualTo("new answer");
    assertThat(calls()).isEqualTo(2);
  }

  @Test
  void bad_gateway_options_are_refused_with_the_parameter_named() {
    TestClient.Result notBoolean = client.post(CHAT, deterministic("fake-cheap", "hi")
      .put("switchboard", new JsonObject().put("cache", "yes")));
    TestClient.Result unknown = client.post(CHAT, deterministic("fake-cheap", "hi")
      .put("switchboard", new JsonObject().put("cahce", true)));
    TestClient.Result notObject = client.post(CHAT, deterministic("fake-cheap", "hi").put("switchboard", true));

    assertThat(notBoolean.status()).isEqualTo(400);
    assertThat(notBoolean.error().getString("param")).isEqualTo("switchboard.cache");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.error().getString("param")).isEqualTo("switchboard.cahce");
    assertThat(notObject.status()).isEqualTo(400);
    assertThat(notObject.error().getString("param")).isEqualTo("switchboard");
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void a_stream_after_a_cached_json_answer_is_replayed_as_sse_ending_in_done() {
    JsonObject body = deterministic("fake-cheap", "hello");
    TestClient.Result json = client.post(CHAT, body);
    TestClient.Result stream = client.post(CHAT, body.copy().put("stream", true)
      .put("stream_options", new JsonObject().put("include_usage", true)));

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.headers().get("content-type")).startsWith("text/event-stream");
    assertThat(stream.headers().get(HEADER)).isEqualTo("hit");
    assertThat(calls()).isEqualTo(1);
    List<String> events = stream.events();
    assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    assertThat(events.get(events.size() - 2)).startsWith(": switchboard ").contains("\"cost_usd\":\"0.000000\"");
    List<JsonObject> chunks = events.stream().filter(e -> e.startsWith("data: {"))
      .map(e -> new JsonObject(e.substring("data: ".length()))).toList();
    StringBuilder text = new StringBuilder();
    String finish = null;
    for (JsonObject chunk : chunks) {
      assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(chunk.getString("id")).isEqualTo(json.json().getString("id"));
      for (Object choice : chunk.getJsonArray("choices")) {
        JsonObject delta = ((JsonObject) choice).getJsonObject("delta");
        text.append(delta.getString("content", ""));
        finish = ((JsonObject) choice).getString("finish_reason", finish);
      }
    }
    assertThat(chunks.get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role"))
      .isEqualTo("assistant");
    assertThat(text).hasToString(FakeProvider.ANSWER);
    assertThat(finish).isEqualTo("stop");
    JsonObject usage = chunks.get(chunks.size() - 1);
    assertThat(usage.getJsonArray("choices")).isEmpty();
    assertThat(usage.getJsonObject("usage")).isEqualTo(json.json().getJsonObject("usage"));
  }

  @Test
  void a_replayed_stream_carries_tool_calls_and_no_usage_unless_asked() {
    JsonObject toolCall = new JsonObject().put("id", "call_1").put("type", "function")
      .put("function", new JsonObject().put("name", "lookup").put("arguments", "{\"q\":\"x\"}"));
    JsonObject completion = new JsonObject().put("id", "chatcmpl-tools").put("object", "chat.completion")
      .put("created", 1).put("model", "fake-cheap")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").putNull("content")
          .put("tool_calls", new JsonArray().add(toolCall)))
        .put("finish_reason", "tool_calls")))
      .put("usage", new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 5).put("total_tokens", 17));
    upstream.on("fake-cheap", Behaviour.ok().withRawBody(completion.encode()));
    JsonObject body = deterministic("fake-cheap", "look it up");

    client.post(CHAT, body);
    TestClient.Result stream = client.post(CHAT, body.copy().put("stream", true));

    List<String> events = stream.events();
    assertThat(events).noneMatch(e -> e.contains("\"usage\""));
    JsonObject tools = events.stream().filter(e -> e.contains("tool_calls") && e.contains("call_1"))
      .map(e -> new JsonObject(e.substring("data: ".length()))).findFirst().orElseThrow();
    JsonObject call = tools.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getJsonArray("tool_calls")
      .getJsonObject(0);
    assertThat(call.getInteger("index")).isZero();
    assertThat(call.getJsonObject("function")).isEqualTo(toolCall.getJsonObject("function"));
    assertThat(events).anyMatch(e -> e.contains("\"finish_reason\":\"tool_calls\""));
    assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
  }

  @Test
  void a_streamed_answer_is_rebuilt_and_stored_for_the_next_stream_or_json_request() {
    JsonObject body = deterministic("fake-cheap", "hello").put("stream", true);

    TestClient.Result first = client.post(CHAT, body);
    TestClient.Result again = client.post(CHAT, body);
    TestClient.Result json = client.post(CHAT, deterministic("fake-cheap", "hello"));

    assertThat(first.headers().get(HEADER)).isEqualTo("miss");
    assertThat(again.headers().get(HEADER)).isEqualTo("hit");
    assertThat(json.headers().get(HEADER)).isEqualTo("hit");
    assertThat(calls()).isEqualTo(1);
    assertThat(streamedText(again)).isEqualTo(streamedText(first)).isEqualTo(FakeProvider.ANSWER);
    assertThat(again.events().get(again.events().size() - 1)).isEqualTo("data: [DONE]");
    JsonObject completion = json.json();
    assertThat(completion.getString("object")).isEqualTo("chat.completion");
    assertThat(content(completion)).isEqualTo(FakeProvider.ANSWER);
    assertThat(completion.getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isEqualTo("stop");
    assertThat(completion.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(5);
    assertThat(json.headers().get("x-switchboard-baseline-cost-usd")).isEqualTo("0.000064");
  }

  @Test
  void a_cut_stream_or_one_without_reported_usage_is_not_stored() {
    upstream.on("fake-cheap", Behaviour.ok().cutAfter(3), Behaviour.ok().withoutUsage(), Behaviour.ok());
    JsonObject body = deterministic("fake-cheap", "hello").put("stream", true);

    TestClient.Result cut = client.post(CHAT, body);
    TestClient.Result unmetered = client.post(CHAT, body);
    TestClient.Result whole = client.post(CHAT, body);

    assertThat(cut.body().toString()).contains("{\"error\":").doesNotContain("[DONE]");
    assertThat(unmetered.headers().get(HEADER)).isEqualTo("miss");
    assertThat(whole.headers().get(HEADER)).isEqualTo("miss");
    assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("hit");
    assertThat(calls()).isEqualTo(3);
  }

  private static String streamedText(TestClient.Result stream) {
    StringBuilder text = new StringBuilder();
    for (String event : stream.events()) {
      if (event.startsWith("data: {")) {
        for (Object choice : new JsonObject(event.substring("data: ".length())).getJsonArray("choices")) {
          text.append(((JsonObject) choice).getJsonObject("delta").getString("content", ""));
        }
      }
    }
    return text.toString();
  }

  @Test
  void errors_are_never_cached() {
    upstream.on("fake-cheap", Behaviour.error(500, "server_error", "boom"),
      Behaviour.error(400, "invalid_request_error", "bad"), Behaviour.ok().withRawBody("{\"choices\":"),
      Behaviour.ok());
    JsonObject body = deterministic("fake-cheap", "hello");

    assertThat(client.post(CHAT, body).status()).isEqualTo(502);
    assertThat(client.post(CHAT, body).status()).isEqualTo(400);
    assertThat(client.post(CHAT, body).status()).isEqualTo(502);
    TestClient.Result ok = client.post(CHAT, body);
    TestClient.Result hit = client.post(CHAT, body);

    assertThat(ok.headers().get(HEADER)).isEqualTo("miss");
    assertThat(hit.headers().get(HEADER)).isEqualTo("hit");
    assertThat(content(hit.json())).isEqualTo(FakeProvider.ANSWER);
    assertThat(calls()).isEqualTo(4);
  }

  @Test
  void an_answer_without_a_finish_reason_is_served_but_not_stored() {
    JsonObject unfinished = new JsonObject().put("id", "x").put("object", "chat.completion").put("model", "fake-cheap")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", "partial")).putNull("finish_reason")));
    upstream.on("fake-cheap", Behaviour.ok().withRawBody(unfinished.encode()));
    JsonObject body = deterministic("fake-cheap", "hello");

    assertThat(client.post(CHAT, body).status()).isEqualTo(200);
    assertThat(client.post(CHAT, body).headers().get(HEADER)).isEqualTo("miss");
    assertThat(calls()).isEqualTo(2);
  }

  @Test
  void a_hit_is_accounted_as_a_free_request_that_saved_the_baseline_cost() {
    JsonObject body = deterministic("fake-cheap", "hello");
    client.post(CHAT, body);
    client.post(CHAT, body);

    JsonObject totals = eventually(() -> admin.get("/admin/stats").json().getJsonObject("since_start"),
      t -> t.getLong("requests") >= 2);
    assertThat(totals.getLong("requests")).isEqualTo(2);
    assertThat(totals.getLong("cost_micros")).isEqualTo(3);
    assertThat(totals.getLong("baseline_cost_micros")).isEqualTo(64 + 64);
    assertThat(totals.getLong("prompt_tokens")).isEqualTo(FakeProvider.PROMPT_TOKENS);
  }

  private <T> T eventually(java.util.function.Supplier<T> probe, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    T value = probe.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      vertx.timer(20).await();
      value = probe.get();
    }
    return value;
  }

  private static String content(JsonObject completion) {
    return completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
  }
}
