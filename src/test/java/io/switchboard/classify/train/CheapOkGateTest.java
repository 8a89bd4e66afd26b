package io.switchboard.classify.train;

import io.switchboard.classify.TaskType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * APGR of a score inside one category, and the gate, on fixtures computed by hand. Four prompts, the strong model
 * right on all, the weak one on the first two (weak quality 0.5, strong 1, gap 0.5):
 *
 * <pre>
 * score  0.9  0.7  0.4  0.1      threshold  strong calls  quality  PGR
 * weak    1    1    0    0       0.1        0 / 4         0.50     0
 * strong  1    1    1    1       0.4        1 / 4         0.75     0.5
 *                                0.7        2 / 4         1.00     1
 *                                0.9        3 / 4         1.00     1
 *                                all strong 4 / 4         1.00     1
 * </pre>
 *
 * Trapezoids: 0.25 x (0 + 0.5) / 2 + 0.25 x (0.5 + 1) / 2 + 0.25 + 0.25 = 0.75. The same outcomes scored the other
 * way round (the weak model's right answers scored lowest) give 0.25; a constant score gives the straight line, 0.5.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheapOkGateTest {

  private static List<CheapOkGate.Outcome> fixture(double... scores) {
    double[] weak = {1, 1, 0, 0};
    List<CheapOkGate.Outcome> prompts = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      prompts.add(new CheapOkGate.Outcome(scores[i], weak[i % 4], 1));
    }
    return prompts;
  }

  @Test
  void a_score_that_ranks_the_weak_models_right_answers_first_recovers_three_quarters() {
    assertThat(CheapOkGate.apgr(fixture(0.9, 0.7, 0.4, 0.1))).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void the_reversed_ranking_recovers_a_quarter_and_a_constant_score_a_half() {
    assertThat(CheapOkGate.apgr(fixture(0.1, 0.2, 0.8, 0.9))).isCloseTo(0.25, within(1e-12));
    assertThat(CheapOkGate.apgr(fixture(0.3, 0.3, 0.3, 0.3))).isCloseTo(CheapOkGate.RULE_APGR, within(1e-12));
  }

  @Test
  void without_a_gap_between_the_models_there_is_nothing_to_recover() {
    List<CheapOkGate.Outcome> same = List.of(new CheapOkGate.Outcome(0.2, 1, 1), new CheapOkGate.Outcome(0.8, 0, 0));
    assertThat(CheapOkGate.apgr(same)).isNaN();
  }

  @Test
  void the_learned_score_is_used_only_where_it_beats_the_rule_on_enough_prompts() {
    double[] good = new double[100];
    double[] flat = new double[100];
    double[] bad = new double[100];
    for (int i = 0; i < 100; i++) {
      double[] pattern = {0.9, 0.7, 0.4, 0.1};
      good[i] = pattern[i % 4];
      flat[i] = 0.5;
      bad[i] = 1 - pattern[i % 4];
    }
    Map<TaskType, CheapOkGate.Decision> gate = CheapOkGate.decide(Map.of(
      TaskType.REASONING, fixture(good),
      TaskType.FACTUAL, fixture(flat),
      TaskType.CREATIVE, fixture(bad),
      TaskType.SECURITY, fixture(0.9, 0.7, 0.4, 0.1)));

    // 25 copies of the four-prompt fixture: the same curve, APGR 0.75 > 0.5 + 0.02 on 100 prompts
    assertThat(gate.get(TaskType.REASONING)).isEqualTo(new CheapOkGate.Decision(100, 0.75, true));
    assertThat(gate.get(TaskType.FACTUAL).learned()).isFalse();
    assertThat(gate.get(TaskType.FACTUAL).apgr()).isCloseTo(0.5, within(1e-12));
    assertThat(gate.get(TaskType.CREATIVE).learned()).isFalse();
    // a good ranking on four prompts is not evidence enough
    assertThat(gate.get(TaskType.SECURITY)).isEqualTo(new CheapOkGate.Decision(4, 0.75, false));
  }
}
