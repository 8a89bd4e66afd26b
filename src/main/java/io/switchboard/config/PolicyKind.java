package io.switchboard.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a routing policy picks a model; its wire name is the policy's {@code type} in the configuration. */
public enum PolicyKind {
  /** A decision table by task type. */
  TREE,
  /** Weighted scores over candidate models. */
  SCORING,
  /** A strong and a weak model, split on the classifier's {@code p_cheap_ok}. */
  THRESHOLD,
  /** The cheapest capable tier first, the next tiers as escalation. */
  CASCADE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PolicyKind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst();
  }
}
