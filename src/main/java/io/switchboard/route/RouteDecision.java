package io.switchboard.route;

import io.switchboard.cost.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * Where a request goes and why.
 *
 * @param policy the policy that decided, or empty when the client named the model
 * @param policyKind the policy's kind ({@code tree}, {@code scoring}, {@code threshold}, {@code cascade}), or empty
 * @param ranked every model considered, best first (the chosen one leads)
 * @param fallbacks models to try, in order, if the chosen one fails before answering
 * @param estimatedOutputTokens output assumed in the estimates ({@code max_tokens}, else the configured default)
 * @param escalation models to re-ask, in order, when an answer fails the quality check (empty: never escalate)
 * @param pipeline a review step after the chosen model's draft, or null
 * @param scenario the request's scenario's wire name ({@code default} when none applies)
 */
public record RouteDecision(String policy, String model, String provider, String upstreamModel, List<Candidate> ranked,
                            List<String> fallbacks, long estimatedOutputTokens, long estimatedCostMicros,
                            long baselineCostMicros, List<String> reasons, List<String> escalation, Pipeline pipeline,
                            String policyKind, String scenario) {

  public RouteDecision {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(policyKind, "policyKind");
    Objects.requireNonNull(scenario, "scenario");
    ranked = List.copyOf(ranked);
    fallbacks = List.copyOf(fallbacks);
    reasons = List.copyOf(reasons);
    escalation = List.copyOf(escalation);
  }

  /** A decision for a request of the default scenario. */
  public RouteDecision(String policy, String model, String provider, String upstreamModel, List<Candidate> ranked,
                       List<String> fallbacks, long estimatedOutputTokens, long estimatedCostMicros,
                       long baselineCostMicros, List<String> reasons, List<String> escalation, Pipeline pipeline,
                       String policyKind) {
    this(policy, model, provider, upstreamModel, ranked, fallbacks, estimatedOutputTokens, estimatedCostMicros,
      baselineCostMicros, reasons, escalation, pipeline, policyKind, "default");
  }

  /** The same decision with {@code reason} added last. */
  public RouteDecision withReason(String reason) {
    List<String> more = new java.util.ArrayList<>(reasons);
    more.add(reason);
    return new RouteDecision(policy, model, provider, upstreamModel, ranked, fallbacks, estimatedOutputTokens,
      estimatedCostMicros, baselineCostMicros, more, escalation, pipeline, policyKind, scenario);
  }

  /** Longest {@link #reasonsHeader()}. */
  public static final int MAX_REASONS_HEADER = 600;

  /**
   * The reasons as one HTTP header value: joined by {@code "; "}, printable ASCII only, at most
   * {@link #MAX_REASONS_HEADER} characters. Reasons name models, policies, task types and figures, never prompt text.
   */
  public String reasonsHeader() {
    StringBuilder out = new StringBuilder();
    for (String reason : reasons) {
      if (out.length() > 0) {
        out.append("; ");
      }
      reason.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
    }
    return out.length() <= MAX_REASONS_HEADER ? out.toString() : out.substring(0, MAX_REASONS_HEADER - 3) + "...";
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("policy", policy)
      .put("policy_kind", policyKind)
      .put("scenario", scenario)
      .put("model", model)
      .put("provider", provider)
      .put("upstream_model", upstreamModel)
      .put("alternatives", new JsonArray(ranked.stream().map(Candidate::toJson).toList()))
      .put("fallback_chain", new JsonArray(fallbacks))
      .put("estimated_output_tokens", estimatedOutputTokens)
      .put("estimated_cost_micros", estimatedCostMicros)
      .put("baseline_cost_micros", baselineCostMicros)
      .put("estimated_cost_usd", Money.usd(estimatedCostMicros))
      .put("baseline_cost_usd", Money.usd(baselineCostMicros))
      .put("reasons", new JsonArray(reasons))
      .put("escalation", new JsonArray(escalation))
      .put("pipeline", pipeline == null ? null : pipeline.toJson());
  }

  public static RouteDecision fromJson(JsonObject json) {
    return new RouteDecision(json.getString("policy", ""), json.getString("model"), json.getString("provider"),
      json.getString("upstream_model"),
      json.getJsonArray("alternatives", new JsonArray()).stream().map(o -> Candidate.fromJson((JsonObject) o)).toList(),
      json.getJsonArray("fallback_chain", new JsonArray()).stream().map(String.class::cast).toList(),
      json.getLong("estimated_output_tokens", 0L), json.getLong("estimated_cost_micros", 0L),
      json.getLong("baseline_cost_micros", 0L),
      json.getJsonArray("reasons", new JsonArray()).stream().map(String.class::cast).toList(),
      json.getJsonArray("escalation", new JsonArray()).stream().map(String.class::cast).toList(),
      Pipeline.fromJson(json.getJsonObject("pipeline")), json.getString("policy_kind", ""),
      json.getString("scenario", "default"));
  }
}
