package io.switchboard.learn;

import io.vertx.core.json.JsonObject;

/**
 * The published fact that a request was routed and is about to be answered: what learning and experiments need
 * to know about it beyond its usage record.
 *
 * @param tenant     the caller's tenant ({@code anonymous} or {@code key:vk_...}): only it may give feedback
 * @param retryKey   digest of the caller and the prompt ({@link PromptDigest}), 0 when retries are not watched
 * @param experiment the experiment the request takes part in, "" for none
 * @param arm        its arm in that experiment, "" for none
 */
public record DecisionStarted(String decisionId, String tenant, long retryKey, String experiment, String arm,
                              long epochMillis) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("decision_id", decisionId)
      .put("tenant", tenant)
      .put("retry_key", retryKey)
      .put("experiment", experiment)
      .put("arm", arm)
      .put("epoch_ms", epochMillis);
  }

  public static DecisionStarted fromJson(JsonObject json) {
    return new DecisionStarted(json.getString("decision_id"), json.getString("tenant", ""),
      json.getLong("retry_key", 0L), json.getString("experiment", ""), json.getString("arm", ""),
      json.getLong("epoch_ms", 0L));
  }
}
