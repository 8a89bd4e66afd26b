package io.switchboard.provider;

import io.switchboard.testkit.FakeAnthropic;
import io.switchboard.testkit.FakeAnthropic.Reply;
import io.switchboard.testkit.Poll;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A translated stream keeps the relay's backpressure: a client that stops reading holds Anthropic back; so does a
 * stream relayed untouched to an Anthropic client (the same-dialect path).
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnthropicBackpressureTest extends DialectRig {

  private static final int PIECES = 40_000;
  private static final int PIECE_CHARS = 1_000;

  @Test
  void a_client_that_stops_reading_holds_the_anthropic_stream_back_and_then_gets_every_byte() throws Exception {
    heldBackThenWhole("/v1/chat/completions", chat("claude", "a long answer please").put("stream", true), 0);
  }

  @Test
  void an_anthropic_client_that_stops_reading_holds_the_relayed_stream_back_and_then_gets_every_byte()
    throws Exception {
    // Anthropic's own events name stop_sequence twice (message_start, message_delta): two q's besides the text
    heldBackThenWhole("/v1/messages", chat("claude", "a long answer please").put("max_tokens", 8_000)
      .put("stream", true), 2);
  }

  @Test
  void an_anthropic_client_leaving_a_relayed_stream_aborts_the_upstream_and_is_recorded_as_gone() throws Exception {
    anthropic.on("claude-fake-sonnet",
      Reply.text("q".repeat(PIECES * PIECE_CHARS), FakeAnthropic.usage(10, 0, 0, PIECES)));
    HttpClient http = vertx.createHttpClient();
    AtomicLong received = new AtomicLong();
    Promise<Void> closed = Promise.promise();
    vertx.runOnContext(v -> http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(gateway.port()).setURI("/v1/messages").addHeader("content-type", "application/json")
        .addHeader("anthropic-version", "2023-06-01"))
      .compose(req -> req.send(chat("claude", "a long answer please").put("max_tokens", 8_000).put("stream", true)
        .toBuffer()))
      .onSuccess(resp -> resp.handler(chunk -> {
        if (received.addAndGet(chunk.length()) > 100_000 && !closed.future().isComplete()) {
          resp.request().connection().close().onComplete(closed);
        }
      }))
      .onFailure(closed::tryFail));
    closed.future().await(20, TimeUnit.SECONDS);

    Poll.until(() -> assertThat(gateway.metric("switchboard.requests",
      Map.of("model", "claude", "status", "client_closed"))).isEqualTo(1.0));
    int sent = waitUntilProgressStops();
    assertThat(anthropic.streamCompleted()).isFalse();
    assertThat(sent).isLessThan(PIECES / 2);
    http.close();
  }

  /** @param framingQs the q's the stream carries outside the answer's text */
  private void heldBackThenWhole(String path, JsonObject body, int framingQs) throws Exception {
    anthropic.on("claude-fake-sonnet",
      Reply.text("q".repeat(PIECES * PIECE_CHARS), FakeAnthropic.usage(10, 0, 0, PIECES)));
    HttpClient http = vertx.createHttpClient();
    Promise<HttpClientResponse> head = Promise.promise();
    vertx.runOnContext(v -> http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(gateway.port()).setURI(path).addHeader("content-type", "application/json")
        .addHeader("anthropic-version", "2023-06-01"))
      .compose(req -> req.send(body.toBuffer()))
      .onSuccess(resp -> {
        resp.pause();
        head.complete(resp);
      })
      .onFailure(head::fail));
    HttpClientResponse response = head.future().await(10, TimeUnit.SECONDS);

    int stalledAt = waitUntilProgressStops();
    assertThat(anthropic.streamCompleted()).isFalse();
    assertThat(stalledAt).as("events Anthropic could send while the client read nothing").isLessThan(PIECES / 2);

    AtomicLong payload = new AtomicLong();
    Promise<Void> ended = Promise.promise();
    vertx.runOnContext(v -> {
      response.handler(chunk -> {
        for (int i = 0; i < chunk.length(); i++) {
          if (chunk.getByte(i) == 'q') {
            payload.incrementAndGet();
          }
        }
      });
      response.endHandler(ended::complete);
      response.exceptionHandler(ended::fail);
      response.resume();
    });
    ended.future().await(40, TimeUnit.SECONDS);

    assertThat(payload.get()).isEqualTo((long) PIECES * PIECE_CHARS + framingQs);
    assertThat(anthropic.streamCompleted()).isTrue();
    http.close();
  }

  /** Samples the fake's progress until it stops moving: the pipes between it and the client are full. */
  private int waitUntilProgressStops() throws Exception {
    int previous = -1;
    for (int i = 0; i < 100; i++) {
      Promise<Void> timer = Promise.promise();
      vertx.setTimer(200, id -> timer.complete());
      Future.await(timer.future());
      int now = anthropic.sentEvents();
      if (now > 0 && now == previous) {
        return now;
      }
      previous = now;
    }
    return anthropic.sentEvents();
  }
}
