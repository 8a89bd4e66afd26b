package io.switchboard.replay;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(10)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CurveTest {

  /** A point of 10 prompts: {@code strong} of them to the strong model, at {@code cost} of a baseline of 100. */
  private static Curve.Point point(int strong, long cost, double quality) {
    return new Curve.Point("s" + strong, new Tally(10, Map.of(), cost, 100, quality, 0.8, strong));
  }

  @Test
  void apgr_of_routing_on_a_coin_is_one_half() {
    List<Curve.Point> coin = List.of(point(0, 10, 0.6), point(5, 55, 0.7), point(10, 100, 0.8));

    assertThat(Curve.apgr(coin, 0.6, 0.8)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void apgr_is_the_area_under_the_recovered_gap_whatever_the_order_of_the_points() {
    // PGR 0 at share 0, 1 at 0.2 and 1: 0.2 x 0.5 + 0.8 x 1 = 0.9
    List<Curve.Point> points = List.of(point(10, 100, 0.8), point(0, 10, 0.6), point(2, 28, 0.8));

    assertThat(Curve.apgr(points, 0.6, 0.8)).isCloseTo(0.9, within(1e-9));
  }

  @Test
  void the_cheapest_mix_reaching_a_quality_is_interpolated_between_two_points() {
    List<Curve.Point> points = List.of(point(0, 10, 0.6), point(4, 50, 0.7), point(10, 100, 0.8));

    Curve.Crossing at = Curve.cheapestReaching(points, 0.76).orElseThrow();

    // 0.6 of the way from (share 0.4, 50 % less) to (share 1, 0 % less)
    assertThat(at.premiumShare()).isCloseTo(0.76, within(1e-9));
    assertThat(at.costReduction()).isCloseTo(0.2, within(1e-9));
    assertThat(Curve.cheapestReaching(points, 0.81)).isEmpty();
  }

  @Test
  void the_operating_point_is_the_cheapest_setting_reaching_the_floor_else_the_best() {
    List<Curve.Point> points = List.of(point(0, 10, 0.6), point(4, 50, 0.79), point(10, 100, 0.8));

    assertThat(Curve.operatingPoint(points, 0.76)).isEqualTo(1);
    assertThat(Curve.operatingPoint(points, 0.9)).isEqualTo(2);
  }

  @Test
  void the_split_is_a_fixed_function_of_the_id_and_roughly_even() {
    long calibration = java.util.stream.IntStream.range(0, 2_000).filter(i -> Split.calibration("id-" + i)).count();

    assertThat(Split.calibration("66c00ddde3dc4128a14d6afd5e899342"))
      .isEqualTo(Split.calibration("66c00ddde3dc4128a14d6afd5e899342"));
    assertThat(calibration).isBetween(900L, 1_100L);
    assertThat(Split.coin("a")).isBetween(0.0, 1.0).isNotEqualTo(Split.coin("b"));
  }
}
