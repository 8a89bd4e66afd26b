package io.switchboard.responses;

import io.switchboard.testkit.Attempt;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.GatewayTest;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The Responses event stream rides on the chat relay's backpressure: a client that stops reading holds it back. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ResponsesBackpressureTest extends GatewayTest {

  private static final int PIECES = 20_000;
  private static final int PIECE_BYTES = 1_000;

  @Test
  void a_client_that_stops_reading_holds_the_upstream_back_and_then_gets_every_event() throws Exception {
    String[] pieces = new String[PIECES];
    Arrays.fill(pieces, "Z".repeat(PIECE_BYTES));
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces));
    HttpClient http = vertx.createHttpClient();
    Promise<HttpClientResponse> head = Promise.promise();
    JsonObject body = new JsonObject().put("model", "fake-cheap").put("input", "a long answer please")
      .put("stream", true).put("store", false);
    vertx.runOnContext(v -> http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(gateway.port()).setURI("/v1/responses").addHeader("content-type", "application/json"))
      .compose(req -> req.send(body.toBuffer()))
      .onSuccess(resp -> {
        resp.pause();
        head.complete(resp);
      })
      .onFailure(head::fail));
    HttpClientResponse response = head.future().await(10, TimeUnit.SECONDS);

    Attempt attempt = upstream.lastAttempt();
    int stalledAt = waitUntilProgressStops(attempt);
    assertThat(attempt.completed()).isFalse();
    assertThat(stalledAt).as("events the upstream could send while the client read nothing").isLessThan(PIECES / 2);

    AtomicLong payloadBytes = new AtomicLong();
    Promise<Void> ended = Promise.promise();
    vertx.runOnContext(v -> {
      response.handler(chunk -> {
        for (int i = 0; i < chunk.length(); i++) {
          if (chunk.getByte(i) == 'Z') {
            payloadBytes.incrementAndGet();
          }
        }
      });
      response.endHandler(ended::complete);
      response.exceptionHandler(ended::fail);
      response.resume();
    });
    ended.future().await(30, TimeUnit.SECONDS);

    // the deltas, then the whole text again in output_text.done, content_part.done, output_item.done and the
    // response of response.completed: the last event arrived
    assertThat(payloadBytes.get()).isEqualTo(5L * PIECES * PIECE_BYTES);
    assertThat(attempt.completed()).isTrue();
    http.close();
  }

  /** Samples the upstream's progress until it stops moving: the pipes between it and the client are full. */
  private int waitUntilProgressStops(Attempt attempt) throws Exception {
    int previous = -1;
    for (int i = 0; i < 100; i++) {
      Promise<Void> timer = Promise.promise();
      vertx.setTimer(200, id -> timer.complete());
      Future.await(timer.future());
      int now = attempt.sentEvents();
      if (now > 0 && now == previous) {
        return now;
      }
      previous = now;
    }
    return attempt.sentEvents();
  }
}
