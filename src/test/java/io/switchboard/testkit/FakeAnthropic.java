package io.switchboard.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A real Anthropic Messages upstream on 127.0.0.1 (port 0) for tests: {@code POST /v1/messages} answered as JSON
 * or with the real SSE event sequence (message_start, ping, content_block_start/delta/stop with text_delta,
 * input_json_delta, thinking_delta and signature_delta, message_delta with usage, message_stop), or with
 * Anthropic-shaped errors. What it answers is chosen per model with {@link #on}; every request is kept.
 */
public final class FakeAnthropic {

  /** One request the fake received. */
  public record Received(JsonObject body, Map<String, String> headers) {
  }

  /**
   * An answer: an error ({@code status} 400 and up, with {@code headers}) or a message with these content blocks.
   *
   * @param midStreamError for streams: an {@code error} event after message_start instead of the content
   * @param cutAfter for streams: reset the connection after this many events (-1: never)
   * @param withoutStop for streams: end cleanly after message_delta, without message_stop
   */
  public record Reply(int status, JsonObject error, Map<String, String> headers, JsonArray content, String stopReason,
                      JsonObject usage, boolean midStreamError, int cutAfter, boolean withoutStop) {

    /** A text answer with these usage counts. */
    public static Reply text(String text, JsonObject usage) {
      return new Reply(200, null, Map.of(), new JsonArray().add(new JsonObject().put("type", "text").put("text", text)),
        "end_turn", usage, false, -1, false);
    }

    /** An answer of these blocks (text, tool_use, thinking). */
    public static Reply blocks(JsonArray content, String stopReason, JsonObject usage) {
      return new Reply(200, null, Map.of(), content, stopReason, usage, false, -1, false);
    }

    /** An Anthropic error answer, e.g. 429 rate_limit_error, 529 overloaded_error, 401 authentication_error. */
    public static Reply error(int status, String type, String message, Map<String, String> headers) {
      JsonObject body = new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
      return new Reply(status, body, headers, null, null, null, false, -1, false);
    }

    /** A stream that starts, then reports {@code overloaded_error} in-band. */
    public static Reply overloadedMidStream() {
      return new Reply(200, null, Map.of(), new JsonArray(), "end_turn", FakeAnthropic.usage(10, 0, 0, 1), true, -1,
        false);
    }

    /** The same stream, its connection reset after {@code events} events. */
    public Reply cutAfter(int events) {
      return new Reply(status, error, headers, content, stopReason, usage, midStreamError, events, withoutStop);
    }

    /** The same stream, ended cleanly after its message_delta without a message_stop. */
    public Reply withoutMessageStop() {
      return new Reply(status, error, headers, content, stopReason, usage, midStreamError, cutAfter, true);
    }
  }

  private final Vertx vertx;
  private final Map<String, List<Reply>> replies = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger sentEvents = new AtomicInteger();
  private volatile boolean streamCompleted;
  private volatile Buffer lastRequestBytes;
  private volatile Buffer lastAnswerBytes = Buffer.buffer();
  private HttpServer server;

  public FakeAnthropic(Vertx vertx) {
    this.vertx = vertx;
  }

  public FakeAnthropic start() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    FakeProvider.await(server.listen(0, "127.0.0.1"));
    return this;
  }

  public void stop() {
    if (server != null) {
      FakeProvider.await(server.close());
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** What requests for {@code model} get: {@code first}, then the others in order, the last repeating. */
  public FakeAnthropic on(String model, Reply first, Reply... then) {
    List<Reply> sequence = new ArrayList<>();
    sequence.add(first);
    sequence.addAll(List.of(then));
    replies.put(model, sequence);
    served.put(model, new AtomicInteger());
    return this;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  /** The bytes of the latest request's body, as they arrived. */
  public Buffer lastRequestBytes() {
    return lastRequestBytes;
  }

  /** The bytes of the latest 2xx answer's body: the JSON message, or every event of a stream written so far. */
  public Buffer lastAnswerBytes() {
    synchronized (this) {
      return lastAnswerBytes.copy();
    }
  }

  /** SSE events of the latest stream written so far: it stops growing while the gateway holds the fake back. */
  public int sentEvents() {
    return sentEvents.get();
  }

  /** Whether the latest stream was written to its end. */
  public boolean streamCompleted() {
    return streamCompleted;
  }

  /** Anthropic usage counts. */
  public static JsonObject usage(long input, long cacheRead, long cacheWrite, long output) {
    return new JsonObject().put("input_tokens", input).put("cache_creation_input_tokens", cacheWrite)
      .put("cache_read_input_tokens", cacheRead).put("output_tokens", output);
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().equals("/v1/messages")) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.body().onSuccess(raw -> {
      JsonObject body = raw.toJsonObject();
      lastRequestBytes = raw.copy();
      received.add(new Received(body, request.headers().entries().stream()
        .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue, (a, b) -> a))));
      HttpServerResponse response = request.response();
      if (request.getHeader("x-api-key") == null || request.getHeader("anthropic-version") == null) {
        send(response,
          Reply.error(401, "authentication_error", "x-api-key and anthropic-version are required", Map.of()));
        return;
      }
      String model = body.getString("model", "");
      List<Reply> sequence = replies.getOrDefault(model, List.of(Reply.text("Hello from Claude.", usage(20, 0, 0, 5))));
      int n = served.computeIfAbsent(model, m -> new AtomicInteger()).getAndIncrement();
      Reply reply = sequence.get(Math.min(n, sequence.size() - 1));
      if (reply.status() >= 400) {
        send(response, reply);
      } else if (body.getBoolean("stream", false)) {
        stream(response, model, reply);
      } else {
        Buffer message = message(model, reply).toBuffer();
        synchronized (this) {
          lastAnswerBytes = message.copy();
        }
        response.putHeader("content-type", "application/json").end(message);
      }
    });
  }

  private static void send(HttpServerResponse response, Reply reply) {
    reply.headers().forEach(response::putHeader);
    response.setStatusCode(reply.status()).putHeader("content-type", "application/json").end(reply.error().toBuffer());
  }

  private static JsonObject message(String model, Reply reply) {
    return new JsonObject().put("id", "msg_fake01").put("type", "message").put("role", "assistant").put("model", model)
      .put("content", reply.content().copy()).put("stop_reason", reply.stopReason()).put("stop_sequence", null)
      .put("usage", reply.usage().copy());
  }

  /** The event sequence the Messages API sends, each block's delta split in two as a real stream would. */
  private void stream(HttpServerResponse response, String model, Reply reply) {
    List<Buffer> events = new ArrayList<>();
    JsonObject start = message(model, reply).put("content", new JsonArray()).put("stop_reason", null);
    JsonObject startUsage = reply.usage().copy().put("output_tokens", 1);
    events.add(event("message_start",
      new JsonObject().put("type", "message_start").put("message", start.put("usage", startUsage))));
    events.add(event("ping", new JsonObject().put("type", "ping")));
    if (reply.midStreamError()) {
      events.add(event("error", new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", "overloaded_error").put("message", "Overloaded"))));
    } else {
      for (int i = 0; i < reply.content().size(); i++) {
        blockEvents(i, reply.content().getJsonObject(i), events);
      }
      events.add(event("message_delta", new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", reply.stopReason()).put("stop_sequence", null))
        .put("usage", new JsonObject().put("output_tokens", reply.usage().getLong("output_tokens")))));
      if (!reply.withoutStop()) {
        events.add(event("message_stop", new JsonObject().put("type", "message_stop")));
      }
    }
    response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    synchronized (this) {
      lastAnswerBytes = Buffer.buffer();
    }
    if (reply.cutAfter() >= 0) {
      events.subList(0, reply.cutAfter()).forEach(event -> {
        written(event);
        response.write(event);
      });
      vertx.setTimer(50, t -> response.reset());
      return;
    }
    sentEvents.set(0);
    streamCompleted = false;
    send(response, events, 0);
  }

  /** Writes the events in order, waiting whenever the gateway does not take more, as a real provider does. */
  private void send(HttpServerResponse response, List<Buffer> events, int from) {
    for (int i = from; i < events.size(); i++) {
      if (response.closed()) {
        return;
      }
      written(events.get(i));
      response.write(events.get(i));
      sentEvents.incrementAndGet();
      if (response.writeQueueFull()) {
        int next = i + 1;
        response.drainHandler(v -> send(response, events, next));
        return;
      }
    }
    response.end();
    streamCompleted = true;
  }

  private synchronized void written(Buffer event) {
    lastAnswerBytes.appendBuffer(event);
  }

  private static void blockEvents(int index, JsonObject block, List<Buffer> events) {
    String type = block.getString("type");
    JsonObject empty = switch (type) {
      case "text" -> new JsonObject().put("type", "text").put("text", "");
      case "tool_use" -> new JsonObject().put("type", "tool_use").put("id", block.getString("id"))
        .put("name", block.getString("name")).put("input", new JsonObject());
      default -> new JsonObject().put("type", "thinking").put("thinking", "");
    };
    events.add(event("content_block_start", new JsonObject().put("type", "content_block_start").put("index", index)
      .put("content_block", empty)));
    switch (type) {
      case "text" -> pieces(block.getString("text")).forEach(piece -> events.add(delta(index,
        new JsonObject().put("type", "text_delta").put("text", piece))));
      case "tool_use" -> halves(block.getJsonObject("input").encode()).forEach(piece -> events.add(delta(index,
        new JsonObject().put("type", "input_json_delta").put("partial_json", piece))));
      default -> {
        events.add(delta(index,
          new JsonObject().put("type", "thinking_delta").put("thinking", block.getString("thinking"))));
        events.add(delta(index,
          new JsonObject().put("type", "signature_delta").put("signature", block.getString("signature"))));
      }
    }
    events.add(event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", index)));
  }

  /** Text deltas: a short text in two halves, a long one in pieces of 1000 characters. */
  private static List<String> pieces(String text) {
    if (text.length() <= 1_000) {
      return halves(text);
    }
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 1_000) {
      pieces.add(text.substring(i, Math.min(text.length(), i + 1_000)));
    }
    return pieces;
  }

  private static List<String> halves(String text) {
    int mid = text.length() / 2;
    return List.of(text.substring(0, mid), text.substring(mid));
  }

  private static Buffer delta(int index, JsonObject delta) {
    return event("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", index)
      .put("delta", delta));
  }

  private static Buffer event(String name, JsonObject data) {
    return Buffer.buffer("event: " + name + "\ndata: ").appendBuffer(data.toBuffer()).appendString("\n\n");
  }
}
