package io.switchboard.route;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A two-step answer: the decision's model drafts, then {@code reviewer} is asked to review and improve the draft
 * with {@code reviewPrompt}; the reviewer's answer is returned and both calls are paid for.
 */
public record Pipeline(String reviewer, String reviewPrompt) {

  public Pipeline {
    Objects.requireNonNull(reviewer, "reviewer");
    Objects.requireNonNull(reviewPrompt, "reviewPrompt");
  }

  public JsonObject toJson() {
    return new JsonObject().put("reviewer", reviewer).put("review_prompt", reviewPrompt);
  }

  public static Pipeline fromJson(JsonObject json) {
    return json == null ? null : new Pipeline(json.getString("reviewer"), json.getString("review_prompt"));
  }
}
