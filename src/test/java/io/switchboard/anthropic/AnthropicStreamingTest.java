package io.switchboard.anthropic;

import io.switchboard.testkit.Attempt;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.TestClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The Anthropic event stream rides the chat relay: chunk by chunk, with backpressure, cancelled with its client. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnthropicStreamingTest extends GatewayTest {

  private static final String DELTA = "event: content_block_delta\n";

  private static JsonObject streaming() {
    return MessagesEndpointTest.hello("fake-cheap").put("stream", true);
  }

  /** Counts whole content_block_delta events in a stream read chunk by chunk. */
  private static final class DeltaCounter {
    private final StringBuilder seen = new StringBuilder();
    private int from;
    private int count;

    int feed(Buffer chunk) {
      seen.append(chunk.toString());
      for (int at = seen.indexOf(DELTA, from); at >= 0; at = seen.indexOf(DELTA, from)) {
        count++;
        from = at + DELTA.length();
      }
      return count;
    }
  }

  @Test
  void each_delta_reaches_the_client_before_the_upstream_writes_the_next_chunk() {
    int n = 300;
    String[] pieces = new String[n];
    for (int i = 0; i < n; i++) {
      pieces[i] = "w" + i + " ";
    }
    // upstream events: 0 role, 1..n pieces, then finish, usage, [DONE]. Event i is written only once the client
    // holds i-1 text deltas: a front door that buffered the stream would deadlock here.
    List<Promise<Void>> gates = Stream.generate(Promise::<Void>promise).limit(n + 1).toList();
    gates.get(0).complete();
    gates.get(1).complete();
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces)
      .withGate(i -> i < gates.size() ? gates.get(i).future() : Future.succeededFuture()));
    DeltaCounter counter = new DeltaCounter();
    AtomicInteger opened = new AtomicInteger(1);
    AtomicInteger mostAhead = new AtomicInteger(Integer.MIN_VALUE);

    TestClient.Result result = FakeProvider.await(client.stream("/v1/messages", streaming(), (resp, chunk) -> {
      int held = counter.feed(chunk);
      if (held < n) {
        mostAhead.accumulateAndGet(upstream.lastAttempt().sentEvents() - 1 - held, Math::max);
      }
      while (opened.get() < Math.min(held + 1, gates.size() - 1)) {
        gates.get(opened.incrementAndGet()).complete();
      }
    }));

    assertThat(result.status()).isEqualTo(200);
    assertThat(mostAhead.get()).as("upstream pieces written ahead of the client").isLessThanOrEqualTo(1);
    StringBuilder text = new StringBuilder();
    MessagesEndpointTest.events(result).stream().filter(e -> e.getKey().equals("content_block_delta"))
      .forEach(e -> text.append(e.getValue().getJsonObject("delta").getString("text")));
    assertThat(text).hasToString(String.join("", pieces));
  }

  @Test
  void a_client_that_stops_reading_holds_the_upstream_back_and_then_gets_every_byte() throws Exception {
    int count = 30_000;
    String[] pieces = new String[count];
    Arrays.fill(pieces, "Z".repeat(1_000));   // no Z in event names or JSON keys
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces));
    HttpClient http = vertx.createHttpClient();
    Promise<HttpClientResponse> head = Promise.promise();
    vertx.runOnContext(v -> http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(gateway.port()).setURI("/v1/messages").addHeader("content-type", "application/json"))
      .compose(req -> req.send(streaming().toBuffer()))
      .onSuccess(resp -> {
        resp.pause();
        head.complete(resp);
      })
      .onFailure(head::fail));
    HttpClientResponse response = head.future().await(10, TimeUnit.SECONDS);

    Attempt attempt = upstream.lastAttempt();
    int stalledAt = waitUntilProgressStops(attempt);
    assertThat(attempt.completed()).isFalse();
    assertThat(stalledAt).as("events the upstream could send while the client read nothing").isLessThan(count / 2);

    AtomicLong payload = new AtomicLong();
    StringBuilder tail = new StringBuilder();
    Promise<Void> ended = Promise.promise();
    vertx.runOnContext(v -> {
      response.handler(chunk -> {
        for (int i = 0; i < chunk.length(); i++) {
          if (chunk.getByte(i) == 'Z') {
            payload.incrementAndGet();
          }
        }
        tail.append(chunk.toString());
        tail.delete(0, Math.max(0, tail.length() - 200));
      });
      response.endHandler(ended::complete);
      response.exceptionHandler(ended::fail);
      response.resume();
    });
    ended.future().await(30, TimeUnit.SECONDS);

    assertThat(payload.get()).isEqualTo((long) count * 1_000);
    assertThat(tail.toString()).contains("event: message_stop");
    assertThat(attempt.completed()).isTrue();
    http.close();
  }

  @Test
  void a_client_closing_the_stream_aborts_the_upstream_call() throws InterruptedException {
    String[] pieces = new String[200];
    Arrays.fill(pieces, "slow ");
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces).withChunkDelay(20));
    DeltaCounter counter = new DeltaCounter();
    AtomicBoolean closed = new AtomicBoolean();

    client.stream("/v1/messages", streaming(), (resp, chunk) -> {
      if (counter.feed(chunk) >= 3 && closed.compareAndSet(false, true)) {
        resp.request().connection().close();
      }
    });

    assertThat(waitForAttempt().awaitAborted(5_000)).isTrue();
    assertThat(upstream.lastAttempt().completed()).isFalse();
    assertThat(upstream.lastAttempt().sentEvents()).isLessThan(pieces.length);
  }

  private Attempt waitForAttempt() throws InterruptedException {
    for (int i = 0; i < 250 && upstream.attempts().isEmpty(); i++) {
      Thread.sleep(20);
    }
    return upstream.lastAttempt();
  }

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
