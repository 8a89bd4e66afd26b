package io.switchboard.responses;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official OpenAI Java SDK as the client of {@code /v1/responses}, against the OpenAI chat fake upstream. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ResponsesSdkTest extends GatewayTest {

  static final JsonArray WEATHER_CALL = new JsonArray().add(new JsonObject().put("id", "call_w1")
    .put("name", "get_weather").put("arguments", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));

  private OpenAIClient sdk;

  @BeforeEach
  void connect() {
    sdk = sdk(gateway.port(), "unused");
  }

  @AfterEach
  void disconnect() {
    sdk.close();
  }

  static OpenAIClient sdk(int port, String key) {
    return OpenAIOkHttpClient.builder()
      .baseUrl("http://127.0.0.1:" + port + "/v1")
      .apiKey(key)
      .maxRetries(0)
      .timeout(Duration.ofSeconds(20))
      .build();
  }

  static ResponseCreateParams.Builder ask(String text) {
    return ResponseCreateParams.builder().model("auto").input(text);
  }

  static FunctionTool weatherTool() {
    return FunctionTool.builder().name("get_weather").description("Current weather for a city").strict(false)
      .parameters(FunctionTool.Parameters.builder()
        .putAdditionalProperty("type", JsonValue.from("object"))
        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"),
          "unit", Map.of("type", "string"))))
        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
        .build())
      .build();
  }

  private static String text(Response response) {
    StringBuilder text = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      if (item.isMessage()) {
        item.asMessage().content().forEach(c -> text.append(c.asOutputText().text()));
      }
    }
    return text.toString();
  }

  private record Streamed(List<ResponseStreamEvent> events, ResponseAccumulator accumulator) {
  }

  private Streamed streamed(ResponseCreateParams params) {
    ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(params)) {
      stream.stream().forEach(event -> {
        events.add(event);
        accumulator.accumulate(event);
      });
    }
    return new Streamed(events, accumulator);
  }

  @Test
  // the SDK has no typed accessor for these echoed fields; its untyped one is marked deprecated
  @SuppressWarnings("deprecation")
  void a_text_response_round_trips_with_usage_and_the_instructions_as_the_system_message() {
    Response response = sdk.responses().create(ask("Say hello").instructions("Be brief.")
      .metadata(ResponseCreateParams.Metadata.builder().putAdditionalProperty("ticket", JsonValue.from("T-7")).build())
      .build());

    assertThat(response.id()).startsWith("resp_");
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(text(response)).isEqualTo(FakeProvider.ANSWER);
    ResponseUsage usage = response.usage().orElseThrow();
    assertThat(usage.inputTokens()).isEqualTo(FakeProvider.PROMPT_TOKENS);
    assertThat(usage.outputTokens()).isEqualTo(5);
    assertThat(usage.totalTokens()).isEqualTo(FakeProvider.PROMPT_TOKENS + 5);
    assertThat(usage.inputTokensDetails().cachedTokens()).isZero();
    assertThat(usage.outputTokensDetails().reasoningTokens()).isZero();
    assertThat(response.metadata().orElseThrow()._additionalProperties())
      .containsEntry("ticket", JsonValue.from("T-7"));
    assertThat(upstream.lastAttempt().body().getJsonArray("messages")).containsExactly(
      new JsonObject().put("role", "system").put("content", "Be brief."),
      new JsonObject().put("role", "user").put("content", "Say hello"));
  }

  @Test
  void a_text_stream_accumulates_into_the_same_response() {
    Streamed streamed = streamed(ask("Say hello").build());

    Response response = streamed.accumulator().response();
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(text(response)).isEqualTo(FakeProvider.ANSWER);
    assertThat(text(streamed.accumulator().reconstructedResponse())).isEqualTo(FakeProvider.ANSWER);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(FakeProvider.ANSWER.split("(?<= )").length);
    List<ResponseStreamEvent> events = streamed.events();
    assertThat(events.get(0).isCreated()).isTrue();
    assertThat(events.get(1).isInProgress()).isTrue();
    assertThat(events.get(2).isOutputItemAdded()).isTrue();
    assertThat(events.get(3).isContentPartAdded()).isTrue();
    assertThat(events.stream().filter(ResponseStreamEvent::isOutputTextDelta).count())
      .isEqualTo(FakeProvider.ANSWER.split("(?<= )").length);
    assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
    assertThat(upstream.lastAttempt().body().getBoolean("stream")).isTrue();
  }

  @Test
  void a_function_call_round_trip_continues_from_the_stored_response_with_the_call_output() {
    upstream.answerWithToolCalls("fake-cheap", WEATHER_CALL);

    Response call = sdk.responses().create(ask("Weather in Paris?").addTool(weatherTool()).build());

    assertThat(call.output()).hasSize(1);
    ResponseFunctionToolCall function = call.output().get(0).asFunctionCall();
    assertThat(function.callId()).isEqualTo("call_w1");
    assertThat(function.name()).isEqualTo("get_weather");
    assertThat(new JsonObject(function.arguments())).isEqualTo(new JsonObject().put("city", "Paris")
      .put("unit", "celsius"));
    JsonObject tool = upstream.lastAttempt().body().getJsonArray("tools").getJsonObject(0);
    assertThat(tool.getString("type")).isEqualTo("function");
    assertThat(tool.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(tool.getJsonObject("function").getBoolean("strict")).isFalse();

    Response answer = sdk.responses().create(ResponseCreateParams.builder().model("auto")
      .previousResponseId(call.id()).addTool(weatherTool())
      .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
        .callId("call_w1").output("18 degrees, sunny").build())))
      .build());

    assertThat(text(answer)).isEqualTo(FakeProvider.ANSWER);
    assertThat(answer.previousResponseId()).contains(call.id());
    JsonArray sent = upstream.lastAttempt().body().getJsonArray("messages");
    assertThat(sent).containsExactly(
      new JsonObject().put("role", "user").put("content", "Weather in Paris?"),
      new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
        .add(new JsonObject().put("id", "call_w1").put("type", "function").put("function", new JsonObject()
          .put("name", "get_weather").put("arguments", WEATHER_CALL.getJsonObject(0).getString("arguments"))))),
      new JsonObject().put("role", "tool").put("tool_call_id", "call_w1").put("content", "18 degrees, sunny"));
  }

  @Test
  void a_function_call_round_trip_works_statelessly_with_the_whole_conversation_sent_back() {
    upstream.answerWithToolCalls("fake-cheap", WEATHER_CALL);
    Response call = sdk.responses().create(ask("Weather in Paris?").addTool(weatherTool()).store(false).build());
    ResponseFunctionToolCall function = call.output().get(0).asFunctionCall();

    Response answer = sdk.responses().create(ResponseCreateParams.builder().model("auto").store(false)
      .addTool(weatherTool())
      .inputOfResponse(List.of(
        ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
          .role(com.openai.models.responses.EasyInputMessage.Role.USER).content("Weather in Paris?").build()),
        ResponseInputItem.ofFunctionCall(function),
        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
          .callId(function.callId()).output("18 degrees, sunny").build())))
      .build());

    assertThat(text(answer)).isEqualTo(FakeProvider.ANSWER);
    JsonArray sent = upstream.lastAttempt().body().getJsonArray("messages");
    assertThat(sent).hasSize(3);
    assertThat(sent.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("call_w1");
    assertThat(sent.getJsonObject(2).getString("role")).isEqualTo("tool");
  }

  @Test
  void a_streamed_function_call_accumulates_into_a_function_call_item() {
    upstream.answerWithToolCalls("fake-cheap", WEATHER_CALL);

    Streamed streamed = streamed(ask("Weather in Paris?").addTool(weatherTool()).build());

    Response response = streamed.accumulator().response();
    assertThat(response.output()).hasSize(1);
    ResponseFunctionToolCall function = response.output().get(0).asFunctionCall();
    assertThat(function.callId()).isEqualTo("call_w1");
    assertThat(new JsonObject(function.arguments())).isEqualTo(new JsonObject().put("city", "Paris")
      .put("unit", "celsius"));
    assertThat(streamed.accumulator().reconstructedResponse().output().get(0).asFunctionCall().arguments())
      .isEqualTo(function.arguments());
    assertThat(streamed.events().stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDelta).count())
      .isEqualTo(2);
    assertThat(streamed.events().stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDone).count())
      .isEqualTo(1);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(7);
  }

  @Test
  void previous_response_id_prepends_the_earlier_input_and_output_but_not_the_earlier_instructions() {
    Response first = sdk.responses().create(ask("Say hello").instructions("First instructions").build());

    Response second = sdk.responses().create(ask("And once more?").instructions("Second instructions")
      .previousResponseId(first.id()).build());
    Response third = streamed(ask("A third time?").previousResponseId(second.id()).build()).accumulator().response();

    assertThat(text(third)).isEqualTo(FakeProvider.ANSWER);
    JsonArray sent = upstream.lastAttempt().body().getJsonArray("messages");
    assertThat(sent).containsExactly(
      new JsonObject().put("role", "user").put("content", "Say hello"),
      new JsonObject().put("role", "assistant").put("content", FakeProvider.ANSWER),
      new JsonObject().put("role", "user").put("content", "And once more?"),
      new JsonObject().put("role", "assistant").put("content", FakeProvider.ANSWER),
      new JsonObject().put("role", "user").put("content", "A third time?"));
    JsonArray secondSent = upstream.attempts().get(1).body().getJsonArray("messages");
    assertThat(secondSent.getJsonObject(0)).isEqualTo(new JsonObject().put("role", "system")
      .put("content", "Second instructions"));
  }

  @Test
  // the SDK has no typed accessor for these echoed fields; its untyped one is marked deprecated
  @SuppressWarnings("deprecation")
  void a_stored_response_is_returned_by_get_and_an_unstored_one_is_not_found() {
    Response stored = sdk.responses().create(ask("Say hello").build());
    Response unstored = sdk.responses().create(ask("Say hello").store(false).build());

    Response fetched = sdk.responses().retrieve(stored.id());
    assertThat(fetched.id()).isEqualTo(stored.id());
    assertThat(text(fetched)).isEqualTo(FakeProvider.ANSWER);
    assertThat(fetched.usage()).isEqualTo(stored.usage());
    assertThat(unstored._additionalProperties()).containsEntry("store", JsonValue.from(false));
    assertThatThrownBy(() -> sdk.responses().retrieve(unstored.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> sdk.responses().create(ask("again").previousResponseId(unstored.id()).build()))
      .isInstanceOfSatisfying(NotFoundException.class, e ->
        assertThat(e.body().toString()).contains("previous_response_id"));
    int calls = upstream.attempts().size();
    assertThatThrownBy(() -> sdk.responses().retrieve("resp_doesnotexist")).isInstanceOf(NotFoundException.class);
    assertThat(upstream.attempts()).hasSize(calls);
  }

  @Test
  void reasoning_is_echoed_but_not_sent_upstream_and_a_json_schema_becomes_the_response_format() {
    Response response = sdk.responses().create(ask("List two colours")
      .reasoning(Reasoning.builder().effort(ReasoningEffort.HIGH).build())
      .text(com.openai.models.responses.ResponseTextConfig.builder()
        .format(com.openai.models.responses.ResponseFormatTextJsonSchemaConfig.builder().name("colours")
          .schema(com.openai.models.responses.ResponseFormatTextJsonSchemaConfig.Schema.builder()
            .putAdditionalProperty("type", JsonValue.from("object")).build())
          .strict(true).build())
        .build())
      .maxOutputTokens(300L).temperature(0.2).build());

    assertThat(response.reasoning().orElseThrow().effort()).contains(ReasoningEffort.HIGH);
    JsonObject sent = upstream.lastAttempt().body();
    assertThat(sent.encode()).doesNotContain("reasoning");
    assertThat(sent.getJsonObject("response_format")).isEqualTo(new JsonObject().put("type", "json_schema")
      .put("json_schema", new JsonObject().put("name", "colours").put("schema", new JsonObject().put("type", "object"))
        .put("strict", true)));
    assertThat(sent.getInteger("max_tokens")).isEqualTo(300);
    assertThat(sent.getDouble("temperature")).isEqualTo(0.2);
  }

  @Test
  void a_length_finish_makes_the_response_incomplete_for_max_output_tokens() {
    upstream.on("fake-cheap", Behaviour.ok().withRawBody(new JsonObject().put("id", "chatcmpl-x")
      .put("object", "chat.completion").put("model", "fake-cheap").put("choices", new JsonArray().add(new JsonObject()
        .put("index", 0).put("message", new JsonObject().put("role", "assistant").put("content", "Hello fr"))
        .put("finish_reason", "length")))
      .put("usage", new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 3).put("total_tokens", 15))
      .encode()));

    Response response = sdk.responses().create(ask("Say hello").maxOutputTokens(3L).build());

    assertThat(response.status()).contains(ResponseStatus.INCOMPLETE);
    assertThat(response.incompleteDetails().orElseThrow().reason())
      .contains(Response.IncompleteDetails.Reason.MAX_OUTPUT_TOKENS);
    assertThat(text(response)).isEqualTo("Hello fr");
  }

  @Test
  void a_stream_cut_midway_ends_with_response_failed_and_no_completion() {
    upstream.on("fake-cheap", Behaviour.ok().cutAfter(3));

    Streamed streamed = streamed(ask("Say hello").build());

    List<ResponseStreamEvent> events = streamed.events();
    assertThat(events.get(0).isCreated()).isTrue();
    assertThat(events).anyMatch(ResponseStreamEvent::isOutputTextDelta);
    ResponseStreamEvent last = events.get(events.size() - 1);
    assertThat(last.isFailed()).isTrue();
    assertThat(last.asFailed().response().status()).contains(ResponseStatus.FAILED);
    assertThat(last.asFailed().response().error().orElseThrow().code())
      .isEqualTo(com.openai.models.responses.ResponseError.Code.SERVER_ERROR);
    assertThat(last.asFailed().response().error().orElseThrow().message()).contains("'fake'");
    assertThat(events).noneMatch(ResponseStreamEvent::isCompleted);
  }

  @Test
  void bad_requests_are_refused_with_the_offending_parameter() {
    assertThatThrownBy(() -> sdk.responses().create(ask("hi").temperature(3.0).build()))
      .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("temperature"));
    assertThatThrownBy(() -> sdk.responses().create(ask("hi").addTool(
        com.openai.models.responses.WebSearchTool.builder()
          .type(com.openai.models.responses.WebSearchTool.Type.WEB_SEARCH).build()).build()))
      .isInstanceOfSatisfying(BadRequestException.class, e -> {
        assertThat(e.param()).contains("tools[0].type");
        assertThat(e.code()).contains("unsupported_parameter");
      });
    assertThat(upstream.attempts()).isEmpty();
  }
}
