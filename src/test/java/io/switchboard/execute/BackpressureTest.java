package io.switchboard.execute;

import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.Attempt;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BackpressureTest extends GatewayTest {

  private static final int PIECES = 60_000;
  private static final int PIECE_BYTES = 1_000;

  @Test
  void a_client_that_stops_reading_holds_the_upstream_back_and_then_gets_every_byte() throws Exception {
    String[] pieces = new String[PIECES];
    Arrays.fill(pieces, "q".repeat(PIECE_BYTES));
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces));
    HttpClient http = vertx.createHttpClient();
    Promise<HttpClientResponse> head = Promise.promise();
    vertx.runOnContext(v -> http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(gateway.port()).setURI("/v1/chat/completions").addHeader("content-type", "application/json"))
      .compose(req -> req.send(Chats.streaming("fake-cheap", "a long answer please").toBuffer()))
      .onSuccess(resp -> {
        resp.pause();
        head.complete(resp);
      })
      .onFailure(head::fail));
    HttpClientResponse response = head.future().await(10, TimeUnit.SECONDS);

    Attempt attempt = upstream.lastAttempt();
    long t0 = System.nanoTime();
    int stalledAt = waitUntilProgressStops(attempt);
    System.out.printf("upstream stalled at %d of %d events after %d ms%n", stalledAt, PIECES, (System.nanoTime() - t0) / 1_000_000);
    assertThat(attempt.completed()).isFalse();
    assertThat(stalledAt).as("events the upstream could send while the client read nothing").isLessThan(PIECES / 2);

    AtomicLong payloadBytes = new AtomicLong();
    Promise<Void> ended = Promise.promise();
    vertx.runOnContext(v -> {
      response.handler(chunk -> {
        for (int i = 0; i < chunk.length(); i++) {
          if (chunk.getByte(i) == 'q') {
            payloadBytes.incrementAndGet();
          }
        }
      });
      response.endHandler(ended::complete);
      response.exceptionHandler(ended::fail);
      response.resume();
    });
    long t1 = System.nanoTime();
    ended.future().await(30, TimeUnit.SECONDS);
    System.out.printf("rest read in %d ms%n", (System.nanoTime() - t1) / 1_000_000);

    assertThat(payloadBytes.get()).isEqualTo((long) PIECES * PIECE_BYTES);
    assertThat(attempt.completed()).isTrue();
    http.close();
  }

  /** Samples the upstream's progress until it stops moving: the pipes between it and the client are full. */
  private int waitUntilProgressStops(Attempt attempt) throws Exception {
    int previous = -1;
    for (int i = 0; i < 100; i++) {
      pause(200);
      int now = attempt.sentEvents();
      if (now > 0 && now == previous) {
        return now;
      }
      previous = now;
    }
    return attempt.sentEvents();
  }

  private void pause(long millis) throws Exception {
    Promise<Void> timer = Promise.promise();
    vertx.setTimer(millis, id -> timer.complete());
    Future.await(timer.future());
  }
}
