package io.switchboard.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An A/B experiment: requests for {@code model} are split between the arms' policies by a hash of the assignment
 * key, so one key always lands in the same arm.
 *
 * @param model      the requested model name it intercepts (a policy name such as {@code auto}, a model or alias)
 * @param assignBy   what identifies a subject: its virtual key, its user, or its conversation
 * @param unkeyed    what happens to a request without that identifier
 * @param arms       in configuration order; the first is the control the others are compared with
 * @param alpha      significance level of the tests (split between the comparisons when there are several)
 * @param minSamples requests each arm needs before a winner can be declared
 * @param decideBy   what a winner must be significantly better at
 */
public record ExperimentConfig(String name, boolean enabled, String model, AssignBy assignBy, Unkeyed unkeyed,
                               List<ArmConfig> arms, double alpha, long minSamples, DecideBy decideBy) {

  /** What a request is assigned by. */
  public enum AssignBy { KEY, USER, CONVERSATION }

  /** Requests without the assignment key: left out of the experiment, or given a random arm each. */
  public enum Unkeyed { EXCLUDE, RANDOM }

  /** Success rate (higher wins), or cost (lower wins, as long as success is not significantly worse). */
  public enum DecideBy { SUCCESS, COST }

  public ExperimentConfig {
    arms = List.copyOf(arms);
  }

  static ExperimentConfig from(String name, ConfigReader r) {
    r.allowOnly(Set.of("enabled", "model", "assign_by", "unkeyed", "arms", "alpha", "min_samples", "decide_by"));
    List<ArmConfig> arms = new ArrayList<>();
    r.sections("arms").forEach((arm, section) -> arms.add(ArmConfig.from(arm, section)));
    if (arms.size() < 2) {
      throw new ConfigException(r.key("arms") + ": an experiment needs at least two arms");
    }
    return new ExperimentConfig(name, r.bool("enabled", true), r.requiredString("model"),
      choice(r, "assign_by", AssignBy.class, AssignBy.KEY), choice(r, "unkeyed", Unkeyed.class, Unkeyed.EXCLUDE),
      arms, r.doubleValue("alpha", 0.05, 0.0001, 0.5), r.longValue("min_samples", 100, 1, 1_000_000_000),
      choice(r, "decide_by", DecideBy.class, DecideBy.SUCCESS));
  }

  private static <E extends Enum<E>> E choice(ConfigReader r, String key, Class<E> type, E fallback) {
    String value = r.string(key, fallback.name().toLowerCase(Locale.ROOT));
    for (E constant : type.getEnumConstants()) {
      if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(Locale.ROOT));
    }
    throw new ConfigException(r.key(key) + ": must be one of " + String.join(", ", names) + ", got '" + value + "'");
  }
}
