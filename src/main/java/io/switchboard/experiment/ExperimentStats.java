package io.switchboard.experiment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.config.ArmConfig;
import io.switchboard.config.ExperimentConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One experiment's arms and their comparison: each arm against the first (the control) with the two-proportion
 * z-test on success and Welch's t-test on cost, at {@code alpha} split evenly between the comparisons (Bonferroni).
 * A winner is declared only once every arm has {@code min_samples} requests and the deciding test is significant.
 * Owned by one event loop.
 */
public final class ExperimentStats {

  private final ExperimentConfig config;
  private final Map<String, ArmStats> arms = new LinkedHashMap<>();

  public ExperimentStats(ExperimentConfig config, MeterRegistry registry) {
    this.config = config;
    for (ArmConfig arm : config.arms()) {
      Counter counter = Counter.builder("switchboard.experiment.requests")
        .description("Requests of an experiment's arm that finished")
        .tag("experiment", config.name())
        .tag("arm", arm.name())
        .register(registry);
      arms.put(arm.name(), new ArmStats(arm, counter));
    }
  }

  public Optional<ArmStats> arm(String name) {
    return Optional.ofNullable(arms.get(name));
  }

  /** A comparison of one arm with the control. */
  private record Comparison(ArmStats arm, Optional<Significance.ProportionTest> success,
                            Optional<Significance.WelchTest> cost, double alpha) {

    boolean successBetter() {
      return success.filter(test -> test.pValue() < alpha && test.z() > 0).isPresent();
    }

    boolean successWorse() {
      return success.filter(test -> test.pValue() < alpha && test.z() < 0).isPresent();
    }

    boolean cheaper() {
      return cost.filter(test -> test.pValue() < alpha && test.t() < 0).isPresent();
    }

    boolean dearer() {
      return cost.filter(test -> test.pValue() < alpha && test.t() > 0).isPresent();
    }
  }

  public JsonObject toJson() {
    List<ArmStats> all = new ArrayList<>(arms.values());
    ArmStats control = all.get(0);
    double alpha = config.alpha() / (all.size() - 1);
    List<Comparison> comparisons = all.subList(1, all.size()).stream()
      .map(arm -> compare(arm, control, alpha)).toList();
    JsonArray tests = new JsonArray();
    comparisons.forEach(c -> tests.add(toJson(c, control)));
    Optional<ArmStats> lacking = all.stream().filter(arm -> arm.requests() < config.minSamples()).findFirst();
    String winner = null;
    String verdict;
    if (lacking.isPresent()) {
      verdict = "collecting: arm " + lacking.get().arm().name() + " has " + lacking.get().requests() + " of the "
        + config.minSamples() + " requests each arm needs";
    } else if (config.decideBy() == ExperimentConfig.DecideBy.SUCCESS) {
      Optional<ArmStats> best = comparisons.stream().filter(Comparison::successBetter).map(Comparison::arm)
        .max(Comparator.comparingDouble(arm -> (double) arm.successes() / arm.requests()));
      if (best.isPresent()) {
        winner = best.get().arm().name();
        verdict = "arm " + winner + " succeeds significantly more often than " + control.arm().name();
      } else if (comparisons.stream().allMatch(Comparison::successWorse)) {
        winner = control.arm().name();
        verdict = "the control succeeds significantly more often than every other arm";
      } else {
        verdict = "no significant difference in success rate at alpha " + config.alpha();
      }
    } else {
      Optional<ArmStats> cheapest = comparisons.stream().filter(c -> c.cheaper() && !c.successWorse())
        .map(Comparison::arm).min(Comparator.comparingDouble(arm -> arm.cost().mean()));
      if (cheapest.isPresent()) {
        winner = cheapest.get().arm().name();
        verdict = "arm " + winner + " costs significantly less than " + control.arm().name()
          + " without succeeding significantly less often";
      } else if (comparisons.stream().allMatch(c -> c.dearer() && !c.successBetter())) {
        winner = control.arm().name();
        verdict = "the control costs significantly less than every other arm without succeeding less often";
      } else {
        verdict = "no arm is significantly cheaper without being significantly worse, at alpha " + config.alpha();
      }
    }
    return new JsonObject()
      .put("name", config.name())
      .put("enabled", config.enabled())
      .put("model", config.model())
      .put("assign_by", config.assignBy().name().toLowerCase(Locale.ROOT))
      .put("unkeyed", config.unkeyed().name().toLowerCase(Locale.ROOT))
      .put("decide_by", config.decideBy().name().toLowerCase(Locale.ROOT))
      .put("alpha", config.alpha())
      .put("alpha_per_comparison", alpha)
      .put("min_samples", config.minSamples())
      .put("control", control.arm().name())
      .put("arms", new JsonArray(all.stream().map(ArmStats::toJson).toList()))
      .put("comparisons", tests)
      .put("winner", winner)
      .put("verdict", verdict);
  }

  private static Comparison compare(ArmStats arm, ArmStats control, double alpha) {
    Optional<Significance.ProportionTest> success = arm.requests() > 0 && control.requests() > 0
      ? Optional.of(Significance.twoProportions(arm.successes(), arm.requests(), control.successes(),
          control.requests()))
      : Optional.empty();
    Optional<Significance.WelchTest> cost = arm.requests() > 1 && control.requests() > 1
      ? Optional.of(Significance.welch(arm.cost().mean(), arm.cost().variance(), arm.requests(), control.cost().mean(),
          control.cost().variance(), control.requests()))
      : Optional.empty();
    return new Comparison(arm, success, cost, alpha);
  }

  private static JsonObject toJson(Comparison c, ArmStats control) {
    JsonObject success = c.success().map(test -> new JsonObject()
      .put("difference", (double) c.arm().successes() / c.arm().requests()
        - (double) control.successes() / control.requests())
      .put("z", finite(test.z()))
      .put("p_value", test.pValue())
      .put("significant", test.pValue() < c.alpha())).orElse(null);
    JsonObject cost = c.cost().map(test -> new JsonObject()
      .put("difference_usd", (c.arm().cost().mean() - control.cost().mean()) / 1e6)
      .put("t", finite(test.t()))
      .put("df", test.degreesOfFreedom())
      .put("p_value", test.pValue())
      .put("significant", test.pValue() < c.alpha())).orElse(null);
    return new JsonObject().put("arm", c.arm().arm().name()).put("against", control.arm().name())
      .put("success", success).put("cost", cost);
  }

  /** JSON has no infinity: a certain difference is written as the largest double with its sign. */
  private static double finite(double value) {
    return Double.isInfinite(value) ? Math.copySign(Double.MAX_VALUE, value) : value;
  }
}
