package io.switchboard.api;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code classifier.tier: encoder} through {@code POST /v1/classify}: the full encoder answers, and under a burst
 * past its queue bound tier 1 answers the rest, as the answers' {@code tier} and
 * {@code switchboard_classifier_shed_total} both say.
 */
@Timeout(120)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EncoderTierEndpointTest extends GatewayTest {

  private static final Pattern SHED = Pattern.compile(
    "^switchboard_classifier_shed_total\\{reason=\"(\\w+)\",?} ([0-9.E]+)$", Pattern.MULTILINE);

  /** Runs {@code test} against a second gateway (on its own Vert.x) with this classifier section. */
  private void withGateway(JsonObject classifier, Consumer<TestClient> test) {
    Vertx other = Vertx.vertx();
    try {
      JsonObject config = TestConfig.singleProvider(upstream.baseUrl()).put("classifier", classifier);
      // generous: these tests are about who answers, not how fast a loaded machine does
      config.getJsonObject("routing").put("classify_timeout_ms", 30_000);
      GatewayUnderTest gateway = GatewayUnderTest.start(other, config);
      TestClient model = gateway.client(other);
      try {
        test.accept(model);
      } finally {
        model.close();
      }
    } finally {
      other.close().await();
    }
  }

  private static double shed(TestClient client, String reason) {
    TestClient.Result result = client.get("/metrics");
    assertThat(result.status()).isEqualTo(200);
    Matcher m = SHED.matcher(result.body().toString());
    double total = -1;
    while (m.find()) {
      if (m.group(1).equals(reason)) {
        total = Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  private static JsonObject body(int i) {
    // long enough to fill the 128 tokens the encoder reads, distinct so that no answer comes from the cache
    return Chats.chat("auto", "Request " + i + ": refactor the payment service so that retries, idempotency keys and"
      + " the ledger writes live in one transaction boundary; today the retry loop calls the gateway twice when the"
      + " database commit times out, the idempotency table is checked after the charge instead of before, and the"
      + " reconciliation job cannot tell a duplicate from a partial refund. Keep the public API unchanged.");
  }

  @Test
  void the_encoder_answers_with_probabilities_that_add_up() {
    withGateway(new JsonObject().put("tier", "encoder"), model -> {
      TestClient.Result result = model.post("/v1/classify", body(0));
      assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
      JsonObject c = result.json().getJsonObject("classification");

      assertThat(c.getString("tier")).isEqualTo("encoder");
      assertThat(c.getJsonObject("task_type_probabilities")).hasSize(17);
      assertThat(c.getJsonObject("task_type_probabilities").stream()
        .mapToDouble(e -> ((Number) e.getValue()).doubleValue()).sum()).isCloseTo(1.0, within(1e-3));
      assertThat(shed(model, "queue") + shed(model, "budget") + shed(model, "failure")).isZero();
    });
  }

  @Test
  void a_burst_past_the_queue_bound_is_answered_by_tier_1_and_counted() {
    JsonObject encoder = new JsonObject().put("workers", 1).put("max_queue", 1).put("budget_ms", 30_000);
    withGateway(new JsonObject().put("tier", "encoder").put("timeout_ms", 30_000).put("encoder", encoder),
      model -> {
        List<Future<TestClient.Result>> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          sent.add(model.sendAsync("/v1/classify", body(i)));
        }
        List<String> tiers = Future.all(sent).await().<TestClient.Result>list().stream().map(r -> {
          assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
          return r.json().getJsonObject("classification").getString("tier");
        }).toList();

        long byTierOne = tiers.stream().filter("static"::equals).count();
        assertThat(tiers).hasSize(40).allSatisfy(t -> assertThat(t).isIn("encoder", "static"));
        assertThat(byTierOne).as("requests shed to tier 1").isPositive();
        assertThat(tiers).contains("encoder");
        assertThat(shed(model, "queue")).isEqualTo((double) byTierOne);
        assertThat(shed(model, "budget") + shed(model, "failure")).isZero();
      });
  }
}
