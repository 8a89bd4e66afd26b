package io.switchboard.bus;

/** Every event-bus address Switchboard uses. Nothing else spells one out. */
public final class Addresses {

  /** Request-reply, node-local: {@code ClassifyRequest} → {@code Classification}. */
  public static final String CLASSIFY = "switchboard.classify.request";
  /** Request-reply, node-local: {@code RouteRequest} → {@code RouteDecision}. */
  public static final String ROUTE = "switchboard.route.decide";
  /** Request-reply: an OpenAI chat request as JSON → the completion JSON (non-streaming clients of the bus). */
  public static final String CHAT = "switchboard.chat";
  /** Request-reply, node-local: empty → cost and savings totals as JSON. */
  public static final String COST_STATS = "switchboard.cost.stats";
  /** Published fact, node-local: a {@code UsageRecord} for every finished request. */
  public static final String USAGE_RECORDED = "switchboard.usage.recorded";
  /** Published fact, node-local: an {@code AttemptRecord} for every call to an upstream, answered or not. */
  public static final String ATTEMPT_RECORDED = "switchboard.attempt.recorded";
  /** Published fact, node-local: an {@code EscalationRecord} each time an answer failed its quality check. */
  public static final String ESCALATION_RECORDED = "switchboard.escalation.recorded";

  /** Published fact, node-local: a {@code DecisionStarted} for every routed request that will be answered. */
  public static final String DECISION_STARTED = "switchboard.decision.started";
  /** Request-reply, node-local: feedback on a decision as JSON → what was recorded, or 404 / 409. */
  public static final String FEEDBACK = "switchboard.learning.feedback";
  /** Published fact, node-local: a {@code FeedbackRecord} for every accepted feedback on a decision. */
  public static final String FEEDBACK_RECORDED = "switchboard.learning.feedback.recorded";
  /** Published fact, node-local: a {@code DecisionRouted} for every routed request, while a ledger is on. */
  public static final String DECISION_ROUTED = "switchboard.decision.routed";
  /** Published fact, node-local: a {@code BudgetEvent} for every budget refusal and alert. */
  public static final String BUDGET_EVENT = "switchboard.budget.event.recorded";
  /** Published fact, node-local: a {@code RateLimitRefusal} each time the gateway's own rate limiter says no. */
  public static final String RATE_LIMIT_REFUSED = "switchboard.limit.refusal.recorded";
  /** Request-reply, node-local: empty → every experiment's arms, statistics and tests as JSON. */
  public static final String EXPERIMENT_STATS = "switchboard.experiment.stats";

  private Addresses() {
  }
}
