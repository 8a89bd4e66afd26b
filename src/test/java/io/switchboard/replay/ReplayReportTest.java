package io.switchboard.replay;

import io.switchboard.classify.CheapOkHead;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay of five requests with known token counts and right/wrong outcomes for fake-cheap (0.10/0.40 $ per M) and
 * fake-premium (2/8, the baseline), reported on all prompts ({@code --split none}). Costs in micro-dollars:
 *
 * <pre>
 * id  prompt                                  class (p_cheap_ok)      tokens in/out  cheap  premium  cheap ok  premium ok
 * a   hi there                                conversation (0.90)      10 / 20          9      180      yes       yes
 * b   Summarise: the meeting moved to ...     summarization (0.90)     20 / 10          6      120      yes       yes
 * c   calculate 12 * 7                        reasoning (0.72)         10 / 10          5      100      no        yes
 * d   Find the XSS vulnerability in ...       security (0.08)          30 / 50         23      460      no        yes
 * e   Write a poem about the sea              creative (0.90)          10 / 100        41      820      yes       no
 * </pre>
 *
 * Policy {@code auto} sends security to fake-premium and the rest to fake-cheap: 9 + 6 + 5 + 460 + 41 = 521 against
 * 1,680 on the baseline (69.0 % less); quality 4/5 against the premium model's 4/5 (100 % kept).
 * Threshold sweep (weak when p_cheap_ok >= t): t = 0.08 all cheap, 84, quality 0.6, share 0; t = 0.72 only d
 * premium, 521, 0.8, share 0.2; t = 0.90 c and d premium, 616, 1.0, share 0.4; all strong 1,680, 0.8, share 1.
 * PGR = (quality - 0.6) / 0.2 = 0, 1, 2, 1, so APGR = 0.2 x 1/2 + 0.2 x 3/2 + 0.6 x 3/2 = 1.3. The target is
 * 0.95 x 0.8 = 0.76: the cheapest setting reaching it is t = 0.72; along the curve it is reached 0.8 of the way from
 * the all-cheap point to it: share 0.16, cost reduction 0.95 - 0.8 x (0.95 - 0.68988) = 74.2 %.
 * Per task type: every type has one prompt (fewer than 5), so every type follows the rule over all prompts: cheap
 * (3 right) is kept while 3 >= q x 4, up to q = 0.75; from q = 0.76 on, everything goes to premium. APGR 0.5.
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReplayReportTest {

  static final Path FIXTURE = Path.of("src", "test", "resources", "replay", "requests.jsonl");

  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {
  }

  private Run replay(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ReplayCommand.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String conf() throws IOException {
    Path file = dir.resolve("conf.yaml");
    Files.writeString(file, TestConfig.singleProvider("http://127.0.0.1:9/v1").encodePrettily());   // JSON is YAML
    return file.toString();
  }

  private List<String> fixtureArgs(String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("--input", FIXTURE.toString(), "--conf", conf(), "--split", "none",
      "--no-progress"));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void the_policy_is_reported_with_its_model_mix_cost_and_quality_kept() throws Exception {
    Run run = replay(fixtureArgs("--policy", "auto").toArray(String[]::new));

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("""
      Policy 'auto' on all prompts (5 prompts): policy of the gateway configuration
        model distribution:
          fake-cheap                                     4  80.0 %
          fake-premium                                   1  20.0 %
        task types (heuristic classifier): conversation 1 creative 1 reasoning 1 security 1 summarization 1
        cost:     $0.000521 vs $0.001680 on fake-premium: 69.0 % less
        quality:  mean 0.800 vs 0.800 on fake-premium: 100.0 % kept
        premium calls (to fake-premium): 20.0 %
      """);
    assertThat(run.out()).contains("  outcomes: 2 models: fake-cheap, fake-premium\n");
  }

  @Test
  void the_threshold_sweep_gives_the_hand_computed_apgr_and_point_at_95_percent() throws Exception {
    Run run = replay(fixtureArgs("--policy", "auto").toArray(String[]::new));

    assertThat(run.out()).contains("""
        threshold: a threshold policy: the heuristic classifier's p_cheap_ok >= t goes to fake-cheap, the rest to fake-premium
          APGR 1.300 (fake-cheap 0.600, fake-premium 0.800)
          operating point p_cheap_ok>=0.72: premium calls 20.0 %, cost 69.0 % less, quality 100.0 % kept
          curve reaches 95.0 % of fake-premium's quality at premium calls 16.0 %, cost 74.2 % less
      """);
    assertThat(run.out()).contains("""
        per-task-type: per task type (a decision table routed by the router), the cheapest model whose calibration \
      mean is >= q x the best model's
          APGR 0.500 (fake-cheap 0.600, fake-premium 0.800)
          operating point q=0.76: premium calls 100.0 %, cost 0.0 % less, quality 100.0 % kept
          curve reaches 95.0 % of fake-premium's quality at premium calls 80.0 %, cost 19.0 % less
      """);
  }

  @Test
  void the_static_classifier_with_its_trained_p_cheap_ok_is_named_in_the_report() throws Exception {
    Run run = replay(fixtureArgs("--policy", "auto", "--classifier", "static").toArray(String[]::new));

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("  task types (static classifier): ")
      .contains("p_cheap_ok from models/static/cheap-ok.json: the learned score for task types [")
      .contains("  threshold: a threshold policy: the static classifier's p_cheap_ok >= t goes to fake-cheap");
    Run learned = replay(fixtureArgs("--classifier", "learned").toArray(String[]::new));
    assertThat(learned.out()).contains("the learned score for every prompt (gate off)");
  }

  @Test
  void a_static_replay_without_its_model_files_fails_with_one_line_instead_of_measuring_the_heuristic()
    throws Exception {
    Run missing = replay(fixtureArgs("--classifier", "static", "--model", dir.resolve("none.onnx").toString())
      .toArray(String[]::new));
    Run unknown = replay(fixtureArgs("--classifier", "encoder").toArray(String[]::new));

    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("switchboard replay: " + dir.resolve("cheap-ok.json")
      + ": no usable p_cheap_ok head").hasLineCount(1);
    assertThat(missing.out()).isEmpty();
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--classifier: must be heuristic, static or learned");
  }

  @Test
  void mmlu_subjects_that_trained_p_cheap_ok_are_left_out_of_a_static_replay() throws Exception {
    CheapOkHead head = CheapOkHead.parse(new JsonObject(Files.readString(Path.of("models/static/cheap-ok.json"))));
    List<String> subjects = List.of("anatomy", "astronomy", "college_biology", "marketing", "nutrition", "virology",
      "world_religions", "management", "prehistory", "philosophy");
    String trained = subjects.stream().filter(head.trainingSubjects()::contains).findFirst().orElseThrow();
    String heldOut = subjects.stream().filter(sub -> !head.trainingSubjects().contains(sub)).findFirst().orElseThrow();
    Path mmlu = Files.createDirectories(dir.resolve("mmlu").resolve("responses"));
    for (String subject : List.of(trained, heldOut)) {
      Files.writeString(mmlu.resolve("mmlu_" + subject + ".csv"), """
        prompt,mistralai/Mixtral-8x7B-Instruct-v0.1,gpt-4-1106-preview
        "Which is right? A. one B. two C. three D. four Answer:",True,True
        "Which is wrong? A. one B. two C. three D. four Answer:",False,True
        """);
    }

    Run heuristic = replay("--input", mmlu.getParent().toString(), "--split", "none", "--no-progress");
    Run learned = replay("--input", mmlu.getParent().toString(), "--split", "none", "--no-progress",
      "--classifier", "learned");

    assertThat(heuristic.out()).startsWith("Replay of mmlu: 4 prompts\n");
    assertThat(learned.code()).as(learned.err()).isZero();
    assertThat(learned.out()).startsWith("Replay of mmlu: 2 prompts\n")
      .contains("; 2 prompts of the MMLU subjects that trained it left out\n");
  }

  @Test
  void weak_turns_a_many_model_data_set_into_a_pair_with_the_threshold_and_random_knobs() throws Exception {
    Path arena = Files.createDirectory(dir.resolve("pair"));
    Files.writeString(arena.resolve("question.jsonl"), """
      {"question_id": "q1", "turns": ["Write a haiku about autumn"]}
      {"question_id": "q2", "turns": ["Explain how a hash map works"]}
      """);
    Files.writeString(arena.resolve("scores.csv"), """
      question_id,model,score
      q1,big,9
      q1,mid,9
      q1,small,3
      q2,big,8
      q2,mid,4
      q2,small,8
      """);
    Path prices = dir.resolve("pair-prices.yaml");
    Files.writeString(prices, """
      models:
        big: {input: 10, output: 30, source: "test"}
        mid: {input: 1, output: 2, source: "test"}
        small: {input: 0.1, output: 0.2, source: "test"}
      """);

    Run run = replay("--input", arena.toString(), "--prices", prices.toString(), "--split", "none", "--baseline",
      "big", "--weak", "small", "--no-progress");
    Run wrong = replay("--input", arena.toString(), "--prices", prices.toString(), "--split", "none", "--weak",
      "nobody", "--no-progress");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("  outcomes: 2 models: small, big\n").contains("  threshold: ")
      .contains("  random: ").doesNotContain("oracle");
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).contains("--weak: 'nobody'");
  }

  @Test
  void the_calibrated_policy_is_the_threshold_at_its_operating_point() throws Exception {
    Run run = replay(fixtureArgs("--policy", "calibrated").toArray(String[]::new));

    assertThat(run.out()).contains("Policy 'calibrated' on all prompts (5 prompts): threshold at p_cheap_ok>=0.72, "
      + "chosen on the same prompts (--split none) as the cheapest setting keeping >= 95.0 % of fake-premium's quality");
    assertThat(run.out()).contains("  cost:     $0.000521 vs $0.001680 on fake-premium: 69.0 % less\n");
  }

  @Test
  void the_csv_holds_one_line_per_setting_of_each_knob() throws Exception {
    Path csv = dir.resolve("curve.csv");
    Run run = replay(fixtureArgs("--csv", csv.toString()).toArray(String[]::new));

    assertThat(run.code()).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0))
      .isEqualTo("method,setting,prompts,premium_share,cost_usd,baseline_cost_usd,cost_reduction,mean_quality,quality_kept");
    assertThat(lines).containsSubsequence(
      "threshold,p_cheap_ok>=0.08,5,0.0000,0.000084,0.001680,0.9500,0.6000,0.7500",
      "threshold,p_cheap_ok>=0.72,5,0.2000,0.000521,0.001680,0.6899,0.8000,1.0000",
      "threshold,p_cheap_ok>=0.90,5,0.4000,0.000616,0.001680,0.6333,1.0000,1.2500",
      "threshold,all strong,5,1.0000,0.001680,0.001680,0.0000,0.8000,1.0000",
      "random,share=0.00,5,0.0000,0.000084,0.001680,0.9500,0.6000,0.7500",
      "random,share=1.00,5,1.0000,0.001680,0.001680,0.0000,0.8000,1.0000",
      "per-task-type,all weak,5,0.0000,0.000084,0.001680,0.9500,0.6000,0.7500",
      "per-task-type,q=0.75,5,0.0000,0.000084,0.001680,0.9500,0.6000,0.7500",
      "per-task-type,q=0.76,5,1.0000,0.001680,0.001680,0.0000,0.8000,1.0000",
      "per-task-type,all strong,5,1.0000,0.001680,0.001680,0.0000,0.8000,1.0000");
    // 4 thresholds, 21 coin shares, all weak + 51 values of q + all strong
    assertThat(lines).hasSize(1 + 4 + 21 + 53);
  }

  @Test
  void a_workload_without_outcomes_reports_the_mix_and_the_cost_only() throws Exception {
    Path plain = dir.resolve("plain.jsonl");
    Files.writeString(plain, """
      {"model": "auto", "messages": [{"role": "user", "content": "hi there"}], "max_tokens": 100}
      {"model": "auto", "messages": [{"role": "user", "content": "Find the XSS vulnerability in this form handler"}]}
      """);

    Run run = replay("--input", plain.toString(), "--conf", conf(), "--output-tokens", "200");

    assertThat(run.code()).as(run.err()).isZero();
    // "hi there" counts 8 prompt tokens (3 per request, 3 per message, 2 of text) and asks for 100: 40.8 micro-dollars
    // on fake-cheap vs 816; the security prompt, 15 tokens and 200 assumed, goes to premium: 1,630 either way
    assertThat(run.out()).contains("    fake-cheap                                     1  50.0 %\n")
      .contains("  cost:     $0.001671 vs $0.002446 on fake-premium: 31.7 % less\n")
      .contains("answers of 200 tokens assumed")
      .doesNotContain("quality:")
      .doesNotContain("Sweeps");
  }

  @Test
  void prices_from_a_prices_file_replace_the_configured_ones() throws Exception {
    Path prices = dir.resolve("prices.yaml");
    Files.writeString(prices, """
      models:
        fake-premium: {input: 4.00, output: 16.00, basis: estimate, source: "test"}
      """);

    Run run = replay(fixtureArgs("--prices", prices.toString(), "--policy", "auto").toArray(String[]::new));

    // premium costs double: the baseline is 3,360, auto pays 9 + 6 + 5 + 920 + 41 = 981
    assertThat(run.out()).contains("  cost:     $0.000981 vs $0.003360 on fake-premium: 70.8 % less\n");
  }

  @Test
  void with_more_than_two_models_the_decision_table_the_oracle_and_each_model_alone_are_reported() throws Exception {
    Path arena = Files.createDirectory(dir.resolve("arena"));
    Files.writeString(arena.resolve("question.jsonl"), """
      {"question_id": "q1", "turns": ["Write a haiku about autumn"]}
      {"question_id": "q2", "turns": ["Explain how a hash map works"]}
      {"question_id": "q3", "turns": ["What is the capital of France?"]}
      """);
    Files.writeString(arena.resolve("scores.csv"), """
      question_id,model,score
      q1,big,9
      q1,mid,9
      q1,small,3
      q2,big,8
      q2,mid,4
      q2,small,8
      q3,big,10
      q3,mid,5
      q3,small,2
      """);
    Path prices = dir.resolve("prices.yaml");
    Files.writeString(prices, """
      models:
        big: {input: 10, output: 30, source: "test"}
        mid: {input: 1, output: 2, source: "test"}
        small: {input: 0.1, output: 0.1, source: "test"}
      """);

    Run run = replay("--input", arena.toString(), "--prices", prices.toString(), "--split", "none");

    // sums of scores: big 27, mid 18, small 13. Each task type has fewer than 5 prompts, so the table is the rule over
    // all prompts: mid while 18 >= 27q (q <= 0.66), then big. Mid keeps 66.7 %, so q = 0.67 (all big) is chosen.
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Policy 'calibrated' on all prompts (3 prompts): per-task-type at q=0.67, chosen")
      .contains("  quality:  mean 9.000 vs 9.000 on big: 100.0 % kept\n")
      .contains("  premium calls (to big): 100.0 %\n")
      // the oracle at q = 0.51: q1 to mid (9 >= 4.59), q2 to small (8 >= 4.08), q3 to big (mid's 5 < 5.1)
      .containsPattern("oracle: .*\n    operating point q=0.51: premium calls 33.3 %, cost [0-9.]+ % less, "
        + "quality 100.0 % kept\n")
      .containsPattern("\n    mid {38}cost \\$0\\.[0-9]{6} \\([0-9.]+ % less\\), quality 66.7 % kept\n")
      .containsPattern("\n    small {36}cost \\$0\\.[0-9]{6} \\([0-9.]+ % less\\), quality 48.1 % kept\n");
  }

  @Test
  void a_cascade_is_priced_at_its_first_tier_and_the_report_says_so() throws Exception {
    Path file = dir.resolve("cascade.yaml");
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:9/v1");
    config.getJsonObject("routing").getJsonObject("policies").put("auto:cascade", new JsonObject()
      .put("type", "cascade").put("tiers", new JsonArray().add("fake-cheap").add("fake-premium")));
    Files.writeString(file, config.encodePrettily());

    Run run = replay("--input", FIXTURE.toString(), "--conf", file.toString(), "--split", "none",
      "--policy", "auto:cascade");

    // both test models have quality 50: enough for the four simple prompts, whose escalation order is then
    // fake-premium; not for the critical security prompt, which goes to the best tier (a tie: the first) with no order
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("    fake-cheap                                     5  100.0 %\n")
      .contains("  cost:     $0.000084 vs $0.001680 on fake-premium: 95.0 % less\n")
      .contains("  not replayed: 4 decisions may escalate and 0 have a review step; without answers only the first "
        + "model's call is priced\n");
  }

  @Test
  void an_unknown_policy_is_refused_in_one_line() throws Exception {
    Run run = replay(fixtureArgs("--policy", "auto:nope").toArray(String[]::new));

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines().toList()).containsExactly(
      "switchboard replay: --policy: 'auto:nope' is not a policy or model of the gateway configuration");
  }

  @Test
  void a_line_that_is_not_json_names_the_file_and_line() throws Exception {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\nnot json\n");

    Run run = replay("--input", bad.toString(), "--conf", conf());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines().toList()).containsExactly("switchboard replay: " + bad + ":2: not a JSON object");
    assertThat(run.out()).isEmpty();
  }
}
