package io.switchboard.ledger;

import io.vertx.core.json.JsonObject;

/**
 * The published fact that a request was routed and is about to be answered, with what the ledger keeps of its
 * routing beyond its usage record. Published only while a ledger is on.
 *
 * @param tenant     the caller's tenant ({@code anonymous} or {@code key:vk_...})
 * @param keyLabel   the caller's virtual key id, "" when anonymous (never the secret)
 * @param confidence the classifier's confidence in the task type
 * @param pCheapOk   the classifier's probability that a cheap model does as well
 * @param experiment the experiment the request takes part in, "" for none
 * @param arm        its arm in that experiment, "" for none
 * @param prompt     the last user message, bounded; "" unless {@code analytics.store_prompts} is on
 */
public record DecisionRouted(String decisionId, String tenant, String keyLabel, double confidence, double pCheapOk,
                             String experiment, String arm, String prompt, long epochMillis) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("decision_id", decisionId)
      .put("tenant", tenant)
      .put("key", keyLabel)
      .put("confidence", confidence)
      .put("p_cheap_ok", pCheapOk)
      .put("experiment", experiment)
      .put("arm", arm)
      .put("prompt", prompt)
      .put("epoch_ms", epochMillis);
  }

  public static DecisionRouted fromJson(JsonObject json) {
    return new DecisionRouted(json.getString("decision_id"), json.getString("tenant", ""), json.getString("key", ""),
      json.getDouble("confidence", 0.0), json.getDouble("p_cheap_ok", 0.0), json.getString("experiment", ""),
      json.getString("arm", ""), json.getString("prompt", ""), json.getLong("epoch_ms", 0L));
  }
}
