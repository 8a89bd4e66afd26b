package io.switchboard.replay;

import java.util.List;
import java.util.Map;

/**
 * Everything a replay measured, for the text report and the CSV.
 *
 * @param strong the baseline: costs are compared with it and quality is kept relative to it
 * @param weak the other model of two-model data, else null
 * @param reported the prompts the policy figures are over: the held-out split, or all prompts
 * @param taskTypes the classifier's task types over the reported prompts
 * @param policyTally the named policy on the reported prompts
 * @param escalatable decisions with an escalation order: only their first model is priced
 * @param reviewed decisions with a review step: the reviewer's call is not priced
 * @param families the swept knobs (empty without outcomes); the first is the one {@code calibrated} uses
 * @param classifier the {@code --classifier} that classified the prompts; {@code classifierNote} describes it
 */
record ReplayResult(Workload workload, String catalogOrigin, String strong, String weak, List<String> outcomeModels,
                    boolean split, int calibrationPrompts, int reported, long assumedOutputTokens, double target,
                    Map<String, Integer> taskTypes, String policy, String policyNote, Tally policyTally,
                    int escalatable, int reviewed, List<FamilyResult> families, String classifier,
                    String classifierNote) {

  /** A swept knob on both splits, and the setting chosen on the calibration split. */
  record FamilyResult(Sweeps.Family family, List<Curve.Point> calibration, List<Curve.Point> heldOut, int chosen) {

    Curve.Point chosenHeldOut() {
      return heldOut.get(chosen);
    }
  }

  boolean twoModels() {
    return weak != null;
  }
}
