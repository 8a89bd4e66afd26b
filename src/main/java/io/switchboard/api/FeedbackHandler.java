package io.switchboard.api;

import io.switchboard.auth.Caller;
import io.switchboard.bus.Addresses;
import io.switchboard.learn.LearningVerticle;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.StrictJson;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/feedback}: a score in [0, 1] or a thumb up or down for a decision (the
 * {@code x-switchboard-decision-id} of an answer), which moves the success estimate of the model that answered
 * for the request's task type. The optional comment is accepted and dropped: it is never stored or logged.
 */
final class FeedbackHandler {

  static final int MAX_COMMENT_CHARS = 4_000;
  private static final Set<String> FIELDS = Set.of("decision_id", "score", "thumbs", "comment");
  private static final Pattern DECISION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final ApiError UNKNOWN = new ApiError(404, ApiError.INVALID_REQUEST, "decision_not_found",
    "decision_id", "No recent decision has this id (decisions can take feedback for learning.decision_ttl_seconds)",
    0);
  private static final ApiError RUNNING = new ApiError(409, ApiError.INVALID_REQUEST, "decision_in_progress",
    "decision_id", "The request of this decision has not finished yet: send feedback once its answer is complete", 0);
  private static final ApiError UNAVAILABLE = new ApiError(503, ApiError.API_ERROR, "learning_unavailable", null,
    "Feedback cannot be recorded right now; try again", 1);

  private final EventBus bus;
  private final DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(2_000);

  FeedbackHandler(EventBus bus) {
    this.bus = bus;
  }

  void handle(RoutingContext ctx) {
    JsonObject body = StrictJson.parseObject(Bodies.of(ctx));
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ApiError.invalid("unknown_parameter", field, "Unknown parameter '" + abbreviate(field)
          + "': feedback takes decision_id, score or thumbs, and comment").exception();
      }
    }
    String decisionId = decisionId(body);
    double score = score(body);
    Object comment = body.getValue("comment");
    if (comment != null && !(comment instanceof String)) {
      throw ApiError.invalid("invalid_type", "comment", "'comment' must be a string").exception();
    }
    if (comment instanceof String text && text.length() > MAX_COMMENT_CHARS) {
      throw ApiError.invalid("invalid_value", "comment", "'comment' must be at most " + MAX_COMMENT_CHARS
        + " characters").exception();
    }
    JsonObject question = new JsonObject().put("decision_id", decisionId).put("score", score)
      .put("tenant", Caller.of(ctx).tenant());
    bus.<JsonObject>request(Addresses.FEEDBACK, question, options)
      .onSuccess(reply -> {
        JsonObject recorded = reply.body();
        JsonObject answer = new JsonObject()
          .put("decision_id", decisionId)
          .put("model", recorded.getString("model"))
          .put("task_type", recorded.getString("task_type"))
          .put("score", score)
          .put("source", body.containsKey("thumbs") ? "thumbs" : "score")
          .put("replaced_earlier_feedback", recorded.getBoolean("replaced"))
          .put("learned", recorded.getBoolean("learned"));
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(answer.toBuffer());
      })
      .onFailure(failure -> ctx.fail((failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        ? reply.failureCode() == LearningVerticle.UNKNOWN_DECISION ? UNKNOWN
          : reply.failureCode() == LearningVerticle.DECISION_RUNNING ? RUNNING : UNAVAILABLE
        : UNAVAILABLE).exception()));
  }

  private static String decisionId(JsonObject body) {
    Object id = body.getValue("decision_id");
    if (id == null) {
      throw ApiError.invalid("missing_required_parameter", "decision_id",
        "'decision_id' is required: the x-switchboard-decision-id header of the answer").exception();
    }
    if (!(id instanceof String text)) {
      throw ApiError.invalid("invalid_type", "decision_id", "'decision_id' must be a string").exception();
    }
    if (!DECISION_ID.matcher(text).matches()) {
      throw ApiError.invalid("invalid_value", "decision_id",
        "'decision_id' is not a decision id (the x-switchboard-decision-id header of an answer)").exception();
    }
    return text;
  }

  /** The score in [0, 1]: given as such, or a thumb (up 1, down 0); exactly one of the two. */
  private static double score(JsonObject body) {
    Object score = body.getValue("score");
    Object thumbs = body.getValue("thumbs");
    if (score != null && thumbs != null) {
      throw ApiError.invalid("invalid_value", "thumbs", "Give either 'score' or 'thumbs', not both").exception();
    }
    if (score == null && thumbs == null) {
      throw ApiError.invalid("missing_required_parameter", "score",
        "Feedback needs 'score' (a number from 0 to 1) or 'thumbs' (\"up\" or \"down\")").exception();
    }
    if (thumbs != null) {
      if (!"up".equals(thumbs) && !"down".equals(thumbs)) {
        throw ApiError.invalid("invalid_value", "thumbs", "'thumbs' must be \"up\" or \"down\"").exception();
      }
      return "up".equals(thumbs) ? 1 : 0;
    }
    if (!(score instanceof Number number)) {
      throw ApiError.invalid("invalid_type", "score", "'score' must be a number from 0 to 1").exception();
    }
    double value = number.doubleValue();
    if (!(value >= 0 && value <= 1)) {
      throw ApiError.invalid("invalid_value", "score", "'score' must be between 0 and 1").exception();
    }
    return value;
  }

  private static String abbreviate(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
  }
}
