package io.switchboard.api;

import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The OpenAI-style error contract (RELIABILITY.md §4, §5): every rejection is JSON with the right status,
 * {@code {"error":{message,type,param,code}}}, an {@code x-request-id}, no stack trace and no secret; client
 * mistakes never reach the upstream; upstream failures are translated, never relayed raw.
 */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ErrorContractTest extends GatewayTest {

  private static final String PATH = "/v1/chat/completions";
  private static final String INVALID_REQUEST = "invalid_request_error";
  private static final String API_ERROR = "api_error";
  private static final Map<String, String> JSON = Map.of("content-type", "application/json");
  /** What a leaked stack trace or exception dump would contain. */
  private static final String[] STACK_TRACE_TEXT = {"Exception", "at io.", "at java.", "at com.", "\tat ",
    "Caused by", ".java:"};

  // ---------------------------------------------------------------------------------------------------------------
  // 1–3. JSON syntax, encoding and limits
  // ---------------------------------------------------------------------------------------------------------------

  @Nested
  class Malformed_json {

    static Stream<Named<String>> bodies() {
      String valid = Chats.chat("fake-cheap", "hi").encode();
      return Stream.of(
        Named.of("truncated", valid.substring(0, valid.length() - 3)),
        Named.of("trailing garbage", valid + " xyz"),
        Named.of("two concatenated objects", valid + valid),
        Named.of("top-level array", "[" + valid + "]"),
        Named.of("top-level empty array", "[]"),
        Named.of("top-level string", "\"x\""),
        Named.of("top-level number", "1"),
        Named.of("top-level null", "null"),
        Named.of("top-level true", "true"),
        Named.of("single quotes", "{'model':'fake-cheap','messages':[{'role':'user','content':'hi'}]}"),
        Named.of("trailing comma", valid.substring(0, valid.length() - 1) + ",}"),
        Named.of("unquoted keys", "{model:\"fake-cheap\",messages:[{role:\"user\",content:\"hi\"}]}"),
        Named.of("comment", "{/* c */\"model\":\"fake-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        Named.of("NaN", valid.substring(0, valid.length() - 1) + ",\"temperature\":NaN}"),
        Named.of("leading zero", valid.substring(0, valid.length() - 1) + ",\"max_tokens\":010}"),
        Named.of("empty body", ""),
        Named.of("whitespace only", "  \n\t "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void is_a_400_invalid_json(String body) {
      TestClient.Result result = client.post(PATH, body);

      assertClientError(result, 400, "invalid_json", null);
    }

    static Stream<Named<String>> bodiesThatTripParserInternals() {
      String valid = Chats.chat("fake-cheap", "hi").encode();
      return Stream.of(
        Named.of("two concatenated objects", valid + valid),
        Named.of("truncated", valid.substring(0, valid.length() - 3)),
        Named.of("NaN", valid.substring(0, valid.length() - 1) + ",\"temperature\":NaN}"),
        Named.of("comment", "{/* c */\"model\":\"fake-cheap\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesThatTripParserInternals")
    void the_message_names_no_parser_internals(String body) {
      JsonObject error = assertClientError(client.post(PATH, body), 400, "invalid_json", null);

      // a client can neither read nor act on the JSON library's class and feature names
      assertThat(error.getString("message")).doesNotContain("java.lang", "Feature", "REDACTED", "`");
    }

    static Stream<Arguments> bodiesEchoingInput() {
      String valid = Chats.chat("fake-cheap", "hi").encode();
      String canary = "q".repeat(200);
      return Stream.of(
        arguments(Named.of("a 200-character unquoted token", valid.substring(0, valid.length() - 1)
          + ",\"x\":" + canary + "}"), "invalid_json"),
        arguments(Named.of("a 200-character duplicate key", valid.substring(0, valid.length() - 1)
          + ",\"" + canary + "\":1,\"" + canary + "\":2}"), "duplicate_key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesEchoingInput")
    void the_message_echoes_at_most_64_characters_of_the_input(String body, String code) {
      JsonObject error = assertClientError(client.post(PATH, body), 400, code, null);

      assertThat(error.getString("message")).doesNotContain("q".repeat(65));
    }
  }

  @Nested
  class Invalid_utf8 {

    static Stream<Named<byte[]>> bytes() {
      return Stream.of(
        Named.of("lone continuation byte 0x80", inContent(0x80)),
        Named.of("truncated sequence 0xC3 before the closing quote", inContent(0xC3)),
        Named.of("truncated sequence 0xC3 at the very end", concat(
          Chats.chat("fake-cheap", "hi").encode().getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3})),
        Named.of("overlong 0xC0 0xAF", inContent(0xC0, 0xAF)),
        Named.of("encoded surrogate 0xED 0xA0 0x80", inContent(0xED, 0xA0, 0x80)),
        Named.of("0xF5 lead byte", inContent(0xF5, 0x80, 0x80, 0x80)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bytes")
    void is_a_400_invalid_json_never_forwarded(byte[] body) {
      TestClient.Result result = client.send(HttpMethod.POST, PATH, Buffer.buffer(body), JSON);

      JsonObject error = assertClientError(result, 400, "invalid_json", null);
      assertThat(error.getString("message")).contains("UTF-8");
    }

    /** A valid chat whose user content holds {@code bad} between ASCII text. */
    private static byte[] inContent(int... bad) {
      String[] halves = Chats.chat("fake-cheap", "ab|cd").encode().split("\\|");
      byte[] middle = new byte[bad.length];
      for (int i = 0; i < bad.length; i++) {
        middle[i] = (byte) bad[i];
      }
      return concat(halves[0].getBytes(StandardCharsets.UTF_8), middle, halves[1].getBytes(StandardCharsets.UTF_8));
    }
  }

  @Nested
  class Json_limits {

    @Test
    void a_duplicate_model_key_is_a_400_duplicate_key() {
      String body = "{\"model\":\"fake-cheap\",\"model\":\"fake-premium\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

      assertClientError(client.post(PATH, body), 400, "duplicate_key", null);
    }

    static Stream<Named<String>> deepBodies() {
      String prefix = "{\"model\":\"fake-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x\":";
      return Stream.of(
        Named.of("arrays", prefix + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
        Named.of("objects", prefix + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepBodies")
    void nesting_10000_deep_is_a_400_too_deeply_nested(String body) {
      assertThat((long) body.length()).as("the body stays under the size limit").isLessThan(TestConfig.MAX_BODY_BYTES);

      assertClientError(client.post(PATH, body), 400, "too_deeply_nested", null);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 4–6. Schema: types, values, required and forbidden parameters
  // ---------------------------------------------------------------------------------------------------------------

  @Nested
  class Schema {

    static Stream<Arguments> invalidFields() {
      return Stream.of(
        arguments(Named.of("model as a number", chat().put("model", 42)), "invalid_type", "model"),
        arguments(Named.of("model as an array", chat().put("model", new JsonArray().add("fake-cheap"))),
          "invalid_type", "model"),
        arguments(Named.of("model as an object", chat().put("model", new JsonObject().put("id", "fake-cheap"))),
          "invalid_type", "model"),
        arguments(Named.of("model as null", chat().putNull("model")), "invalid_type", "model"),
        arguments(Named.of("model as an empty string", chat().put("model", "")), "invalid_value", "model"),
        arguments(Named.of("messages as an object", chat().put("messages", new JsonObject().put("role", "user"))),
          "invalid_type", "messages"),
        arguments(Named.of("messages as a string", chat().put("messages", "hello")), "invalid_type", "messages"),
        arguments(Named.of("messages empty", chat().put("messages", new JsonArray())), "invalid_value", "messages"),
        arguments(Named.of("message without role", chat().put("messages", new JsonArray()
          .add(new JsonObject().put("content", "hi")))), "invalid_value", "messages[0].role"),
        arguments(Named.of("role hacker", chat().put("messages", new JsonArray()
          .add(new JsonObject().put("role", "user").put("content", "hi"))
          .add(new JsonObject().put("role", "hacker").put("content", "hi")))), "invalid_value", "messages[1].role"),
        arguments(Named.of("content as a number", chat().put("messages", new JsonArray()
          .add(new JsonObject().put("role", "user").put("content", 7)))), "invalid_type", "messages[0].content"),
        arguments(Named.of("tool message without tool_call_id", chat().put("messages", new JsonArray()
          .add(new JsonObject().put("role", "user").put("content", "hi"))
          .add(new JsonObject().put("role", "tool").put("content", "42")))),
          "missing_required_parameter", "messages[1].tool_call_id"),
        arguments(Named.of("stream as the string true", chat().put("stream", "true")), "invalid_type", "stream"),
        arguments(Named.of("max_tokens 1.5", chat().put("max_tokens", 1.5)), "invalid_type", "max_tokens"),
        arguments(Named.of("max_tokens 0", chat().put("max_tokens", 0)), "invalid_value", "max_tokens"),
        arguments(Named.of("max_tokens negative", chat().put("max_tokens", -5)), "invalid_value", "max_tokens"),
        arguments(Named.of("max_tokens as the string 100", chat().put("max_tokens", "100")), "invalid_type",
          "max_tokens"),
        arguments(Named.of("temperature 5", chat().put("temperature", 5)), "invalid_value", "temperature"),
        arguments(Named.of("stream_options without stream true", chat()
          .put("stream_options", new JsonObject().put("include_usage", true))), "invalid_value", "stream_options"));
    }

    @ParameterizedTest(name = "{0} → {1} at {2}")
    @MethodSource("invalidFields")
    void an_invalid_field_is_a_400_naming_the_field(JsonObject body, String code, String param) {
      assertClientError(client.post(PATH, body), 400, code, param);
    }

    @ParameterizedTest(name = "missing {0}")
    @ValueSource(strings = {"model", "messages"})
    void a_missing_required_field_is_a_400_missing_required_parameter(String field) {
      JsonObject body = chat();
      body.remove(field);

      assertClientError(client.post(PATH, body), 400, "missing_required_parameter", field);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"api_key", "api_base", "base_url"})
    void a_credential_or_endpoint_parameter_is_a_400_forbidden_parameter(String field) {
      JsonObject body = chat().put(field, field.equals("api_key") ? "sk-attacker" : "http://169.254.169.254/v1");

      JsonObject error = assertClientError(client.post(PATH, body), 400, "forbidden_parameter", field);
      assertThat(error.getString("message")).doesNotContain("sk-attacker", "169.254.169.254");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 7, 11. Models
  // ---------------------------------------------------------------------------------------------------------------

  @Nested
  class Models {

    static Stream<Named<String>> unknownNames() {
      return Stream.of(
        Named.of("plain", "no-such-model"),
        Named.of("with CRLF", "gpt-4o\r\nX-Injected: yes"),
        Named.of("path traversal", "../../etc/passwd"),
        Named.of("200 characters", "m".repeat(200)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownNames")
    void an_unknown_model_is_a_404_model_not_found(String model) {
      JsonObject error = assertClientError(client.post(PATH, Chats.chat(model, "hi")), 404, "model_not_found", "model");

      assertThat(error.getString("message")).doesNotContain("\r", "\n", "m".repeat(65));
    }

    @Test
    void a_10_kb_model_name_is_a_400_invalid_value_and_is_not_echoed() {
      String model = "m".repeat(10 * 1024);

      JsonObject error = assertClientError(client.post(PATH, Chats.chat(model, "hi")), 400, "invalid_value", "model");
      assertThat(error.getString("message")).doesNotContain("m".repeat(65));
    }

    @Test
    void a_model_whose_provider_key_is_unset_is_a_503_naming_the_variable_without_calling_upstream() {
      TestClient.Result result = client.post(PATH, Chats.chat("keyless", "hi"));

      JsonObject error = assertError(result, 503, API_ERROR, "provider_key_missing", null);
      assertThat(error.getString("message")).contains("SWITCHBOARD_TEST_UNSET_KEY");
      assertThat(upstream.attempts()).as("upstream attempts").isEmpty();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 8–10. HTTP: size, content type, path, method
  // ---------------------------------------------------------------------------------------------------------------

  @Nested
  class Http {

    @ParameterizedTest(name = "{0} bytes over the limit")
    @ValueSource(ints = {1, 1024 * 1024})
    void a_body_over_the_limit_is_a_413_request_too_large(int over) {
      String body = chatOfSize(TestConfig.MAX_BODY_BYTES + over);

      assertClientError(client.post(PATH, body), 413, "request_too_large", null);
    }

    @Test
    void a_chunked_body_over_the_limit_is_a_413_request_too_large() throws Exception {
      byte[] body = chatOfSize(TestConfig.MAX_BODY_BYTES + 1024 * 1024).getBytes(StandardCharsets.UTF_8);
      // the JDK's client: it reads an early answer while it still sends (Vert.x's client, still writing the
      // body, now and then never delivered the end of the 413 it had the head of); a stream of unknown length
      // goes chunked
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + PATH))
        .header("content-type", "application/json")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
        .build();
      HttpResponse<byte[]> response = HttpClient.newBuilder().version(Version.HTTP_1_1).build()
        .send(request, HttpResponse.BodyHandlers.ofByteArray());
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      response.headers().map().forEach(headers::add);

      assertClientError(new TestClient.Result(response.statusCode(), headers, Buffer.buffer(response.body())), 413,
        "request_too_large", null);
    }

    @Test
    void a_body_of_exactly_the_limit_is_accepted() {
      TestClient.Result result = client.post(PATH, chatOfSize(TestConfig.MAX_BODY_BYTES));

      assertThat(result.status()).as("status (body: %s)", result.body()).isEqualTo(200);
      assertThat(upstream.attempts()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "multipart/form-data; boundary=xyz", "application/json; charset=latin1",
      "application/x-www-form-urlencoded"})
    void a_body_that_is_not_utf8_json_is_a_415_unsupported_media_type(String contentType) {
      TestClient.Result result = client.send(HttpMethod.POST, PATH, Chats.chat("fake-cheap", "hi").toBuffer(),
        Map.of("content-type", contentType));

      assertClientError(result, 415, "unsupported_media_type", null);
    }

    @Test
    void a_json_body_without_content_type_is_accepted() {
      Buffer body = Chats.chat("fake-cheap", "hi").toBuffer();

      TestClient.Result result = client.send(HttpMethod.POST, PATH, body, Map.of());

      assertThat(result.status()).as("status (body: %s)", result.body()).isEqualTo(200);
      assertThat(upstream.attempts()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/nope", "/v1/chat/completion", "/v1/chat/completions/extra", "/admin/../v2/x"})
    void an_unknown_path_is_a_404_unknown_url(String path) {
      TestClient.Result result = client.send(HttpMethod.POST, path, Chats.chat("fake-cheap", "hi").toBuffer(), JSON);

      assertClientError(result, 404, "unknown_url", null);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void a_wrong_method_on_chat_completions_is_a_405_with_allow_post(String method) {
      TestClient.Result result = client.send(HttpMethod.valueOf(method), PATH, null, Map.of());

      assertClientError(result, 405, "method_not_allowed", null);
      assertThat(result.headers().get("allow")).isEqualTo("POST");
    }

    @Test
    void a_sane_client_request_id_is_echoed_on_an_error() {
      TestClient.Result result = client.send(HttpMethod.POST, PATH, Buffer.buffer("{"),
        Map.of("content-type", "application/json", "x-request-id", "client-req-42"));

      assertClientError(result, 400, "invalid_json", null);
      assertThat(result.headers().get("x-request-id")).isEqualTo("client-req-42");
    }

    /** A valid chat request whose encoded form is exactly {@code size} bytes. */
    private String chatOfSize(long size) {
      int frame = Chats.chat("fake-cheap", "").encode().length();
      String body = Chats.chat("fake-cheap", "x".repeat((int) (size - frame))).encode();
      assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize((int) size);
      return body;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 12–19. Upstream failures
  // ---------------------------------------------------------------------------------------------------------------

  @Nested
  class Upstream_failures {

    @Test
    void an_upstream_400_is_kept_with_its_code() {
      upstream.on("fake-cheap", Behaviour.error(400, "context_length_exceeded", "too long"));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      JsonObject error = assertError(result, 400, INVALID_REQUEST, "context_length_exceeded", null);
      assertThat(error.getString("message")).contains("too long");
      assertThat(upstream.attempts()).hasSize(1);
    }

    @Test
    void an_upstream_404_is_kept_as_a_404() {
      upstream.on("fake-cheap", Behaviour.error(404, "model_not_found", "The model does not exist"));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 404, INVALID_REQUEST, "model_not_found", null);
      assertThat(upstream.attempts()).hasSize(1);
    }

    @Test
    void an_upstream_4xx_message_that_echoes_the_key_is_redacted() {
      upstream.on("fake-cheap", Behaviour.error(400, "invalid_request_error",
        "Bad request sent with key " + TestConfig.FAKE_KEY));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 400, INVALID_REQUEST, "invalid_request_error", null);
      assertThat(result.body().toString()).doesNotContain(TestConfig.FAKE_KEY);
    }

    @ParameterizedTest(name = "upstream {0}")
    @ValueSource(ints = {401, 403})
    void upstream_auth_failure_is_a_502_naming_the_variable_never_the_key(int status) {
      upstream.on("fake-cheap", Behaviour.error(status, "invalid_api_key",
        "Incorrect API key provided: " + TestConfig.FAKE_KEY));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      JsonObject error = assertError(result, 502, API_ERROR, "upstream_auth_error", null);
      assertThat(error.getString("message")).contains("FAKE_API_KEY");
      assertThat(result.body().toString()).doesNotContain(TestConfig.FAKE_KEY);
    }

    @Test
    void upstream_429_passes_retry_after_seconds_on() {
      upstream.on("fake-cheap", Behaviour.error(429, "rate_limit_exceeded", "slow down")
        .withHeaders(Map.of("Retry-After", "7")));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 429, "rate_limit_error", "upstream_rate_limited", null);
      assertThat(result.headers().get("retry-after")).isEqualTo("7");
    }

    @Test
    void upstream_429_with_an_http_date_retry_after_becomes_seconds() {
      String in30Seconds = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
        .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
      upstream.on("fake-cheap", Behaviour.error(429, "rate_limit_exceeded", "slow down")
        .withHeaders(Map.of("Retry-After", in30Seconds)));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 429, "rate_limit_error", "upstream_rate_limited", null);
      assertThat(result.headers().get("retry-after")).as("Retry-After for %s", in30Seconds).isNotNull();
      assertThat(Long.parseLong(result.headers().get("retry-after"))).isBetween(1L, 31L);
    }

    @Test
    void upstream_429_with_a_huge_retry_after_is_capped() {
      upstream.on("fake-cheap", Behaviour.error(429, "rate_limit_exceeded", "slow down")
        .withHeaders(Map.of("Retry-After", "999999999")));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 429, "rate_limit_error", "upstream_rate_limited", null);
      assertThat(Long.parseLong(result.headers().get("retry-after"))).isBetween(1L, 3600L);
    }

    @ParameterizedTest(name = "upstream {0}")
    @ValueSource(ints = {500, 502, 503})
    void upstream_5xx_is_a_502_upstream_error_without_the_upstream_body(int status) {
      upstream.on("fake-cheap", Behaviour.error(status, "server_error", "canary-internal-detail at com.provider.X"));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 502, API_ERROR, "upstream_error", null);
      assertThat(result.body().toString()).doesNotContain("canary-internal-detail", "server_error");
      assertThat(upstream.attempts()).isNotEmpty();
    }

    @Test
    void a_refused_connection_is_a_502_upstream_error() throws IOException {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = socket.getLocalPort();
      }
      // its own Vertx (closing it closes the client too): two gateways on one event bus would answer each
      // other's routing questions
      Vertx other = Vertx.vertx();
      try {
        TestClient refused = GatewayUnderTest.start(other,
          TestConfig.singleProvider("http://127.0.0.1:" + closedPort + "/v1")).client(other);

        TestClient.Result result = refused.post(PATH, Chats.chat("fake-cheap", "hi"));

        assertError(result, 502, API_ERROR, "upstream_error", null);
        assertThat(result.body().toString()).doesNotContain(Integer.toString(closedPort));
      } finally {
        other.close().await();
      }
    }

    @Test
    void an_upstream_head_slower_than_the_first_byte_timeout_is_a_504_upstream_first_byte_timeout() {
      upstream.on("fake-cheap", Behaviour.ok().withHeadDelay(4_000));   // provider first_byte_timeout_ms is 2000

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 504, API_ERROR, "upstream_first_byte_timeout", null);
      assertThat(upstream.attempts()).hasSize(1);
    }

    @Test
    void an_upstream_body_that_stalls_after_the_head_is_a_504_upstream_idle_timeout() throws InterruptedException {
      upstream.on("fake-cheap", Behaviour.ok().stalling());   // head and half the body, then silence

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 504, API_ERROR, "upstream_idle_timeout", null);
      assertThat(upstream.lastAttempt().awaitAborted(5_000)).as("the gateway dropped the stalled upstream").isTrue();
    }

    @Test
    void an_upstream_200_with_malformed_json_is_a_502_upstream_invalid_response() {
      upstream.on("fake-cheap", Behaviour.ok().withRawBody("{\"choices\":"));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 502, API_ERROR, "upstream_invalid_response", null);
    }

    @Test
    void an_upstream_200_without_choices_is_a_502_upstream_invalid_response() {
      JsonObject empty = new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion")
        .put("created", 1).put("model", "fake-cheap").put("choices", new JsonArray())
        .put("usage", new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 0).put("total_tokens", 12));
      upstream.on("fake-cheap", Behaviour.ok().withRawBody(empty.encode()));

      TestClient.Result result = client.post(PATH, Chats.chat("fake-cheap", "hi"));

      assertError(result, 502, API_ERROR, "upstream_invalid_response", null);
    }

    static Stream<Arguments> streamFailures() {
      return Stream.of(
        arguments(503, 502, API_ERROR, "upstream_error"),
        arguments(429, 429, "rate_limit_error", "upstream_rate_limited"),
        arguments(400, 400, INVALID_REQUEST, "context_length_exceeded"));
    }

    @ParameterizedTest(name = "upstream {0} → {1} {3}")
    @MethodSource("streamFailures")
    void a_stream_whose_upstream_fails_before_any_byte_is_a_plain_json_error(int upstreamStatus, int status,
                                                                             String type, String code) {
      upstream.on("fake-cheap", Behaviour.error(upstreamStatus, code, "failed before streaming"));
      Buffer body = Chats.streaming("fake-cheap", "hi").toBuffer();

      TestClient.Result result = client.send(HttpMethod.POST, PATH, body, JSON);

      assertError(result, status, type, code, null);
      assertThat(result.body().toString()).doesNotContain("data:", "[DONE]");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 20. Alive afterwards
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void the_gateway_answers_a_healthy_request_after_a_burst_of_bad_ones() {
    assertThat(client.post(PATH, "{\"model\":").status()).isEqualTo(400);
    assertThat(client.send(HttpMethod.POST, PATH, Buffer.buffer(new byte[] {'{', (byte) 0xC3}), JSON).status())
      .isEqualTo(400);
    assertThat(client.post(PATH, "[".repeat(10_000)).status()).isEqualTo(400);
    assertThat(client.post(PATH, "{\"model\":\"" + "x".repeat(70_000) + "\"}").status()).isEqualTo(413);
    assertThat(client.post(PATH, Chats.chat("fake-cheap", "hi").put("api_key", "sk-x")).status()).isEqualTo(400);
    assertThat(client.get(PATH).status()).isEqualTo(405);
    assertThat(client.post(PATH, Chats.chat("no-such-model", "hi")).status()).isEqualTo(404);
    assertThat(upstream.attempts()).as("upstream attempts during the burst").isEmpty();

    TestClient.Result healthy = client.post(PATH, Chats.chat("fake-cheap", "hello"));

    assertThat(healthy.status()).as("status (body: %s)", healthy.body()).isEqualTo(200);
    assertThat(healthy.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo(FakeProvider.ANSWER);
    assertThat(upstream.attempts()).hasSize(1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Assertions and fixtures
  // ---------------------------------------------------------------------------------------------------------------

  /** A client mistake: {@code invalid_request_error}, and the upstream never saw the request. */
  private JsonObject assertClientError(TestClient.Result result, int status, String code, String param) {
    JsonObject error = assertError(result, status, INVALID_REQUEST, code, param);
    assertThat(upstream.attempts()).as("upstream attempts").isEmpty();
    return error;
  }

  /** Status, headers and the exact OpenAI error envelope; returns the inner {@code error} object. */
  private static JsonObject assertError(TestClient.Result result, int status, String type, String code, String param) {
    assertThat(result.status()).as("status (body: %s)", result.body()).isEqualTo(status);
    assertThat(result.headers().get("content-type")).as("content type").startsWith("application/json");
    assertThat(result.headers().get("x-request-id")).as("x-request-id").isNotBlank();
    JsonObject json = result.json();
    assertThat(json.fieldNames()).as("envelope of %s", json).containsExactly("error");
    JsonObject error = json.getJsonObject("error");
    assertThat(error.fieldNames()).as("error fields of %s", error)
      .containsExactlyInAnyOrder("message", "type", "param", "code");
    assertThat(error.getString("type")).as("type").isEqualTo(type);
    assertThat(error.getString("code")).as("code").isEqualTo(code);
    assertThat(error.getValue("param")).as("param").isEqualTo(param);
    assertThat(error.getString("message")).as("message")
      .isNotBlank()
      .hasSizeLessThanOrEqualTo(512)
      .doesNotContain(STACK_TRACE_TEXT);
    return error;
  }

  private static JsonObject chat() {
    return Chats.chat("fake-cheap", "hi");
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
