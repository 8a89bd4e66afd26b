package io.switchboard.api;

import io.switchboard.cost.Money;
import io.switchboard.cost.UsageRecord;
import io.switchboard.execute.AnswerSteps;
import io.switchboard.execute.QualityFailure;
import io.switchboard.execute.Routed;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The {@code x-switchboard-*} headers every front door answers with (model, decision, steps, cost), whatever its
 * dialect, and the final SSE comment that carries a stream's cost instead.
 */
final class SwitchboardHeaders {

  static final String MODEL_HEADER = "x-switchboard-model";
  static final String DECISION_HEADER = "x-switchboard-decision-id";
  static final String TASK_HEADER = "x-switchboard-task-type";
  static final String POLICY_HEADER = "x-switchboard-policy";
  static final String COST_HEADER = "x-switchboard-cost-usd";
  static final String BASELINE_HEADER = "x-switchboard-baseline-cost-usd";
  static final String SAVINGS_HEADER = "x-switchboard-savings-usd";
  static final String ESTIMATED_HEADER = "x-switchboard-usage-estimated";
  static final String ATTEMPTS_HEADER = "x-switchboard-attempts";
  static final String REASONS_HEADER = "x-switchboard-reasons";
  static final String ESCALATIONS_HEADER = "x-switchboard-escalations";
  static final String QUALITY_HEADER = "x-switchboard-quality";
  static final String PIPELINE_HEADER = "x-switchboard-pipeline";
  static final String DRAFT_HEADER = "x-switchboard-draft-model";

  private SwitchboardHeaders() {
  }

  static void decisionHeaders(HttpServerResponse response, Routed routed, String decisionId, int attempts) {
    response.putHeader(REASONS_HEADER, routed.decision().reasonsHeader());
    decisionHeaders(response, routed.model().id(), routed.classification().taskType().wireName(),
      routed.decision().policy(), decisionId, attempts);
  }

  static void decisionHeaders(HttpServerResponse response, String model, String taskType, String policy,
                              String decisionId, int attempts) {
    response.putHeader(MODEL_HEADER, model)
      .putHeader(ATTEMPTS_HEADER, Integer.toString(attempts))
      .putHeader(DECISION_HEADER, decisionId)
      .putHeader(TASK_HEADER, taskType);
    if (!policy.isEmpty()) {
      response.putHeader(POLICY_HEADER, policy);
    }
  }

  /** What the gateway did beyond one call: the quality check and its escalations, a pipeline's review. */
  static void stepHeaders(HttpServerResponse response, AnswerSteps steps) {
    if (steps.checked()) {
      response.putHeader(ESCALATIONS_HEADER, Integer.toString(steps.escalations()))
        .putHeader(QUALITY_HEADER, steps.failure().map(QualityFailure::wireName).orElse("pass"));
    }
    if (steps.pipeline() != AnswerSteps.PipelineStep.NONE) {
      response.putHeader(PIPELINE_HEADER, steps.pipeline().wireName()).putHeader(DRAFT_HEADER, steps.draftModel());
    }
  }

  static HttpServerResponse costHeaders(HttpServerResponse response, UsageRecord record) {
    return response.putHeader(COST_HEADER, Money.usd(record.costMicros()))
      .putHeader(BASELINE_HEADER, Money.usd(record.baselineCostMicros()))
      .putHeader(SAVINGS_HEADER, Money.usd(record.savingsMicros()));
  }

  /** The final SSE comment of a stream: clients ignore it, people and tools can read the cost from it. */
  static Buffer costComment(UsageRecord record) {
    JsonObject cost = new JsonObject()
      .put("model", record.model())
      .put("prompt_tokens", record.usage().promptTokens())
      .put("completion_tokens", record.usage().completionTokens())
      .put("cost_usd", Money.usd(record.costMicros()))
      .put("baseline_cost_usd", Money.usd(record.baselineCostMicros()))
      .put("savings_usd", Money.usd(record.savingsMicros()))
      .put("estimated", record.usage().estimated());
    return Buffer.buffer(": switchboard ").appendBuffer(cost.toBuffer()).appendString("\n\n");
  }
}
