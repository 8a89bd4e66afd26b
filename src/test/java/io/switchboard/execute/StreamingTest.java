package io.switchboard.execute;

import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.Attempt;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The SSE relay end to end: a real gateway on 127.0.0.1 between a real HTTP client and a real upstream (the
 * test kit's {@link FakeProvider}, or a raw SSE server written here for byte-level cases).
 */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamingTest extends GatewayTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final String DONE = "data: [DONE]";
  private static final long MAX_ABORT_LATENCY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private Vertx rawVertx;
  private HttpClient http;
  private TestClient rawClient;

  @BeforeEach
  void start() {
    http = vertx.createHttpClient();
  }

  @AfterEach
  void stop() {
    http.close();
    if (rawVertx != null) {
      rawClient.close();
      rawVertx.close().await();
    }
  }

  // ---- 1. no buffering --------------------------------------------------------------------------------------------

  @Test
  @Timeout(20)
  void each_of_a_thousand_chunks_reaches_the_client_before_the_upstream_writes_the_next() {
    int n = 1_000;
    String[] pieces = pieces(n);
    // upstream events: 0 role, 1..n pieces, n+1 finish, n+2 usage (stripped), n+3 [DONE] (held back by the gateway).
    // Event i is written only once the client holds events 0..i-1: a gateway that buffers deadlocks here. The role
    // chunk alone is held until the first piece (a stream that fails before its first piece can still fail over).
    List<Promise<Void>> clientHolds = Stream.generate(Promise::<Void>promise).limit(n + 2).toList();
    clientHolds.get(0).complete();
    clientHolds.get(1).complete();
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces)
      .withGate(i -> i < clientHolds.size() ? clientHolds.get(i).future() : Future.succeededFuture()));
    EventCounter counter = new EventCounter();
    AtomicInteger opened = new AtomicInteger(1);
    AtomicInteger mostAhead = new AtomicInteger(Integer.MIN_VALUE);

    TestClient.Result result = await(stream(Chats.streaming("fake-cheap", "count to a thousand"),
      (resp, chunk) -> {
        int held = counter.feed(chunk);
        if (held <= n) {
          mostAhead.accumulateAndGet(upstream.lastAttempt().sentEvents() - held, Math::max);
        }
        while (opened.get() < Math.min(held, clientHolds.size() - 1)) {
          clientHolds.get(opened.incrementAndGet()).complete();
        }
      }));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.events().get(result.events().size() - 1)).isEqualTo(DONE);
    assertThat(mostAhead.get()).as("upstream events written ahead of the client").isLessThanOrEqualTo(1);
    assertThat(contentOf(result.events())).isEqualTo(String.join("", pieces));
  }

  // ---- 2. client disconnect ---------------------------------------------------------------------------------------

  @Test
  void a_client_closing_a_stream_aborts_the_upstream_call_at_once() {
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces(200)).withChunkDelay(20));
    EventCounter counter = new EventCounter();
    AtomicLong closedAt = new AtomicLong();

    stream(Chats.streaming("fake-cheap", "talk slowly"), (resp, chunk) -> {
      if (counter.feed(chunk) >= 3 && closedAt.get() == 0) {
        closedAt.set(System.nanoTime());
        resp.request().connection().close();
      }
    });
    eventually(() -> upstream.attempts().size() == 1 && upstream.lastAttempt().aborted());

    Attempt attempt = upstream.lastAttempt();
    long latency = attempt.abortedNanos() - closedAt.get();
    System.out.printf("stream: client close -> upstream abort %.3f ms%n", latency / 1e6);
    assertThat(latency).isBetween(0L, MAX_ABORT_LATENCY_NANOS);
    assertThat(attempt.completed()).isFalse();
    assertThat(attempt.sentEvents()).isLessThan(100);
    JsonObject stats = stats(s -> s.getLong("requests") >= 1);
    assertThat(stats.getLong("requests")).isEqualTo(1);
    assertThat(stats.getLong("failed")).isEqualTo(1);
    assertThat(requestsMetric("fake-cheap", "client_closed")).isEqualTo(1.0);
  }

  @Test
  void a_client_closing_while_a_non_streaming_upstream_is_slow_aborts_the_upstream_call() {
    upstream.on("fake-cheap", Behaviour.ok().withHeadDelay(1_500));
    AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
      .setPort(gateway.port()).setURI(CHAT).addHeader("content-type", "application/json");
    vertx.getOrCreateContext().runOnContext(v -> http.request(options).onSuccess(req -> {
      request.set(req);
      req.send(Chats.chat("fake-cheap", "take your time").toBuffer());
    }));
    eventually(() -> upstream.attempts().size() == 1);

    long closedAt = System.nanoTime();
    await(request.get().connection().close());
    eventually(() -> upstream.lastAttempt().aborted());

    long latency = upstream.lastAttempt().abortedNanos() - closedAt;
    System.out.printf("json: client close -> upstream abort %.3f ms%n", latency / 1e6);
    assertThat(latency).isBetween(0L, MAX_ABORT_LATENCY_NANOS);
    assertThat(upstream.lastAttempt().completed()).isFalse();
    JsonObject stats = stats(s -> s.getLong("requests") >= 1);
    assertThat(stats.getLong("failed")).isEqualTo(1);
    assertThat(requestsMetric("fake-cheap", "client_closed")).isEqualTo(1.0);
  }

  // ---- 3, 4. cut and stalled upstreams ----------------------------------------------------------------------------

  @Test
  void an_upstream_cut_mid_stream_ends_the_stream_with_an_error_event_and_estimated_usage() {
    upstream.on("fake-cheap", Behaviour.ok().cutAfter(5));

    TestClient.Result result = stream(Chats.streaming("fake-cheap", "hello"));

    assertThat(result.status()).isEqualTo(200);
    List<String> events = result.events();
    assertThat(events).doesNotContain(DONE);
    assertThat(contentOf(events)).isEqualTo("Hello from the fake ");
    assertThat(errorCode(events.get(events.size() - 1))).isIn("upstream_error", "upstream_stream_cut");
    assertThat(events).filteredOn(e -> e.startsWith(": switchboard")).isEmpty();
    JsonObject stats = stats(s -> s.getLong("requests") >= 1);
    assertThat(stats.getLong("requests")).isEqualTo(1);
    assertThat(stats.getLong("failed")).isEqualTo(1);
    assertThat(stats.getLong("estimated_usage")).isEqualTo(1);
    assertThat(stats.getLong("completion_tokens")).isPositive();
    assertThat(stats.getLong("prompt_tokens")).isPositive();
    assertThat(requestsMetric("fake-cheap", "stream_cut")).isEqualTo(1.0);
  }

  @Test
  void an_upstream_that_stalls_mid_stream_ends_the_stream_with_an_upstream_idle_timeout_event() {
    // events 0-2 (role, "Hello ", "from ") are written, then the upstream goes silent without ending
    upstream.on("fake-cheap", Behaviour.ok().withGate(i -> i < 3 ? Future.succeededFuture() : Promise.<Void>promise()
      .future()));
    long start = System.nanoTime();

    TestClient.Result result = await(stream(Chats.streaming("fake-cheap", "hello"), (resp, chunk) -> {
    }), 8);

    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    List<String> events = result.events();
    assertThat(result.status()).isEqualTo(200);
    assertThat(contentOf(events)).isEqualTo("Hello from ");
    assertThat(events).doesNotContain(DONE);
    assertThat(errorCode(events.get(events.size() - 1))).isEqualTo("upstream_idle_timeout");
    assertThat(elapsedMillis).as("idle timeout is 2 s").isBetween(1_900L, 10_000L);
    eventually(() -> upstream.lastAttempt().aborted());
    JsonObject stats = stats(s -> s.getLong("requests") >= 1);
    assertThat(stats.getLong("requests")).isEqualTo(1);
    assertThat(stats.getLong("failed")).isEqualTo(1);
    assertThat(requestsMetric("fake-cheap", "timeout")).isEqualTo(1.0);
  }

  // ---- 5. usage and cost ------------------------------------------------------------------------------------------

  @Test
  void usage_is_asked_upstream_but_not_shown_to_a_client_that_did_not_ask_and_the_cost_comment_comes_last() {
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces(7)));

    TestClient.Result result = stream(Chats.streaming("fake-cheap", "hello"));

    JsonObject sentUpstream = upstream.lastAttempt().body();
    assertThat(sentUpstream.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    List<String> events = result.events();
    assertThat(dataChunks(events)).isNotEmpty().allSatisfy(chunk -> assertThat(chunk.getValue("usage")).isNull());
    assertCostComment(events, 7);
  }

  @Test
  void a_client_that_asks_for_usage_gets_the_usage_chunk_and_the_cost_comment() {
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces(4)));
    JsonObject body = Chats.streaming("fake-cheap", "hello")
      .put("stream_options", new JsonObject().put("include_usage", true));

    TestClient.Result result = stream(body);

    assertThat(upstream.lastAttempt().body().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    List<JsonObject> withUsage = dataChunks(result.events()).stream().filter(c -> c.getValue("usage") != null).toList();
    assertThat(withUsage).hasSize(1);
    JsonObject usage = withUsage.get(0).getJsonObject("usage");
    assertThat(usage.getLong("prompt_tokens")).isEqualTo(FakeProvider.PROMPT_TOKENS);
    assertThat(usage.getLong("completion_tokens")).isEqualTo(4);
    assertCostComment(result.events(), 4);
  }

  // ---- 6. headers -------------------------------------------------------------------------------------------------

  @Test
  void a_stream_carries_the_event_stream_type_and_the_decision_headers() {
    TestClient.Result result = stream(Chats.streaming("auto", "hi, how are you?"));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("content-type")).startsWith("text/event-stream");
    assertThat(result.headers().get("cache-control")).isEqualTo("no-cache");
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(result.headers().get("x-switchboard-decision-id")).isNotBlank();
    assertThat(result.headers().get("x-switchboard-task-type")).isEqualTo("conversation");
    assertThat(result.headers().get("x-switchboard-policy")).isEqualTo("auto");
  }

  // ---- 7. no [DONE] after a finish_reason -------------------------------------------------------------------------

  @Test
  void a_stream_that_ends_after_its_finish_chunk_without_done_is_finished_by_the_gateway() {
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces(3)).withoutDone());

    TestClient.Result result = stream(Chats.streaming("fake-cheap", "hello"));

    assertThat(result.status()).isEqualTo(200);
    assertThat(contentOf(result.events())).isEqualTo(String.join("", pieces(3)));
    assertCostComment(result.events(), 3);
    JsonObject stats = stats(s -> s.getLong("requests") >= 1);
    assertThat(stats.getLong("requests")).isEqualTo(1);
    assertThat(stats.getLong("failed")).isZero();
    assertThat(stats.getLong("estimated_usage")).isZero();
    assertThat(stats.getLong("completion_tokens")).isEqualTo(3);
    assertThat(stats.getLong("prompt_tokens")).isEqualTo(FakeProvider.PROMPT_TOKENS);
  }

  // ---- 8. raw upstream bytes --------------------------------------------------------------------------------------

  @Test
  void a_crlf_delimited_upstream_stream_is_relayed_byte_for_byte() {
    rawGateway();

    TestClient.Result result = rawStream("crlf");

    assertThat(result.status()).isEqualTo(200);
    String body = result.body().toString(StandardCharsets.UTF_8);
    String relayed = crlf(roleChunk()) + crlf(contentChunk("Hi")) + crlf(contentChunk(" there")) + crlf(finishChunk());
    assertThat(body).startsWith(relayed);
    List<String> tail = new TestClient.Result(200, result.headers(), Buffer.buffer(body.substring(relayed.length())))
      .events();
    assertThat(tail).hasSize(2);
    assertThat(tail.get(0)).startsWith(": switchboard ");
    JsonObject cost = new JsonObject(tail.get(0).substring(": switchboard ".length()));
    assertThat(cost.getLong("completion_tokens")).isEqualTo(2);
    assertThat(cost.getBoolean("estimated")).isFalse();
    assertThat(tail.get(1)).isEqualTo(DONE);
    assertThat(body).endsWith(DONE + "\n\n");
  }

  @Test
  void a_multi_byte_character_split_across_two_upstream_writes_arrives_byte_identical() {
    rawGateway();

    TestClient.Result result = rawStream("utf8");

    assertThat(result.status()).isEqualTo(200);
    assertThat(indexOf(result.body().getBytes(), lf(contentChunk(SPLIT_TEXT)).getBytes(StandardCharsets.UTF_8)))
      .isNotNegative();
    assertThat(contentOf(result.events())).isEqualTo(SPLIT_TEXT);
    assertThat(result.events().get(result.events().size() - 1)).isEqualTo(DONE);
  }

  @Test
  void a_usage_field_on_a_choice_chunk_is_stripped_for_a_client_that_did_not_ask_for_usage() {
    rawGateway();

    TestClient.Result result = rawStream("usage-on-finish");

    List<JsonObject> chunks = dataChunks(result.events());
    assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.getValue("usage")).isNull());
    assertThat(chunks).anySatisfy(chunk -> assertThat(chunk.getJsonArray("choices").getJsonObject(0)
      .getString("finish_reason")).isEqualTo("stop"));
    assertThat(contentOf(result.events())).isEqualTo("Hi");
    assertThat(result.events().get(result.events().size() - 2)).contains("\"completion_tokens\":1");
    assertThat(result.events().get(result.events().size() - 1)).isEqualTo(DONE);
  }

  @Test
  void a_malformed_upstream_event_ends_the_stream_with_an_error_and_the_gateway_keeps_serving() {
    rawGateway();
    long start = System.nanoTime();

    TestClient.Result broken = rawStream("malformed");

    assertThat((System.nanoTime() - start) / 1_000_000).as("cut at once, not by the idle timeout").isLessThan(1_500);
    assertThat(broken.status()).isEqualTo(200);
    assertThat(contentOf(broken.events())).isEqualTo("Hi");
    assertThat(broken.events()).doesNotContain(DONE);
    assertThat(errorCode(broken.events().get(broken.events().size() - 1))).isEqualTo("upstream_invalid_response");

    TestClient.Result healthy = rawStream("crlf");
    assertThat(healthy.status()).isEqualTo(200);
    assertThat(healthy.body().toString()).endsWith(DONE + "\n\n");
  }

  @Test
  void an_in_band_upstream_error_ends_the_stream_with_an_error_event() {
    rawGateway();

    TestClient.Result result = rawStream("in-band-error");

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.events()).doesNotContain(DONE);
    String last = result.events().get(result.events().size() - 1);
    assertThat(errorCode(last)).isEqualTo("upstream_error");
    // an error the provider reported, not a dropped connection (which is what resetting the upstream looks like)
    assertThat(last).doesNotContain("dropped the connection").doesNotContain("overloaded-secret-detail");
  }

  // ---- 9. exactly one usage record per stream ---------------------------------------------------------------------

  @Test
  void every_stream_is_accounted_exactly_once_however_it_ends() {
    List<Behaviour> endings = List.of(
      Behaviour.ok(),
      Behaviour.ok().withoutDone(),
      Behaviour.ok().cutAfter(3),
      Behaviour.ok().withoutUsage(),
      Behaviour.error(500, "server_error", "boom"),
      Behaviour.ok().withPieces(pieces(200)).withChunkDelay(10));
    for (int k = 1; k <= endings.size(); k++) {
      Behaviour ending = endings.get(k - 1);
      upstream.on("fake-cheap", ending);
      if (ending.chunkDelayMillis() > 0) {
        EventCounter counter = new EventCounter();
        AtomicInteger closes = new AtomicInteger();
        int attempt = upstream.attempts().size();
        stream(Chats.streaming("fake-cheap", "hello"), (resp, chunk) -> {
          if (counter.feed(chunk) >= 2 && closes.getAndIncrement() == 0) {
            resp.request().connection().close();
          }
        });
        eventually(() -> upstream.attempts().size() > attempt && upstream.attempts().get(attempt).aborted());
      } else {
        stream(Chats.streaming("fake-cheap", "hello"));
      }
      // a later request's record is published after any record of this stream from the same event loop
      assertThat(call(HttpMethod.POST, CHAT, Chats.chat("fake-premium", "marker")).status()).isEqualTo(200);
      int markers = k;
      JsonObject stats = stats(s -> modelRequests(s, "fake-premium") >= markers);
      assertThat(modelRequests(stats, "fake-cheap")).as("records after stream %d (%s)", k, ending).isEqualTo(k);
    }
    JsonObject stats = stats(s -> true);
    assertThat(stats.getJsonObject("by_model").getJsonObject("fake-cheap").getLong("failed")).isEqualTo(3);
  }

  // ---- the raw SSE upstream ---------------------------------------------------------------------------------------

  private static final String SPLIT_TEXT = "na\u00efve \u20ac \uD83D\uDE00 done";

  /**
   * Starts a raw SSE server and a second gateway in front of it, on a second {@code Vertx} (a gateway registers
   * its codecs once per {@code Vertx}); the user message names the scenario.
   */
  private void rawGateway() {
    rawVertx = Vertx.vertx();
    HttpServer server = await(rawVertx.createHttpServer().requestHandler(this::serveRaw).listen(0, "127.0.0.1"));
    rawClient = GatewayUnderTest.start(rawVertx,
      TestConfig.singleProvider("http://127.0.0.1:" + server.actualPort() + "/v1")).client(rawVertx);
  }

  private void serveRaw(HttpServerRequest request) {
    request.body().onSuccess(bytes -> {
      String scenario = bytes.toJsonObject().getJsonArray("messages").getJsonObject(0).getString("content");
      HttpServerResponse response = request.response().setChunked(true).putHeader("content-type", "text/event-stream");
      List<String> writes = new ArrayList<>();
      boolean end = true;
      switch (scenario) {
        case "crlf" -> writes.addAll(List.of(crlf(roleChunk()), crlf(contentChunk("Hi")), crlf(contentChunk(" there")),
          crlf(finishChunk()), crlf(usageChunk(2)), "data: [DONE]\r\n\r\n"));
        case "usage-on-finish" -> writes.addAll(List.of(lf(roleChunk()), lf(contentChunk("Hi")),
          lf(finishChunk().replace("}]}", "}],\"usage\":" + usage(1) + "}")), "data: [DONE]\n\n"));
        case "malformed" -> {
          writes.addAll(List.of(lf(roleChunk()), lf(contentChunk("Hi")), "data: {oops\n\n"));
          end = false;
        }
        case "in-band-error" -> {
          writes.addAll(List.of(lf(roleChunk()), lf(contentChunk("Hi")),
            "data: {\"error\":{\"message\":\"overloaded-secret-detail\",\"type\":\"server_error\"}}\n\n"));
          end = false;
        }
        case "utf8" -> {
        }
        default -> throw new IllegalArgumentException(scenario);
      }
      List<Buffer> buffers = new ArrayList<>();
      if (scenario.equals("utf8")) {
        byte[] event = lf(contentChunk(SPLIT_TEXT)).getBytes(StandardCharsets.UTF_8);
        int cut = indexOf(event, "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)) + 2;
        buffers.add(Buffer.buffer(lf(roleChunk())));
        buffers.add(Buffer.buffer(Arrays.copyOfRange(event, 0, cut)));
        buffers.add(Buffer.buffer(Arrays.copyOfRange(event, cut, event.length)));
        buffers.add(Buffer.buffer(lf(finishChunk())));
        buffers.add(Buffer.buffer(lf(usageChunk(3))));
        buffers.add(Buffer.buffer("data: [DONE]\n\n"));
      } else {
        writes.forEach(w -> buffers.add(Buffer.buffer(w)));
      }
      writeSpaced(response, buffers, 0, end);
    });
  }

  /** One write per timer tick, so the gateway reads each one separately. */
  private void writeSpaced(HttpServerResponse response, List<Buffer> buffers, int index, boolean end) {
    if (response.closed()) {
      return;
    }
    if (index == buffers.size()) {
      if (end) {
        response.end();
      }
      return;
    }
    response.write(buffers.get(index));
    rawVertx.setTimer(30, t -> writeSpaced(response, buffers, index + 1, end));
  }

  private static String roleChunk() {
    return chunk("{\"role\":\"assistant\",\"content\":\"\"}", null);
  }

  private static String contentChunk(String text) {
    return chunk("{\"content\":\"" + text + "\"}", null);
  }

  private static String finishChunk() {
    return chunk("{}", "stop");
  }

  private static String chunk(String delta, String finish) {
    return "{\"id\":\"raw\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-cheap\",\"choices\":"
      + "[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
      + "}]}";
  }

  private static String usageChunk(int completionTokens) {
    return "{\"id\":\"raw\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-cheap\",\"choices\":[],"
      + "\"usage\":" + usage(completionTokens) + "}";
  }

  private static String usage(int completionTokens) {
    int prompt = FakeProvider.PROMPT_TOKENS;
    return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completionTokens + ",\"total_tokens\":"
      + (prompt + completionTokens) + "}";
  }

  private static String lf(String json) {
    return "data: " + json + "\n\n";
  }

  private static String crlf(String json) {
    return "data: " + json + "\r\n\r\n";
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  /** Counts complete LF-delimited SSE events across network chunks. */
  private static final class EventCounter {
    private int events;
    private byte last;

    int feed(Buffer chunk) {
      for (int i = 0; i < chunk.length(); i++) {
        byte b = chunk.getByte(i);
        if (b == '\n' && last == '\n') {
          events++;
          b = 0;
        }
        last = b;
      }
      return events;
    }
  }

  private static String[] pieces(int n) {
    return IntStream.range(0, n).mapToObj(i -> "w" + i + " ").toArray(String[]::new);
  }

  private TestClient.Result stream(JsonObject body) {
    return await(stream(body, (resp, chunk) -> {
    }));
  }

  private Future<TestClient.Result> stream(JsonObject body, BiConsumer<HttpClientResponse, Buffer> onChunk) {
    return streamOn(vertx, client, body, onChunk);
  }

  /** A scenario of the raw upstream, through the gateway in front of it. */
  private TestClient.Result rawStream(String scenario) {
    return await(streamOn(rawVertx, rawClient, Chats.streaming("fake-cheap", scenario), (resp, chunk) -> {
    }));
  }

  /**
   * {@link TestClient#stream} started on an event loop of {@code owner}. Started from the JUnit thread, the
   * request chain may attach its response handlers only after the response began, and lose its first bytes.
   */
  private static Future<TestClient.Result> streamOn(Vertx owner, TestClient to, JsonObject body,
                                                    BiConsumer<HttpClientResponse, Buffer> onChunk) {
    Promise<TestClient.Result> result = Promise.promise();
    owner.getOrCreateContext().runOnContext(v -> to.stream(CHAT, body, onChunk).onComplete(result));
    return result.future();
  }

  /** A whole request and answer, run on an event loop for the same reason as {@link #streamOn}. */
  private TestClient.Result call(HttpMethod method, String path, JsonObject body) {
    return call(gateway.port(), method, path, body);
  }

  private TestClient.Result call(int port, HttpMethod method, String path, JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
      .setURI(path);
    if (body != null) {
      options.addHeader("content-type", "application/json");
    }
    Promise<TestClient.Result> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> http.request(options)
      .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
      .compose(resp -> resp.body().map(b -> new TestClient.Result(resp.statusCode(), resp.headers(), b)))
      .onComplete(result));
    return await(result.future());
  }

  /** The JSON payloads of the data events, without [DONE] and comments. */
  private static List<JsonObject> dataChunks(List<String> events) {
    return events.stream().filter(e -> e.startsWith("data: {")).map(e -> new JsonObject(e.substring(6))).toList();
  }

  private static String contentOf(List<String> events) {
    StringBuilder text = new StringBuilder();
    for (JsonObject chunk : dataChunks(events)) {
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices != null && !choices.isEmpty()) {
        String content = choices.getJsonObject(0).getJsonObject("delta", new JsonObject()).getString("content");
        if (content != null) {
          text.append(content);
        }
      }
    }
    return text.toString();
  }

  private static String errorCode(String event) {
    assertThat(event).startsWith("data: {\"error\"");
    return new JsonObject(event.substring(6)).getJsonObject("error").getString("code");
  }

  /** The cost comment is the last event before [DONE], priced from 12 prompt + {@code completion} tokens. */
  private static void assertCostComment(List<String> events, long completion) {
    assertThat(events.get(events.size() - 1)).isEqualTo(DONE);
    assertThat(events.stream().filter(DONE::equals)).hasSize(1);
    String comment = events.get(events.size() - 2);
    assertThat(comment).startsWith(": switchboard ");
    JsonObject cost = new JsonObject(comment.substring(": switchboard ".length()));
    long prompt = FakeProvider.PROMPT_TOKENS;
    long costMicros = micros(prompt, completion, "0.10", "0.40");
    long baselineMicros = micros(prompt, completion, "2", "8");
    assertThat(cost.getString("model")).isEqualTo("fake-cheap");
    assertThat(cost.getLong("prompt_tokens")).isEqualTo(prompt);
    assertThat(cost.getLong("completion_tokens")).isEqualTo(completion);
    assertThat(cost.getString("cost_usd")).isEqualTo(usd(costMicros));
    assertThat(cost.getString("baseline_cost_usd")).isEqualTo(usd(baselineMicros));
    assertThat(cost.getString("savings_usd")).isEqualTo(usd(baselineMicros - costMicros));
    assertThat(cost.getBoolean("estimated")).isFalse();
  }

  /** Micro-dollars for the tokens at $ per million token prices, rounded half up. */
  private static long micros(long prompt, long completion, String inputPerMillion, String outputPerMillion) {
    return new BigDecimal(inputPerMillion).multiply(BigDecimal.valueOf(prompt))
      .add(new BigDecimal(outputPerMillion).multiply(BigDecimal.valueOf(completion)))
      .setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  private static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  /** since_start of /admin/stats once {@code ready} holds; stats arrive over the bus after the response. */
  private JsonObject stats(Predicate<JsonObject> ready) {
    JsonObject last = null;
    for (int i = 0; i < 150; i++) {
      last = call(gateway.adminPort(), HttpMethod.GET, "/admin/stats", null).json().getJsonObject("since_start");
      if (ready.test(last)) {
        return last;
      }
      pause();
    }
    return fail("stats never got there: " + last);
  }

  private static long modelRequests(JsonObject stats, String model) {
    JsonObject bucket = stats.getJsonObject("by_model").getJsonObject(model);
    return bucket == null ? 0 : bucket.getLong("requests");
  }

  /** The switchboard_requests_total value for one model and status, once it shows up. */
  private double requestsMetric(String model, String status) {
    for (int i = 0; i < 150; i++) {
      double total = 0;
      boolean found = false;
      for (String line : call(HttpMethod.GET, "/metrics", null).body().toString().split("\n")) {
        if (line.startsWith("switchboard_requests_total{") && line.contains("model=\"" + model + "\"")
          && line.contains("status=\"" + status + "\"")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
      if (found) {
        return total;
      }
      pause();
    }
    return fail("no switchboard_requests_total for " + model + "/" + status);
  }

  private void eventually(BooleanSupplier condition) {
    for (int i = 0; i < 250; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      pause();
    }
    fail("condition not met within 5 s");
  }

  private void pause() {
    Promise<Void> tick = Promise.promise();
    vertx.setTimer(20, id -> tick.complete());
    await(tick.future());
  }

  private static <T> T await(Future<T> future) {
    return await(future, 20);
  }

  private static <T> T await(Future<T> future, long seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
