package io.switchboard.learn;

import io.switchboard.bus.Addresses;
import io.switchboard.route.EscalationRecord;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the gateway learns without being told: answers (0.1 of a success each), escalations (a failure of the model
 * escalated from), broken upstream answers (half a failure) and retries of the same prompt (half a failure of the
 * model that answered the first time); availability problems teach nothing.
 */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ImplicitSignalsTest extends GatewayTest {

  private static final String SMALL_TALK = "hi, how are you?";

  private TestClient.Result chat(String text) {
    TestClient.Result result = client.post("/v1/chat/completions", Chats.chat("auto", text));
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    return result;
  }

  @Test
  void an_escalation_is_a_failure_of_the_model_escalated_from() {
    vertx.eventBus().publish(Addresses.ESCALATION_RECORDED, new EscalationRecord("req_1", "auto", "debugging",
      "fake-cheap", "fake-premium", "refusal", System.currentTimeMillis()));

    Poll.until(() -> assertThat(Estimates.failures(admin, "fake-cheap", "debugging")).isCloseTo(1, within(1e-4)));
    assertThat(Estimates.of(admin, "fake-premium", "debugging")).isEmpty();
    assertThat(gateway.metric("switchboard.learning.signals", Map.of("signal", "escalation"))).isEqualTo(1);
  }

  @Test
  void a_broken_answer_counts_against_the_model_that_gave_it() {
    upstream.on("fake-cheap", Behaviour.ok().withRawBody("{\"object\":\"chat.completion\"}"));

    TestClient.Result result = chat(SMALL_TALK);

    String servedBy = result.headers().get("x-switchboard-model");
    assertThat(servedBy).as("a fallback answered").isNotEqualTo("fake-cheap");
    Poll.until(() -> assertThat(Estimates.failures(admin, "fake-cheap", "conversation")).isCloseTo(0.5, within(1e-4)));
    assertThat(Estimates.successes(admin, "fake-cheap", "conversation")).isZero();
    assertThat(Estimates.successes(admin, servedBy, "conversation")).isCloseTo(0.1, within(1e-4));
  }

  @Test
  void an_unavailable_model_is_not_a_bad_one() {
    upstream.on("fake-cheap", Behaviour.error(503, "overloaded", "try later"));

    TestClient.Result result = chat(SMALL_TALK);

    String servedBy = result.headers().get("x-switchboard-model");
    Poll.until(() -> assertThat(Estimates.successes(admin, servedBy, "conversation")).isCloseTo(0.1, within(1e-4)));
    assertThat(Estimates.of(admin, "fake-cheap", "conversation")).isEmpty();
  }

  @Test
  void asking_the_same_prompt_again_counts_against_the_first_answer() {
    chat(SMALL_TALK);
    chat("  HI, how are   you? ");   // the same prompt, spelled differently

    Poll.until(() -> assertThat(Estimates.failures(admin, "fake-cheap", "conversation")).isCloseTo(0.5, within(1e-4)));
    assertThat(Estimates.successes(admin, "fake-cheap", "conversation")).isCloseTo(0.2, within(1e-4));
    assertThat(gateway.metric("switchboard.learning.signals", Map.of("signal", "retry"))).isEqualTo(1);
  }

  @Test
  void a_different_prompt_is_no_retry() {
    chat(SMALL_TALK);
    chat("hello there, nice weather today");

    Poll.until(() -> assertThat(Estimates.successes(admin, "fake-cheap", "conversation")).isCloseTo(0.2, within(1e-4)));
    assertThat(Estimates.failures(admin, "fake-cheap", "conversation")).isZero();
  }

  @Test
  void a_streamed_answer_cut_midway_is_a_broken_answer() {
    upstream.on("fake-cheap", Behaviour.ok().cutAfter(3));

    TestClient.Result result = client.post("/v1/chat/completions", Chats.streaming("auto", SMALL_TALK));

    assertThat(result.body().toString()).as("the answer had started").contains("Hello").contains("\"error\"")
      .doesNotContain("[DONE]");
    Poll.until(() -> assertThat(Estimates.failures(admin, "fake-cheap", "conversation")).isCloseTo(0.5, within(1e-4)));
    assertThat(Estimates.successes(admin, "fake-cheap", "conversation")).isZero();
  }

  @Test
  void a_client_leaving_mid_stream_says_nothing_about_the_model() {
    String[] pieces = new String[200];
    java.util.Arrays.fill(pieces, "word ");
    upstream.on("fake-cheap", Behaviour.ok().withPieces(pieces).withChunkDelay(20));
    AtomicInteger chunks = new AtomicInteger();

    client.stream("/v1/chat/completions", Chats.streaming("auto", SMALL_TALK), (response, chunk) -> {
      if (chunks.incrementAndGet() == 3) {
        response.request().connection().close();
      }
    });

    Poll.until(() -> assertThat(upstream.attempts("fake-cheap")).singleElement()
      .satisfies(attempt -> assertThat(attempt.aborted()).isTrue()));
    // the next request's answer is counted after the aborted one's facts: nothing in between moved the estimate
    chat("something else entirely");
    Poll.until(() -> assertThat(Estimates.successes(admin, "fake-cheap", "conversation")).isPositive());
    assertThat(Estimates.failures(admin, "fake-cheap", "conversation")).isZero();
  }
}
