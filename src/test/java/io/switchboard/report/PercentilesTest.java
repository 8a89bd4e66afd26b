package io.switchboard.report;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PercentilesTest {

  @Test
  void nearest_rank_of_one_to_twenty() {
    Percentiles p = new Percentiles(LongStream.rangeClosed(1, 20).map(i -> 21 - i).toArray());

    assertThat(p.at(50)).isEqualTo(10);   // rank ceil(0.50 × 20) = 10
    assertThat(p.at(95)).isEqualTo(19);   // rank ceil(0.95 × 20) = 19
    assertThat(p.at(100)).isEqualTo(20);
  }

  @Test
  void few_values_and_none() {
    assertThat(new Percentiles(new long[] {30, 10, 20}).at(50)).isEqualTo(20);   // rank ceil(1.5) = 2
    assertThat(new Percentiles(new long[] {30, 10, 20}).at(95)).isEqualTo(30);   // rank ceil(2.85) = 3
    assertThat(new Percentiles(new long[] {7}).at(95)).isEqualTo(7);
    assertThat(new Percentiles(new long[0]).at(50)).isNull();
  }
}
