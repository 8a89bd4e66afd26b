package io.switchboard.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A threshold policy: {@code weak} when the classifier's {@code p_cheap_ok} reaches the threshold, else
 * {@code strong}. The threshold is given, or calibrated at start on a reference set of prompts so that about
 * {@code targetPremiumShare} of them go to {@code strong}.
 *
 * @param threshold the fixed threshold; empty when it is calibrated
 * @param reference JSONL of prompts to calibrate on; present exactly when {@code targetPremiumShare} is
 */
public record ThresholdConfig(String strong, String weak, OptionalDouble threshold, OptionalDouble targetPremiumShare,
                              Optional<Path> reference) {

  /** The threshold of a policy that names neither a threshold nor a target share. */
  static final double DEFAULT_THRESHOLD = 0.5;

  static ThresholdConfig from(ConfigReader r) {
    String strong = r.requiredString("strong");
    String weak = r.requiredString("weak");
    if (!r.has("target_premium_share")) {
      if (r.has("reference")) {
        throw new ConfigException(r.key("reference") + ": only used with target_premium_share");
      }
      return new ThresholdConfig(strong, weak, OptionalDouble.of(r.doubleValue("threshold", DEFAULT_THRESHOLD, 0, 1)),
        OptionalDouble.empty(), Optional.empty());
    }
    if (r.has("threshold")) {
      throw new ConfigException(r.key("threshold") + ": give either threshold or target_premium_share, not both");
    }
    if (!r.has("reference")) {
      throw new ConfigException(r.key("reference") + ": is required with target_premium_share (JSONL of prompts to "
        + "calibrate the threshold on)");
    }
    Path reference = Path.of(r.requiredString("reference"));
    if (!Files.isReadable(reference)) {
      throw new ConfigException(r.key("reference") + ": cannot read " + reference);
    }
    return new ThresholdConfig(strong, weak, OptionalDouble.empty(),
      OptionalDouble.of(r.doubleValue("target_premium_share", 0, 0, 1)), Optional.of(reference));
  }
}
