package io.switchboard.resilience;

import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.UsageRecord;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.FaultRig;
import io.switchboard.testkit.TestClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sixteen upstream faults, each against the real gateway and a fake provider on 127.0.0.1. A fault either ends
 * in the complete answer (from a retry or a fallback) or in the documented error; never in a truncated answer
 * presented as a success, never in a hang. Every call the provider saw is one attempt fact, and exactly the
 * calls that produced tokens are billable.
 */
class FaultSuiteTest {

  /** Longer than any bound of the rig: a request still open after this is a hang. */
  private static final long HANG_MILLIS = 15_000;
  private static final String BIG_PIECE = "0123456789".repeat(1_000);
  private static final int BIG_PIECES = 3_000;

  private static FaultRig rig;

  @BeforeAll
  static void start() {
    rig = FaultRig.start();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  /** What the client must see. */
  private record Expect(int status, String model, String errorCode, boolean midStreamError, String content) {

    static Expect answerFrom(String model) {
      return new Expect(200, model, null, false, FakeProvider.ANSWER);
    }

    static Expect error(int status, String code) {
      return new Expect(status, null, code, false, null);
    }

    /** 200, part of the answer, then an error event and no [DONE]. */
    static Expect cutWith(String code) {
      return new Expect(200, null, code, true, null);
    }
  }

  /**
   * @param model the model the client asks for
   * @param setUp configures the fake provider just before the request; returns an extra check (or null)
   * @param deadAttempts calls that cannot reach the fake (connection refused)
   */
  private record Fault(String name, String model, boolean stream, Supplier<Check> setUp, Expect expect,
                       int deadAttempts) {
  }

  @FunctionalInterface
  private interface Check {
    String verify(long elapsedMillis);
  }

  private static final Check NONE = elapsed -> null;

  private static List<Fault> faults() {
    return List.of(
      new Fault("500", "primary", false, () -> {
        rig.upstream.on("primary", Behaviour.error(500, "server_error", "boom"), Behaviour.ok());
        return NONE;
      }, Expect.answerFrom("primary"), 0),
      new Fault("502", "primary", true, () -> {
        rig.upstream.on("primary", Behaviour.error(502, "bad_gateway", "bad gateway"));
        return NONE;
      }, Expect.answerFrom("backup"), 0),
      new Fault("503 with Retry-After", "primary", false, () -> {
        rig.upstream.on("primary", Behaviour.error(503, "overloaded", "busy").withHeaders(Map.of("Retry-After", "1")),
          Behaviour.ok());
        return gapAtLeast(1_000);
      }, Expect.answerFrom("primary"), 0),
      new Fault("429 with Retry-After seconds", "primary", true, () -> {
        rig.upstream.on("primary", Behaviour.error(429, "rate_limit_exceeded", "slow down")
          .withHeaders(Map.of("Retry-After", "1")), Behaviour.ok());
        return gapAtLeast(1_000);
      }, Expect.answerFrom("primary"), 0),
      new Fault("429 with Retry-After date", "primary", false, () -> {
        ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2).withNano(0);
        rig.upstream.on("primary", Behaviour.error(429, "rate_limit_exceeded", "slow down")
          .withHeaders(Map.of("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(at))), Behaviour.ok());
        long atMillis = at.toInstant().toEpochMilli();
        return elapsed -> {
          List<io.switchboard.testkit.Attempt> calls = rig.upstream.attempts("primary");
          long retriedAt = calls.get(calls.size() - 1).receivedEpochMillis();
          return retriedAt >= atMillis ? null : "retried " + (atMillis - retriedAt) + " ms before the Retry-After date";
        };
      }, Expect.answerFrom("primary"), 0),
      new Fault("connection refused", "refused", false, () -> NONE, Expect.answerFrom("backup"),
        FaultRig.MAX_ATTEMPTS),
      new Fault("reset before headers", "primary", false, () -> {
        rig.upstream.on("primary", Behaviour.ok().resetting(Behaviour.Reset.BEFORE_HEAD));
        return NONE;
      }, Expect.answerFrom("backup"), 0),
      new Fault("reset after headers, before the body", "primary", true, () -> {
        rig.upstream.on("primary", Behaviour.ok().resetting(Behaviour.Reset.AFTER_HEAD));
        return NONE;
      }, Expect.answerFrom("backup"), 0),
      new Fault("reset mid-stream", "primary", true, () -> {
        rig.upstream.on("primary", Behaviour.ok().cutAfter(3));
        return NONE;
      }, Expect.cutWith("upstream_error"), 0),
      new Fault("first byte slower than the timeout", "primary", false, () -> {
        rig.upstream.on("primary", Behaviour.ok().withHeadDelay(3 * FaultRig.FIRST_BYTE_TIMEOUT_MS));
        return elapsed -> elapsed < 3 * FaultRig.FIRST_BYTE_TIMEOUT_MS ? null
          : "waited " + elapsed + " ms: the first-byte timeout did not fire";
      }, Expect.answerFrom("backup"), 0),
      new Fault("stall mid-stream past the idle timeout", "primary", true, () -> {
        Promise<Void> never = Promise.promise();
        rig.upstream.on("primary", Behaviour.ok().withGate(i -> i == 3 ? never.future() : Future.succeededFuture()));
        return NONE;
      }, Expect.cutWith("upstream_idle_timeout"), 0),
      new Fault("malformed JSON body with 200", "primary", false, () -> {
        rig.upstream.on("primary", Behaviour.ok().withRawBody("{\"choices\":"));
        return NONE;
      }, Expect.answerFrom("backup"), 0),
      new Fault("malformed SSE line", "primary", true, () -> {
        rig.upstream.on("primary", Behaviour.ok().withMalformedEventAt(2));
        return NONE;
      }, Expect.cutWith("upstream_invalid_response"), 0),
      new Fault("200 with empty choices", "primary", false, () -> {
        rig.upstream.on("primary", Behaviour.ok().withRawBody(
          "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"primary\",\"choices\":[]}"));
        return NONE;
      }, Expect.answerFrom("backup"), 0),
      new Fault("stream ending without [DONE]", "primary", true, () -> {
        rig.upstream.on("primary", Behaviour.ok().withoutDone());
        return NONE;
      }, Expect.answerFrom("primary"), 0),
      new Fault("very large response streamed (30 MB)", "primary", true, () -> {
        String[] pieces = new String[BIG_PIECES];
        java.util.Arrays.fill(pieces, BIG_PIECE);
        rig.upstream.on("primary", Behaviour.ok().withPieces(pieces));
        return NONE;
      }, new Expect(200, "primary", null, false, BIG_PIECE.repeat(BIG_PIECES)), 0));
  }

  @Test
  void everyFaultEndsInTheAnswerOrTheDocumentedError() {
    List<Fault> faults = faults();
    List<String> failures = new ArrayList<>();
    int survived = 0;
    int truncated = 0;
    int hangs = 0;
    for (Fault fault : faults) {
      Outcome outcome = run(fault);
      truncated += outcome.truncatedSuccess ? 1 : 0;
      hangs += outcome.hang ? 1 : 0;
      if (outcome.problem == null) {
        survived++;
      } else {
        failures.add(fault.name() + ": " + outcome.problem);
      }
    }
    System.out.printf("faults survived: %d/%d, truncated successes: %d, hangs: %d%n", survived, faults.size(), truncated,
      hangs);
    assertThat(failures).isEmpty();
    assertThat(truncated).isZero();
    assertThat(hangs).isZero();
  }

  private static final class Outcome {
    String problem;
    boolean truncatedSuccess;
    boolean hang;
  }

  private static Outcome run(Fault fault) {
    Outcome outcome = new Outcome();
    int seenBefore = rig.upstream.attempts().size();
    Check check = fault.setUp().get();
    JsonObject body = fault.stream() ? Chats.streaming(fault.model(), "hi") : Chats.chat(fault.model(), "hi");
    long start = System.nanoTime();
    TestClient.Result result;
    try {
      result = send(body, fault.stream());
    } catch (TimeoutException e) {
      outcome.hang = true;
      outcome.problem = "no answer within " + HANG_MILLIS + " ms";
      return outcome;
    }
    long elapsed = nanosToMillis(System.nanoTime() - start);
    Answer answer = Answer.of(result, fault.stream());
    Expect expect = fault.expect();
    boolean looksSuccessful = result.status() == 200 && (!fault.stream() || answer.done);
    if (looksSuccessful && !java.util.Objects.equals(answer.content, expect.content())) {
      outcome.truncatedSuccess = true;
    }
    outcome.problem = firstProblem(
      result.status() == expect.status() ? null : "status " + result.status() + ", expected " + expect.status()
        + " (" + result.body().toString().substring(0, Math.min(300, result.body().length())) + ")",
      expect.model() == null || expect.model().equals(result.headers().get("x-switchboard-model")) ? null
        : "answered by " + result.headers().get("x-switchboard-model") + ", expected " + expect.model(),
      expect.content() == null || expect.content().equals(answer.content) ? null
        : "content differs (" + String.valueOf(answer.content).length() + " chars, expected " + expect.content().length() + ")",
      expect.errorCode() == null || expect.errorCode().equals(answer.errorCode) ? null
        : "error code " + answer.errorCode + ", expected " + expect.errorCode(),
      !expect.midStreamError() || (!answer.done && answer.errorCode != null) ? null
        : "a cut stream must end with an error event and no [DONE]",
      elapsed <= FaultRig.DEADLINE_MS + 2_000 ? null : "took " + elapsed + " ms, beyond the deadline",
      check.verify(elapsed),
      accounting(result, seenBefore, fault));
    return outcome;
  }

  /** What the client got: the answer's text, whether it ended with [DONE], and the error code if any. */
  private record Answer(String content, boolean done, String errorCode) {

    static Answer of(TestClient.Result result, boolean stream) {
      if (!stream || !String.valueOf(result.headers().get("content-type")).startsWith("text/event-stream")) {
        JsonObject json;
        try {
          json = result.json();
        } catch (RuntimeException notJson) {
          return new Answer(null, false, null);
        }
        if (json.containsKey("error")) {
          return new Answer(null, false, json.getJsonObject("error").getString("code"));
        }
        return new Answer(json.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"),
          false, null);
      }
      StringBuilder text = new StringBuilder();
      boolean done = false;
      String error = null;
      for (String event : result.events()) {
        if (!event.startsWith("data: ")) {
          continue;
        }
        String data = event.substring(6);
        if (data.equals("[DONE]")) {
          done = true;
          continue;
        }
        JsonObject chunk = new JsonObject(data);
        if (chunk.containsKey("error")) {
          error = chunk.getJsonObject("error").getString("code");
        } else if (!chunk.getJsonArray("choices").isEmpty()) {
          String piece = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content");
          text.append(piece == null ? "" : piece);
        }
      }
      return new Answer(text.toString(), done, error);
    }
  }

  /** Attempt facts match the calls made, and only calls that produced tokens are billed. */
  private static String accounting(TestClient.Result result, int seenBefore, Fault fault) {
    String decisionId = result.headers().get("x-request-id");
    int calls = rig.upstream.attempts().size() - seenBefore + fault.deadAttempts();
    awaitFacts(() -> rig.attemptsOf(decisionId).size(), calls);
    List<AttemptRecord> attempts = rig.attemptsOf(decisionId);
    if (attempts.size() != calls) {
      return attempts.size() + " attempt facts for " + calls + " upstream calls";
    }
    awaitFacts(() -> rig.usageOf(decisionId).size(), 1);
    List<UsageRecord> usage = rig.usageOf(decisionId);
    if (usage.size() != 1) {
      return usage.size() + " usage records, expected exactly 1";
    }
    long billable = attempts.stream().filter(AttemptRecord::billable).count();
    long expectedBillable = result.status() == 200 ? 1 : 0;
    if (billable != expectedBillable) {
      return billable + " billable attempts, expected " + expectedBillable;
    }
    if (calls > FaultRig.MAX_ATTEMPTS * 2) {
      return calls + " upstream calls: more than the retry budget allows";
    }
    return null;
  }

  /** Facts are published asynchronously: waits until {@code expected} arrived, then a little for any extra. */
  private static void awaitFacts(Supplier<Integer> count, int expected) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < until && count.get() < expected) {
      sleep(10);
    }
    sleep(50);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static TestClient.Result send(JsonObject body, boolean stream) throws TimeoutException {
    Future<TestClient.Result> answer = stream ? rig.client.stream("/v1/chat/completions", body, (r, b) -> { })
      : rig.client.sendAsync("/v1/chat/completions", body);
    return answer.await(HANG_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static Check gapAtLeast(long millis) {
    return elapsed -> {
      List<io.switchboard.testkit.Attempt> calls = rig.upstream.attempts("primary");
      long gap = nanosToMillis(calls.get(calls.size() - 1).receivedNanos() - calls.get(calls.size() - 2).receivedNanos());
      return gap >= millis ? null : "retried after " + gap + " ms, before the Retry-After of " + millis + " ms";
    };
  }

  private static long nanosToMillis(long nanos) {
    return nanos / 1_000_000;
  }

  private static String firstProblem(String... problems) {
    for (String problem : problems) {
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }
}
