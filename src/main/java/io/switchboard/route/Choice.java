package io.switchboard.route;

import java.util.List;
import java.util.Map;

/**
 * What a policy proposes; the {@link Router} then applies the request's limits and economy mode.
 *
 * @param eligible models the policy would serve the request with, best first: the first one that fits and
 *                 breaks no constraint is chosen
 * @param others models considered but never chosen (shown among the alternatives, usable as fallbacks)
 * @param ladder models economy mode may step down to (the nearest cheaper one that fits); empty: none
 * @param noCompromise never routed cheaper: no economy step, no escalation, no weaker fallbacks
 * @param escalation the capable models, in order, to re-ask when an answer fails the quality check; those after
 *                   the chosen model are the decision's escalation
 * @param reasons the policy's own explanation, short
 * @param scored candidates the policy scored itself (with factors), by model; the rest get the generic score
 */
record Choice(List<String> eligible, List<String> others, List<String> ladder, boolean noCompromise,
              List<String> escalation, List<String> reasons, Map<String, Candidate> scored) {

  Choice {
    eligible = List.copyOf(eligible);
    others = List.copyOf(others);
    ladder = List.copyOf(ladder);
    escalation = List.copyOf(escalation);
    reasons = List.copyOf(reasons);
    scored = Map.copyOf(scored);
  }
}
