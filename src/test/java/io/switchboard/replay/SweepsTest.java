package io.switchboard.replay;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The threshold settings a sweep tries: every value of a coarse score, a rank grid over a continuous one. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SweepsTest {

  @Test
  void a_score_with_few_values_is_swept_over_each_of_them() {
    assertThat(Sweeps.thresholds(new double[] {0.9, 0.1, 0.9, 0.5})).containsExactly(0.1, 0.5, 0.9);
  }

  @Test
  void a_continuous_score_is_swept_over_evenly_spaced_ranks_from_the_lowest() {
    double[] values = new double[1_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (999 - i) / 1_000.0;
    }
    List<Double> grid = Sweeps.thresholds(values);

    // ranks 0, 5, 10, ..., 995 of 0.000 ... 0.999
    assertThat(grid).hasSize(Sweeps.MAX_THRESHOLDS);
    assertThat(grid.get(0)).isEqualTo(0.0);
    assertThat(grid.get(1)).isEqualTo(0.005);
    assertThat(grid.get(grid.size() - 1)).isEqualTo(0.995);
  }
}
