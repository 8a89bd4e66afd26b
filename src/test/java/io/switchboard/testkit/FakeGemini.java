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
import java.util.stream.Collectors;

/**
 * A real Gemini upstream on 127.0.0.1 (port 0) for tests: {@code POST /v1beta/models/NAME:generateContent} and
 * {@code :streamGenerateContent?alt=sse} (events delimited by CRLF, as Google sends them, the stream ending by
 * closing after the event with the finish reason), and Google-shaped errors. Answers are chosen per model.
 */
public final class FakeGemini {

  /** One request the fake received. */
  public record Received(String path, String query, JsonObject body, Map<String, String> headers) {
  }

  /**
   * An answer: an error ({@code status} 400 and up) or a candidate with these parts.
   *
   * @param usage Gemini's usageMetadata
   */
  public record Reply(int status, JsonObject error, Map<String, String> headers, JsonArray parts, String finishReason,
                      JsonObject usage) {

    public static Reply parts(JsonArray parts, String finishReason, JsonObject usage) {
      return new Reply(200, null, Map.of(), parts, finishReason, usage);
    }

    public static Reply text(String text, JsonObject usage) {
      return parts(new JsonArray().add(new JsonObject().put("text", text)), "STOP", usage);
    }

    /** A Google API error, e.g. 429 RESOURCE_EXHAUSTED or 400 INVALID_ARGUMENT with reason API_KEY_INVALID. */
    public static Reply error(int status, String grpcStatus, String message, String reason,
                              Map<String, String> headers) {
      JsonObject error = new JsonObject().put("code", status).put("message", message).put("status", grpcStatus);
      if (reason != null) {
        error.put("details", new JsonArray().add(new JsonObject()
          .put("@type", "type.googleapis.com/google.rpc.ErrorInfo").put("reason", reason)));
      }
      return new Reply(status, new JsonObject().put("error", error), headers, null, null, null);
    }

    /** A 429 RESOURCE_EXHAUSTED as Google sends it: no Retry-After header, a RetryInfo detail instead. */
    public static Reply quotaExceeded(String retryDelay) {
      JsonObject error = new JsonObject().put("code", 429).put("message", "You exceeded your current quota")
        .put("status", "RESOURCE_EXHAUSTED").put("details", new JsonArray().add(new JsonObject()
          .put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", retryDelay)));
      return new Reply(429, new JsonObject().put("error", error), Map.of(), null, null, null);
    }
  }

  private final Vertx vertx;
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  public FakeGemini(Vertx vertx) {
    this.vertx = vertx;
  }

  public FakeGemini start() {
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
    return "http://127.0.0.1:" + server.actualPort() + "/v1beta";
  }

  public FakeGemini on(String model, Reply reply) {
    replies.put(model, reply);
    return this;
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  /** Gemini usageMetadata. */
  public static JsonObject usage(long prompt, long cached, long candidates, long thoughts) {
    return new JsonObject().put("promptTokenCount", prompt).put("cachedContentTokenCount", cached)
      .put("candidatesTokenCount", candidates).put("thoughtsTokenCount", thoughts)
      .put("totalTokenCount", prompt + candidates + thoughts);
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    int colon = path.lastIndexOf(':');
    if (!path.startsWith("/v1beta/models/") || colon < 0) {
      request.response().setStatusCode(404).end();
      return;
    }
    String model = path.substring("/v1beta/models/".length(), colon);
    String method = path.substring(colon + 1);
    request.body().onSuccess(raw -> {
      received.add(new Received(path, request.query(), raw.toJsonObject(), request.headers().entries().stream()
        .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue, (a, b) -> a))));
      HttpServerResponse response = request.response();
      if (request.getHeader("x-goog-api-key") == null) {
        send(response,
          Reply.error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers", null, Map.of()));
        return;
      }
      Reply reply = replies.getOrDefault(model, Reply.text("Hello from Gemini.", usage(8, 0, 4, 0)));
      if (reply.status() >= 400) {
        send(response, reply);
      } else if (method.equals("streamGenerateContent") && "alt=sse".equals(request.query())) {
        stream(response, model, reply);
      } else if (method.equals("generateContent")) {
        response.putHeader("content-type", "application/json")
          .end(answer(model, reply.parts(), reply.finishReason(), reply.usage()).toBuffer());
      } else {
        send(response, Reply.error(400, "INVALID_ARGUMENT", "unknown method", null, Map.of()));
      }
    });
  }

  private static void send(HttpServerResponse response, Reply reply) {
    reply.headers().forEach(response::putHeader);
    response.setStatusCode(reply.status()).putHeader("content-type", "application/json").end(reply.error().toBuffer());
  }

  private static JsonObject answer(String model, JsonArray parts, String finishReason, JsonObject usage) {
    JsonObject candidate = new JsonObject().put("content", new JsonObject().put("role", "model").put("parts", parts))
      .put("index", 0);
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    return new JsonObject().put("candidates", new JsonArray().add(candidate)).put("usageMetadata", usage)
      .put("modelVersion", model).put("responseId", "resp-fake");
  }

  /** One event per part (text split in two), the last carrying the finish reason and the final usage. */
  private static void stream(HttpServerResponse response, String model, Reply reply) {
    List<JsonObject> events = new ArrayList<>();
    JsonObject partial = reply.usage().copy().put("candidatesTokenCount", 1);
    for (int i = 0; i < reply.parts().size(); i++) {
      JsonObject part = reply.parts().getJsonObject(i);
      if (part.getValue("text") instanceof String text && !Boolean.TRUE.equals(part.getValue("thought"))) {
        int mid = text.length() / 2;
        JsonObject head = new JsonObject().put("text", text.substring(0, mid));
        JsonObject tail = new JsonObject().put("text", text.substring(mid));
        events.add(answer(model, new JsonArray().add(head), null, partial));
        events.add(answer(model, new JsonArray().add(tail), null, partial));
      } else {
        events.add(answer(model, new JsonArray().add(part.copy()), null, partial));
      }
    }
    events.add(answer(model, new JsonArray(), reply.finishReason(), reply.usage()));
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    for (JsonObject event : events) {
      response.write(Buffer.buffer("data: ").appendBuffer(event.toBuffer()).appendString("\r\n\r\n"));
    }
    response.end();
  }
}
