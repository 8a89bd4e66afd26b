package io.switchboard.experiment;

/** The arm of an experiment a request was put in, and the policy that routes it there. */
public record Assignment(String experiment, String arm, String policy) {

  /** The reason the routing decision carries. */
  public String reason() {
    return "experiment " + experiment + ": arm " + arm + " (policy '" + policy + "')";
  }
}
