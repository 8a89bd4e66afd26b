package io.switchboard.classify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The p_cheap_ok head's arithmetic and its gate, on a head written by hand. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheapOkHeadTest {

  private static final RequestFeatures SHAPE = new RequestFeatures(6, 1, false, 0, 0, false);

  /** Weight 2 on P(reasoning), -1 on ln(1 + prompt tokens), bias 0; the rule 0.3 for every task type. */
  private static CheapOkHead head(Set<TaskType> learned) {
    double[] w = new double[CheapOkHead.FEATURES.size()];
    w[CheapOkHead.FEATURES.indexOf("task_type:reasoning")] = 2;
    w[CheapOkHead.FEATURES.indexOf("ln1p_prompt_tokens")] = -1;
    Map<TaskType, Double> rule = new EnumMap<>(TaskType.class);
    for (TaskType t : TaskType.values()) {
      rule.put(t, 0.3);
    }
    return CheapOkHead.of(w, 0, rule, learned, new JsonObject()
      .put("training", new JsonObject().put("mmlu_subjects", new JsonArray().add("virology"))));
  }

  private static Map<String, Double> tasks(double reasoning) {
    Map<String, Double> p = new LinkedHashMap<>();
    p.put("reasoning", reasoning);
    p.put("factual", 1 - reasoning);
    return p;
  }

  @Test
  void the_learned_score_is_the_logistic_of_the_weighted_features() {
    CheapOkHead head = head(Set.of(TaskType.REASONING));
    // 8 prompt tokens: ln(9) = 2.197...; z = 2 x 0.75 - ln(9)
    double z = 2 * 0.75 - Math.log(9);
    assertThat(head.learned(tasks(0.75), Map.of(), new RequestFeatures(8, 1, false, 0, 0, false)))
      .isCloseTo(1 / (1 + Math.exp(-z)), within(1e-12));
    // P(reasoning) 1 and no tokens: z = 2
    assertThat(head.learned(tasks(1), Map.of(), new RequestFeatures(0, 1, false, 0, 0, false)))
      .isCloseTo(1 / (1 + Math.exp(-2)), within(1e-12));
  }

  @Test
  void the_gate_gives_the_learned_score_to_its_task_types_and_the_rule_to_the_rest() {
    CheapOkHead head = head(Set.of(TaskType.REASONING));
    double learned = head.learned(tasks(0.9), Map.of(), SHAPE);

    assertThat(head.pCheapOk(TaskType.REASONING, tasks(0.9), Map.of(), SHAPE)).isEqualTo(learned);
    assertThat(head.pCheapOk(TaskType.FACTUAL, tasks(0.9), Map.of(), SHAPE)).isEqualTo(0.3);
    assertThat(head.ungated().pCheapOk(TaskType.FACTUAL, tasks(0.9), Map.of(), SHAPE)).isEqualTo(learned);
  }

  @Test
  void the_file_round_trips_and_names_its_training_subjects() {
    CheapOkHead head = head(Set.of(TaskType.REASONING));
    CheapOkHead read = CheapOkHead.parse(new JsonObject(head.toJson().encode()));

    assertThat(read.learnedTaskTypes()).containsExactly(TaskType.REASONING);
    assertThat(read.trainingSubjects()).containsExactly("virology");
    assertThat(read.learned(tasks(0.4), Map.of(), SHAPE)).isEqualTo(head.learned(tasks(0.4), Map.of(), SHAPE));
  }

  @Test
  void a_file_for_other_features_or_without_a_rule_value_is_refused() {
    JsonObject json = head(Set.of()).toJson();
    assertThatThrownBy(() -> CheapOkHead.parse(json.copy().put("features", new JsonArray().add("x"))))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features");
    JsonObject noRule = json.copy();
    noRule.getJsonObject("rule").remove("security");
    assertThatThrownBy(() -> CheapOkHead.parse(noRule)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("rule.security");
  }
}
