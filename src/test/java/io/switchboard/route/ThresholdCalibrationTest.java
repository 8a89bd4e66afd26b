package io.switchboard.route;

import io.switchboard.classify.Classifier;
import io.switchboard.classify.ClassifierLoader;
import io.switchboard.classify.ClassifyRequest;
import io.switchboard.classify.Complexity;
import io.switchboard.classify.PromptText;
import io.switchboard.classify.TaskType;
import io.switchboard.config.ClassifierConfig;
import io.switchboard.config.ConfigException;
import io.switchboard.config.GatewayConfig;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** A threshold set as a target share of premium calls, calibrated on a reference set at start. */
@Timeout(10)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ThresholdCalibrationTest {

  @TempDir
  Path dir;

  private static final List<Double> SCORES = List.of(0.1, 0.1, 0.5, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9);

  @Test
  void the_threshold_is_the_midpoint_whose_premium_share_is_closest_to_the_target() {
    ThresholdCalibration.Result result = ThresholdCalibration.best(SCORES, 0.25);

    assertThat(result.threshold()).isEqualTo(0.3);   // below it: the two 0.1s, 20 %
    assertThat(result.premiumShare()).isEqualTo(0.2);
    assertThat(result.prompts()).isEqualTo(10);
  }

  @Test
  void a_tie_takes_the_smaller_premium_share() {
    assertThat(ThresholdCalibration.best(SCORES, 0.3).threshold()).isEqualTo(0.3);   // 20 % and 40 % are as near
    assertThat(ThresholdCalibration.best(SCORES, 0.35).threshold()).isEqualTo(0.7);
  }

  @Test
  void the_ends_send_everything_to_one_side() {
    assertThat(ThresholdCalibration.best(SCORES, 0).threshold()).isZero();
    assertThat(ThresholdCalibration.best(SCORES, 1).threshold()).isEqualTo(1.0);
    assertThat(ThresholdCalibration.best(SCORES, 1).premiumShare()).isEqualTo(1.0);
  }

  @Test
  void the_router_calibrates_on_the_reference_prompts_with_the_heuristic_classifier() throws IOException {
    Path reference = dir.resolve("reference.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      lines.add(new JsonObject().put("id", "talk-" + i).put("prompt", "hi, how are you?").encode());
    }
    lines.add("");
    for (int i = 0; i < 3; i++) {
      lines.add(new JsonObject().put("messages", new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", PolicyFixture.SECURITY_PROMPT))).encode());
    }
    Files.write(reference, lines);
    Router router = new Router(config(reference, 0.3));

    // small talk scores p_cheap_ok 0.9, critical security 0.08: their midpoint sends exactly 30 % to strong
    assertThat(router.threshold("auto:threshold")).isCloseTo(0.49, offset(1e-9));
    RouteDecision decision = router.decide(new RouteRequest("auto:threshold",
      PolicyFixture.classified(TaskType.ANALYSIS, Complexity.MEDIUM, 0.65, 0.9, 100), 0));
    assertThat(decision.model()).isEqualTo("fake-cheap");
    assertThat(decision.reasons()).anySatisfy(r -> assertThat(r)
      .contains("p_cheap_ok 0.65 >= 0.49 (calibrated: 30.0% strong on 10 reference prompts)"));
  }

  @Test
  @Timeout(60)   // loads the tier-1 model and its tokenizer
  void the_router_calibrates_with_the_classifier_the_gateway_runs() throws IOException {
    Path reference = dir.resolve("reference.jsonl");
    List<String> lines = new ArrayList<>();
    for (String prompt : List.of("hi, how are you?", PolicyFixture.SECURITY_PROMPT, "Write a haiku about autumn",
      "What is the capital of France?", "Write a Python function that reverses a linked list")) {
      lines.add(new JsonObject().put("prompt", prompt).encode());
    }
    Files.write(reference, lines);
    Classifier tier1 = ClassifierLoader.load(new ClassifierConfig(ClassifierConfig.STATIC,
      "models/static/task-classifier.onnx", "cpu", 1, 0, 1_000));
    List<Double> scores = new ArrayList<>();
    for (String line : lines) {
      scores.add(tier1.classify(PromptText.of(new ClassifyRequest(new JsonArray().add(new JsonObject()
        .put("role", "user").put("content", new JsonObject(line).getString("prompt"))), false, 0, 10))).pCheapOk());
    }

    Router router = new Router(config(reference, 0.4), SuccessEstimates.NONE, RouteObserver.NONE, tier1);

    assertThat(tier1.name()).isEqualTo("static");
    assertThat(router.threshold("auto:threshold"))
      .isEqualTo(ThresholdCalibration.best(scores, 0.4).threshold());
    assertThat(router.threshold("auto:threshold"))
      .isNotEqualTo(new Router(config(reference, 0.4)).threshold("auto:threshold"));
  }

  @Test
  void a_reference_line_that_is_not_a_prompt_is_named() throws IOException {
    Path reference = dir.resolve("bad.jsonl");
    Files.write(reference, List.of("{\"prompt\": \"hi\"}", "{\"text\": \"hi\"}"));

    assertThatThrownBy(() -> new Router(config(reference, 0.3)))
      .isInstanceOf(ConfigException.class)
      .hasMessage("routing.policies.auto:threshold.reference: line 2 has neither a 'prompt' string nor a "
        + "'messages' array");
  }

  @Test
  void a_missing_reference_is_refused_when_the_configuration_is_read() {
    assertThatThrownBy(() -> config(dir.resolve("nope.jsonl"), 0.3))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("routing.policies.auto:threshold.reference: cannot read ");
  }

  private static GatewayConfig config(Path reference, double share) {
    JsonObject json = PolicyFixture.config("http://127.0.0.1:9/v1");
    json.getJsonObject("routing").getJsonObject("policies").put("auto:threshold", new JsonObject()
      .put("type", "threshold").put("strong", "fake-premium").put("weak", "fake-cheap")
      .put("target_premium_share", share).put("reference", reference.toString()));
    return GatewayConfig.from(json, TestConfig.ENV);
  }
}
