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
 * @param reset where to drop the connection instead of answering
 * @param malformedEventAt the SSE event at this index is replaced by one that is not JSON (-1: none)
 */
public record Behaviour(int status, String errorBody, Map<String, String> headers, long headDelayMillis, String rawBody,
                        String[] pieces, long chunkDelayMillis, int cutAfterEvents, boolean stallAtEnd,
                        boolean omitUsage, boolean omitDone, int completionTokens,
                        Function<Integer, Future<Void>> gate, Reset reset, int malformedEventAt) {

  /** Where the fake drops the connection. */
  public enum Reset {
    NONE,
    /** Before sending anything: the gateway sees the connection close with no response. */
    BEFORE_HEAD,
    /** After a 200 head, before any byte of the body. */
    AFTER_HEAD
  }

  public static Behaviour ok() {
    return new Behaviour(200, null, Map.of(), 0, null, FakeProvider.ANSWER.split("(?<= )"), 0, -1, false, false, false,
      5, i -> Future.succeededFuture(), Reset.NONE, -1);
  }

  /** An OpenAI-style error answer. */
  public static Behaviour error(int status, String code, String message) {
    JsonObject body = new JsonObject().put("error", new JsonObject().put("message", message)
      .put("type", status == 429 ? "rate_limit_error" : "invalid_request_error").put("code", code).put("param", null));
    return new Behaviour(status, body.encode(), Map.of(), 0, null, new String[0], 0, -1, false, false, false, 0,
      i -> Future.succeededFuture(), Reset.NONE, -1);
  }

  public Behaviour withHeaders(Map<String, String> headers) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate, reset, malformedEventAt);
  }

  public Behaviour withHeadDelay(long millis) {
    return new Behaviour(status, errorBody, headers, millis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate, reset, malformedEventAt);
  }

  /** A 200 answer whose body is exactly {@code raw} (for malformed upstream answers). */
  public Behaviour withRawBody(String raw) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, raw, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate, reset, malformedEventAt);
  }

  /** Streams these content pieces; usage reports {@code pieces.length} completion tokens. */
  public Behaviour withPieces(String... pieces) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, pieces.length, gate, reset, malformedEventAt);
  }

  public Behaviour withChunkDelay(long millis) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, millis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate, reset, malformedEventAt);
  }

  public Behaviour cutAfter(int events) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, events,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate, reset, malformedEventAt);
  }

  /** Streams: sends every event but never ends the response. JSON: sends the head and half the body, then nothing. */
  public Behaviour stalling() {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      true, omitUsage, omitDone, completionTokens, gate, reset, malformedEventAt);
  }

  public Behaviour withoutUsage() {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, true, omitDone, completionTokens, gate, reset, malformedEventAt);
  }

  public Behaviour withoutDone() {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, true, completionTokens, gate, reset, malformedEventAt);
  }

  public Behaviour withGate(Function<Integer, Future<Void>> gate) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate, reset, malformedEventAt);
  }

  /** Drops the connection at {@code where} instead of answering. */
  public Behaviour resetting(Reset where) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate, where, malformedEventAt);
  }

  /** Replaces the SSE event at {@code index} (0 is the role chunk) by one that is not valid JSON. */
  public Behaviour withMalformedEventAt(int index) {
    return new Behaviour(status, errorBody, headers, headDelayMillis, rawBody, pieces, chunkDelayMillis, cutAfterEvents,
      stallAtEnd, omitUsage, omitDone, completionTokens, gate, reset, index);
  }

  String text() {
    return String.join("", pieces);
  }
}
