package io.switchboard.replay;

/**
 * RouteLLM-style routing between two models on the classifier's {@code p_cheap_ok}: the weak model when it is at
 * least {@code threshold}, else the strong one. Computed here directly, as the two-model sweep's knob.
 */
record PCheapOkThreshold(String strong, String weak, double threshold) implements Assigner {

  @Override
  public String model(Replayed prompt) {
    return prompt.classification().pCheapOk() >= threshold ? weak : strong;
  }
}
