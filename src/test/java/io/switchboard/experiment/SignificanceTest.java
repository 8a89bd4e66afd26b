package io.switchboard.experiment;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The distribution functions and tests against textbook values. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SignificanceTest {

  @Test
  void the_normal_cdf_matches_the_tables() {
    assertThat(Distributions.normalCdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(Distributions.normalCdf(1)).isCloseTo(0.8413447461, within(1e-7));
    assertThat(Distributions.normalCdf(1.96)).isCloseTo(0.9750021049, within(1e-7));
    assertThat(Distributions.normalCdf(-1.96)).isCloseTo(0.0249978951, within(1e-7));
    assertThat(Distributions.normalCdf(2.5758293)).isCloseTo(0.995, within(1e-7));
    assertThat(Distributions.normalCdf(-3)).isCloseTo(0.0013498980, within(1e-8));
  }

  @Test
  void the_student_t_cdf_matches_closed_forms_and_tables() {
    // one degree of freedom is the Cauchy distribution: F(1) = 3/4
    assertThat(Distributions.studentCdf(1, 1)).isCloseTo(0.75, within(1e-10));
    // two degrees of freedom: F(t) = 1/2 + t / (2 sqrt(2 + t^2))
    assertThat(Distributions.studentCdf(2, 2)).isCloseTo(0.5 + 2 / (2 * Math.sqrt(6)), within(1e-10));
    // the 97.5 % quantile of t(10) is 2.228139
    assertThat(Distributions.studentCdf(2.228138852, 10)).isCloseTo(0.975, within(1e-8));
    assertThat(Distributions.studentCdf(-1.5, 4.5)).isCloseTo(0.1001095428, within(1e-8));
    assertThat(Distributions.studentCdf(0, 7.3)).isCloseTo(0.5, within(1e-12));
    // many degrees of freedom approach the normal
    assertThat(Distributions.studentCdf(1.96, 1e7)).isCloseTo(Distributions.normalCdf(1.96), within(1e-6));
  }

  @Test
  void the_two_proportion_z_test_matches_a_hand_computed_example() {
    // 45 of 100 against 30 of 100: pooled 0.375, standard error 0.0684653, z = 2.19089, p = 0.02846
    Significance.ProportionTest test = Significance.twoProportions(45, 100, 30, 100);

    assertThat(test.z()).isCloseTo(2.1908902300, within(1e-9));
    assertThat(test.pValue()).isCloseTo(0.0284597369, within(1e-7));
    assertThat(Significance.twoProportions(30, 100, 45, 100).z()).isCloseTo(-2.1908902300, within(1e-9));
  }

  @Test
  void samples_that_do_not_vary_cannot_differ_in_proportion() {
    assertThat(Significance.twoProportions(10, 10, 20, 20).pValue()).isEqualTo(1);
  }

  @Test
  void welchs_t_test_matches_the_textbook_examples() {
    // Welch's t-test, worked examples 1 and 2 (two samples of 15, and samples of 10 and 20 with unequal variances)
    Significance.WelchTest first = Significance.welch(20.82, 7.867428571428571, 15, 22.986666666666665,
      3.8126666666666686, 15);
    assertThat(first.t()).isCloseTo(-2.4553563983, within(1e-8));
    assertThat(first.degreesOfFreedom()).isCloseTo(24.9885292902, within(1e-8));
    assertThat(first.pValue()).isCloseTo(0.0213780015, within(1e-7));

    Significance.WelchTest second = Significance.welch(20.61, 9.041, 10, 22.135, 0.8981842105263164, 20);
    assertThat(second.t()).isCloseTo(-1.5654335236, within(1e-8));
    assertThat(second.degreesOfFreedom()).isCloseTo(9.9047412487, within(1e-8));
    assertThat(second.pValue()).isCloseTo(0.1488416966, within(1e-7));
  }

  @Test
  void constant_samples_differ_for_certain_or_not_at_all() {
    assertThat(Significance.welch(5, 0, 10, 5, 0, 10).pValue()).isEqualTo(1);
    assertThat(Significance.welch(4, 0, 10, 5, 0, 10).pValue()).isZero();
  }

  @Test
  void running_moments_give_the_sample_mean_and_variance() {
    RunningMoments moments = new RunningMoments();
    for (double value : new double[] {17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8}) {
      moments.add(value);
    }
    assertThat(moments.count()).isEqualTo(10);
    assertThat(moments.mean()).isCloseTo(20.61, within(1e-12));
    assertThat(moments.variance()).isCloseTo(9.041, within(1e-12));
  }
}
