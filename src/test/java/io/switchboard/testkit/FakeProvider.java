package io.switchboard.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenAI-compatible upstream on 127.0.0.1 (port 0) for tests: JSON and SSE answers with usage, error
 * statuses with {@code Retry-After}, slow heads, slow and cut streams. What it does is chosen per upstream
 * model name with {@link #on(String, Behaviour)}; every request it receives is kept as an {@link Attempt}.
 */
public final class FakeProvider {

  /** Text of every healthy answer, split into stream chunks word by word. */
  public static final String ANSWER = "Hello from the fake provider.";
  public static final int PROMPT_TOKENS = 12;

  private final Vertx vertx;
  private final Map<String, List<Behaviour>> behaviours = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> served = new ConcurrentHashMap<>();
  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> rejectedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<String, JsonArray> toolCalls = new ConcurrentHashMap<>();
  private volatile boolean countPrompts;
  private HttpServer server;

  public FakeProvider(Vertx vertx) {
    this.vertx = vertx;
  }

  public FakeProvider start() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    await(server.listen(0, "127.0.0.1"));
    return this;
  }

  public void stop() {
    if (server != null) {
      await(server.close());
    }
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /**
   * Sets what requests for {@code upstreamModel} get (models without one get {@link Behaviour#ok()}): the first
   * request {@code first}, the next ones {@code then} in order, the last of them repeating.
   */
  public FakeProvider on(String upstreamModel, Behaviour first, Behaviour... then) {
    List<Behaviour> sequence = new java.util.ArrayList<>();
    sequence.add(first);
    sequence.addAll(List.of(then));
    behaviours.put(upstreamModel, sequence);
    served.put(upstreamModel, new java.util.concurrent.atomic.AtomicInteger());
    return this;
  }

  /** Answers 401 to every request that sends {@code key}, as a provider does for a revoked key. */
  public FakeProvider rejectKey(String key) {
    rejectedKeys.add("Bearer " + key);
    return this;
  }

  /**
   * Makes answers for {@code upstreamModel} call tools instead of answering in text (JSON: {@code tool_calls} and
   * finish reason {@code tool_calls}; streams: each call's id and name in one chunk, its arguments in two more),
   * except when the conversation's last message is a tool result: then the usual text answer follows.
   *
   * @param calls objects with {@code id}, {@code name} and {@code arguments} (a JSON string)
   */
  public FakeProvider answerWithToolCalls(String upstreamModel, JsonArray calls) {
    toolCalls.put(upstreamModel, calls);
    return this;
  }

  /** Reports the prompt tokens it counted in each request (o200k_base, OpenAI's chat rules) instead of a constant. */
  public FakeProvider countingPromptTokens() {
    countPrompts = true;
    return this;
  }

  /** The requests received for {@code upstreamModel}. */
  public List<Attempt> attempts(String upstreamModel) {
    return attempts.stream().filter(a -> a.model().equals(upstreamModel)).toList();
  }

  public List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  public Attempt lastAttempt() {
    return attempts.get(attempts.size() - 1);
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().equals("/v1/chat/completions")) {
      request.response().setStatusCode(404).end("{\"error\":{\"message\":\"no such path\"}}");
      return;
    }
    request.body().onSuccess(raw -> {
      JsonObject body = raw.toJsonObject();
      String model = body.getString("model", "");
      Attempt attempt = new Attempt(model, body, request.headers().entries().stream()
        .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue, (a, b) -> a)));
      attempts.add(attempt);
      HttpServerResponse response = request.response();
      response.closeHandler(v -> attempt.markAborted());
      request.connection().closeHandler(v -> attempt.markAborted());
      Behaviour behaviour = rejectedKeys.contains(String.valueOf(request.getHeader("authorization")))
        ? Behaviour.error(401, "invalid_api_key", "Incorrect API key provided") : behaviourFor(model);
      if (behaviour.reset() == Behaviour.Reset.BEFORE_HEAD) {
        response.reset();
        attempt.markCompleted();
        return;
      }
      vertx.setTimer(Math.max(1, behaviour.headDelayMillis()), t -> answer(behaviour, body, response, attempt));
    });
  }

  private Behaviour behaviourFor(String model) {
    List<Behaviour> sequence = behaviours.get(model);
    if (sequence == null) {
      return Behaviour.ok();
    }
    int n = served.get(model).getAndIncrement();
    return sequence.get(Math.min(n, sequence.size() - 1));
  }

  private void answer(Behaviour behaviour, JsonObject body, HttpServerResponse response, Attempt attempt) {
    if (response.closed()) {
      return;
    }
    behaviour.headers().forEach(response::putHeader);
    if (behaviour.reset() == Behaviour.Reset.AFTER_HEAD) {
      response.setChunked(true).putHeader("content-type", body.getBoolean("stream", false) ? "text/event-stream"
        : "application/json").writeHead().onComplete(v -> response.reset());
      attempt.markCompleted();
      return;
    }
    if (behaviour.status() >= 400) {
      response.setStatusCode(behaviour.status()).putHeader("content-type", "application/json")
        .end(behaviour.errorBody());
      attempt.markCompleted();
      return;
    }
    if (behaviour.rawBody() != null) {
      response.putHeader("content-type", "application/json").end(behaviour.rawBody());
      attempt.markCompleted();
      return;
    }
    JsonArray calls = toolCallsFor(body);
    int promptTokens = countPrompts ? PromptCount.of(body) : PROMPT_TOKENS;
    if (!body.getBoolean("stream", false)) {
      JsonObject completion = completion(body.getString("model"), behaviour.text());
      completion.getJsonObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens + 5);
      if (calls != null) {
        JsonObject choice = completion.getJsonArray("choices").getJsonObject(0).put("finish_reason", "tool_calls");
        choice.getJsonObject("message").putNull("content").put("tool_calls", openAiCalls(calls));
      }
      if (behaviour.omitUsage()) {
        completion.remove("usage");
      }
      if (behaviour.stallAtEnd()) {
        Buffer json = completion.toBuffer();
        response.setChunked(true).putHeader("content-type", "application/json").write(json.slice(0, json.length() / 2));
        return;
      }
      response.putHeader("content-type", "application/json").end(completion.toBuffer());
      attempt.markCompleted();
      return;
    }
    boolean includeUsage = body.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false);
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    List<Buffer> events = calls != null
      ? toolCallEvents(body.getString("model"), calls, includeUsage, promptTokens)
      : streamEvents(body.getString("model"), behaviour, includeUsage);
    if (countPrompts && calls == null && includeUsage && !behaviour.omitUsage()) {
      JsonObject usage = usage(behaviour.completionTokens()).put("prompt_tokens", promptTokens)
        .put("total_tokens", promptTokens + behaviour.completionTokens());
      int at = events.size() - (behaviour.omitDone() ? 1 : 2);
      events.set(at, event(new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
        .put("model", body.getString("model")).put("choices", new JsonArray()).put("usage", usage)));
    }
    sendEvents(response, events, 0, behaviour, attempt);
  }

  private void sendEvents(HttpServerResponse response, List<Buffer> events, int index, Behaviour behaviour,
                          Attempt attempt) {
    if (response.closed() || attempt.aborted()) {
      return;
    }
    if (index == behaviour.cutAfterEvents()) {
      response.reset();
      return;
    }
    if (index >= events.size()) {
      if (behaviour.stallAtEnd()) {
        return;
      }
      response.end();
      attempt.markCompleted();
      return;
    }
    behaviour.gate().apply(index).onComplete(ignored -> {
      response.write(events.get(index));
      attempt.sent(index + 1);
      if (behaviour.chunkDelayMillis() > 0) {
        vertx.setTimer(behaviour.chunkDelayMillis(), t -> sendEvents(response, events, index + 1, behaviour, attempt));
      } else if (response.writeQueueFull()) {
        // a real provider slows down when its reader does: wait for the gateway to take more
        response.drainHandler(v -> sendEvents(response, events, index + 1, behaviour, attempt));
      } else if (index % 64 == 63) {
        vertx.runOnContext(v -> sendEvents(response, events, index + 1, behaviour, attempt));
      } else {
        sendEvents(response, events, index + 1, behaviour, attempt);
      }
    });
  }

  /** The SSE events of a healthy stream: content chunks, a finish chunk, usage if asked, then [DONE]. */
  static List<Buffer> streamEvents(String model, Behaviour behaviour, boolean includeUsage) {
    List<Buffer> events = new java.util.ArrayList<>();
    String[] pieces = behaviour.pieces();
    events.add(event(chunk(model, new JsonObject().put("role", "assistant").put("content", ""), null)));
    for (String piece : pieces) {
      events.add(event(chunk(model, new JsonObject().put("content", piece), null)));
    }
    if (behaviour.malformedEventAt() >= 0) {
      events.set(behaviour.malformedEventAt(), Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n"));
    }
    events.add(event(chunk(model, new JsonObject(), "stop")));
    if (includeUsage && !behaviour.omitUsage()) {
      events.add(event(new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
        .put("model", model).put("choices", new JsonArray()).put("usage", usage(behaviour.completionTokens()))));
    }
    if (!behaviour.omitDone()) {
      events.add(Buffer.buffer("data: [DONE]\n\n"));
    }
    return events;
  }

  private JsonArray toolCallsFor(JsonObject body) {
    JsonArray calls = toolCalls.get(body.getString("model", ""));
    JsonArray messages = body.getJsonArray("messages", new JsonArray());
    boolean answered = !messages.isEmpty() && "tool".equals(messages.getJsonObject(messages.size() - 1).getString("role"));
    return calls == null || answered ? null : calls;
  }

  private static JsonArray openAiCalls(JsonArray calls) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < calls.size(); i++) {
      JsonObject call = calls.getJsonObject(i);
      out.add(new JsonObject().put("id", call.getString("id")).put("type", "function").put("function",
        new JsonObject().put("name", call.getString("name")).put("arguments", call.getString("arguments"))));
    }
    return out;
  }

  /** A stream that calls tools: role chunk, per call a head chunk and two argument chunks, finish, usage, [DONE]. */
  static List<Buffer> toolCallEvents(String model, JsonArray calls, boolean includeUsage, int promptTokens) {
    List<Buffer> events = new java.util.ArrayList<>();
    events.add(event(chunk(model, new JsonObject().put("role", "assistant").putNull("content"), null)));
    for (int i = 0; i < calls.size(); i++) {
      JsonObject call = calls.getJsonObject(i);
      String arguments = call.getString("arguments");
      int half = arguments.length() / 2;
      events.add(event(chunk(model, new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
        .put("index", i).put("id", call.getString("id")).put("type", "function")
        .put("function", new JsonObject().put("name", call.getString("name")).put("arguments", "")))), null)));
      for (String piece : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
        events.add(event(chunk(model, new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
          .put("index", i).put("function", new JsonObject().put("arguments", piece)))), null)));
      }
    }
    events.add(event(chunk(model, new JsonObject(), "tool_calls")));
    if (includeUsage) {
      events.add(event(new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
        .put("model", model).put("choices", new JsonArray()).put("usage", usage(7).put("prompt_tokens", promptTokens)
          .put("total_tokens", promptTokens + 7))));
    }
    events.add(Buffer.buffer("data: [DONE]\n\n"));
    return events;
  }

  private static Buffer event(JsonObject json) {
    return Buffer.buffer("data: ").appendBuffer(json.toBuffer()).appendString("\n\n");
  }

  private static JsonObject chunk(String model, JsonObject delta, String finish) {
    return new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk").put("created", 1)
      .put("model", model).put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
        .put("finish_reason", finish)));
  }

  static JsonObject completion(String model, String text) {
    return new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion").put("created", 1)
      .put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", text)).put("finish_reason", "stop")))
      .put("usage", usage(5));
  }

  static JsonObject usage(int completionTokens) {
    return new JsonObject().put("prompt_tokens", PROMPT_TOKENS).put("completion_tokens", completionTokens)
      .put("total_tokens", PROMPT_TOKENS + completionTokens);
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }
}
