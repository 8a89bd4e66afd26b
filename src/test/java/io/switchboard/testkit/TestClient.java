package io.switchboard.testkit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** A blocking HTTP client for tests (call it from the JUnit thread, never from an event loop). */
public final class TestClient {

  /** A whole HTTP answer. */
  public record Result(int status, MultiMap headers, Buffer body) {
    public JsonObject json() {
      return body.toJsonObject();
    }

    public JsonObject error() {
      return json().getJsonObject("error");
    }

    /** The SSE events of a streamed body: each event's text without the trailing blank line. */
    public List<String> events() {
      List<String> events = new ArrayList<>();
      for (String event : body.toString().split("\n\n")) {
        if (!event.isBlank()) {
          events.add(event);
        }
      }
      return events;
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final int port;

  TestClient(Vertx vertx, int port) {
    this.vertx = vertx;
    this.http = vertx.createHttpClient();
    this.port = port;
  }

  public Result get(String path) {
    return send(HttpMethod.GET, path, null, Map.of());
  }

  public Result post(String path, String body) {
    return send(HttpMethod.POST, path, Buffer.buffer(body), Map.of("content-type", "application/json"));
  }

  public Result post(String path, JsonObject body) {
    return post(path, body.encode());
  }

  /** Posts {@code body} as JSON; the future completes with the whole answer. */
  public Future<Result> sendAsync(String path, JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
      .setURI(path).addHeader("content-type", "application/json");
    Promise<Result> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> http.request(options)
      .compose(req -> req.send(body.toBuffer()))
      .compose(resp -> resp.body().map(b -> new Result(resp.statusCode(), resp.headers(), b)))
      .onComplete(result));
    return result.future();
  }

  public Result send(HttpMethod method, String path, Buffer body, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    headers.forEach(options::addHeader);
    // the chain runs on an event loop: built on the caller's thread, its response handlers could be attached after
    // the response began, losing the body (the call then hangs until the await gives up)
    Promise<Result> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> http.request(options)
      .compose(req -> body == null ? req.send() : req.send(body))
      .compose(resp -> resp.body().map(b -> new Result(resp.statusCode(), resp.headers(), b)))
      .onComplete(result));
    return FakeProvider.await(result.future());
  }

  /**
   * Posts a streaming request and hands each received network chunk to {@code onChunk} as it arrives, with the
   * response (to close it early). Completes when the response ends or fails.
   */
  public Future<Result> stream(String path, JsonObject body, BiConsumer<HttpClientResponse, Buffer> onChunk) {
    Promise<Result> done = Promise.promise();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
      .setURI(path).addHeader("content-type", "application/json");
    vertx.getOrCreateContext().runOnContext(ignored -> http.request(options)
      .compose(req -> req.send(body.toBuffer()))
      .onSuccess(resp -> {
        Buffer all = Buffer.buffer();
        resp.handler(chunk -> {
          all.appendBuffer(chunk);
          onChunk.accept(resp, chunk);
        });
        resp.exceptionHandler(done::tryFail);
        resp.endHandler(v -> done.tryComplete(new Result(resp.statusCode(), resp.headers(), all)));
      })
      .onFailure(done::tryFail));
    return done.future();
  }

  public void close() {
    http.close();
  }
}
