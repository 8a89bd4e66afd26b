package io.switchboard.testkit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.function.Function;

/**
 * What the {@link FakeProvider} does with one request.
 *
 * @param cutAfterEvents reset the connection after this many SSE events (-1: never)
 * @param gate called before each SSE event is written; the event waits for the returned future
 */
public record Behaviour(int status, String errorBody, Map<String, String> headers, long headDelayMillis, String rawBody,
                        String[] pieces, long chunkDelayMillis, int cutAfterEvents, boolean stallAtEnd,
                        boolean omitUsage, boolean omitDone, int completionTokens,
                        Function<Integer, Future<Void>> gate) {

  public static Behaviour ok() {
    return new Behaviour(200, null, Map.of(), 0, null, FakeProvider.ANSWER.split("(?<= )"), 0, -1, false, false, false,
      5, i -> Future.succeededFuture());
  }

  /** An OpenAI-style error answer. */
  public static Behaviour error(int status, String code, String message) {
    JsonObject body = new JsonObject().put("error", new JsonObject().put("message", message)
      .put("type", status == 429 ? "rate_limit_error" : "invalid_request_error").put("code", code).put("param", null));
    return new Behaviour(status, body.encode(), Map.of(), 0, null, new String[0], 0, -1, false, false, false, 0,
      i -> Future.succeededFuture());
  }

  public Behaviour withHeaders(Map<String, String> headers) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate);
  }

  public Behaviour withHeadDelay(long millis) {
    return new Behaviour(status, errorBody, headers, millis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate);
  }

  /** A 200 answer whose body is exactly {@code raw} (for malformed upstream answers). */
  public Behaviour withRawBody(String raw) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, raw, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate);
  }

  /** Streams these content pieces; usage reports {@code pieces.length} completion tokens. */
  public Behaviour withPieces(String... pieces) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, pieces.length, gate);
  }

  public Behaviour withChunkDelay(long millis) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, millis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate);
  }

  public Behaviour cutAfter(int events) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, events,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate);
  }

  /** Streams: sends every event but never ends the response. JSON: sends the head and half the body, then nothing. */
  public Behaviour stalling() {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      true, omitUsage, omitDone, completionTokens, gate);
  }

  public Behaviour withoutUsage() {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, true, omitDone, completionTokens, gate);
  }

  public Behaviour withoutDone() {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, true, completionTokens, gate);
  }

  public Behaviour withGate(Function<Integer, Future<Void>> gate) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate);
  }

  String text() {
    return String.join("", pieces);
  }
}
