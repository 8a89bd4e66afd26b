package io.switchboard.route;

import io.switchboard.classify.Classification;
import io.switchboard.classify.Classifier;
import io.switchboard.classify.HeuristicClassifier;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.config.PolicyConfig;
import io.switchboard.config.ThresholdConfig;
import io.switchboard.cost.Money;
import io.switchboard.cost.Pricing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named model or alias is honoured as asked; a policy name is routed by the policy's kind (a decision table,
 * weighted scoring, a threshold or a cascade). Then, for every kind alike: models that cannot hold the prompt plus
 * the requested output, or that break one of the request's constraints, are never chosen, and economy mode moves a
 * request one tier cheaper unless its rule is {@code no_compromise}. Thread-safe; needs no Vert.x.
 * Threshold policies with a target share are calibrated on construction (reads their reference files).
 */
public final class Router {

  static final int MAX_FALLBACKS = 3;
  /** Models named in a "no model satisfies" error, at most. */
  private static final int MAX_NAMED = 4;

  private final GatewayConfig config;
  private final RouteObserver observer;
  private final Map<String, Policy> policies = new LinkedHashMap<>();

  public Router(GatewayConfig config) {
    this(config, SuccessEstimates.NONE);
  }

  public Router(GatewayConfig config, SuccessEstimates history) {
    this(config, history, RouteObserver.NONE);
  }

  public Router(GatewayConfig config, SuccessEstimates history, RouteObserver observer) {
    this(config, history, observer, new HeuristicClassifier());
  }

  /**
   * @param calibration scores the reference prompts of threshold policies calibrated to a premium share: the
   *                    classifier the gateway runs, so that the share holds for the p_cheap_ok requests will carry
   */
  public Router(GatewayConfig config, SuccessEstimates history, RouteObserver observer, Classifier calibration) {
    this.config = config;
    this.observer = observer;
    for (PolicyConfig policy : config.routing().policies().values()) {
      policies.put(policy.name(), switch (policy.kind()) {
        case TREE -> new TreePolicy(policy);
        case SCORING -> new ScoringPolicy(policy, history);
        case THRESHOLD -> threshold(policy, calibration);
        case CASCADE -> new CascadePolicy(policy);
      });
    }
  }

  private static ThresholdPolicy threshold(PolicyConfig policy, Classifier calibration) {
    ThresholdConfig t = policy.threshold().orElseThrow();
    if (t.threshold().isPresent()) {
      return new ThresholdPolicy(policy, t.threshold().getAsDouble(), "");
    }
    ThresholdCalibration.Result calibrated = ThresholdCalibration.calibrate(
      "routing.policies." + policy.name() + ".reference", t.reference().orElseThrow(),
      t.targetPremiumShare().orElseThrow(), calibration);
    return new ThresholdPolicy(policy, calibrated.threshold(), calibrated.describe());
  }

  /** The threshold a threshold policy uses (configured or calibrated), for tests and tools. */
  public double threshold(String policy) {
    if (!(policies.get(policy) instanceof ThresholdPolicy t)) {
      throw new IllegalArgumentException("'" + policy + "' is not a threshold policy");
    }
    return t.threshold();
  }

  public RouteDecision decide(RouteRequest request) {
    String requested = request.model();
    if (config.model(requested).isPresent()) {
      return pinned(request, config.model(requested).get());
    }
    PolicyConfig policy = config.routing().policies().get(requested);
    if (policy == null && requested.equals("auto")) {
      policy = config.routing().policies().get(config.routing().defaultPolicy());
    }
    if (policy == null) {
      throw new NoRouteException(NoRouteException.MODEL_NOT_FOUND,
        "The model '" + abbreviate(requested) + "' does not exist: use a configured model, an alias or a policy "
          + "(GET /v1/models)");
    }
    return byPolicy(new Situation(config, request), policy);
  }

  private RouteDecision pinned(RouteRequest request, ModelConfig model) {
    Situation s = new Situation(config, request);
    List<String> reasons = new ArrayList<>();
    reasons.add(model.id().equals(request.model())
      ? "model '" + model.id() + "' requested by name"
      : "alias '" + request.model() + "' requested, which names model '" + model.id() + "'");
    Candidate candidate = s.candidate(model.id());
    if (!candidate.fits()) {
      throw new NoRouteException(NoRouteException.CONTEXT_LENGTH_EXCEEDED, contextMessage(model, request));
    }
    if (!candidate.excludedBy().isEmpty()) {
      throw new NoRouteException(NoRouteException.CONSTRAINT_NOT_SATISFIABLE,
        "The model '" + model.id() + "' does not satisfy the request's " + candidate.excludedBy());
    }
    List<String> fallbacks = model.fallbacks().stream().filter(s::allowed).limit(MAX_FALLBACKS).toList();
    return decision(s, "", "", model, List.of(candidate), fallbacks, List.of(), null, reasons);
  }

  private RouteDecision byPolicy(Situation s, PolicyConfig policy) {
    Choice choice = policies.get(policy.name()).choose(s);
    Classification c = s.classification;
    List<String> reasons = new ArrayList<>();
    reasons.add("classified as " + s.task.wireName() + ", " + s.complexity.wireName() + " (confidence "
      + twoDecimals(c.confidence()) + ", " + c.tier() + " classifier)");
    reasons.addAll(choice.reasons());
    String preferred = choice.eligible().get(0);
    String chosen = choice.eligible().stream().filter(s::allowed).findFirst()
      .orElseThrow(() -> unroutable(s, policy, choice));
    if (!chosen.equals(preferred)) {
      Candidate skipped = s.candidate(preferred);
      reasons.add((skipped.fits() ? "'" + preferred + "' breaks " + skipped.excludedBy()
        : contextMessage(s.model(preferred), s.request)) + ", so '" + chosen + "'");
    }
    chosen = economy(s, policy, choice, chosen, reasons);
    chosen = SessionPinning.apply(s, choice, chosen, reasons);

    Map<String, Candidate> candidates = new LinkedHashMap<>();
    Set<String> order = new LinkedHashSet<>();
    order.add(chosen);
    order.addAll(choice.eligible());
    order.addAll(choice.others());
    order.forEach(m -> candidates.put(m, choice.scored().getOrDefault(m, s.candidate(m))));
    ModelConfig model = s.model(chosen);
    int floor = choice.noCompromise() ? s.quality(chosen) : 0;
    // the chosen model's own fallbacks first, then the policy's next best
    Set<String> chain = new LinkedHashSet<>(model.fallbacks());
    chain.addAll(order);
    chain.remove(chosen);
    List<String> fallbacks = chain.stream()
      .filter(s::allowed)
      .filter(m -> s.quality(m) >= floor)
      .limit(MAX_FALLBACKS)
      .toList();
    List<String> escalation = choice.noCompromise() ? List.of() : escalation(s, choice, chosen);
    if (!escalation.isEmpty()) {
      reasons.add("escalation if the answer fails the quality check: " + String.join(", ", escalation));
    }
    if (choice.pipeline() != null) {
      reasons.add("pipeline: '" + chosen + "' drafts, '" + choice.pipeline().reviewer() + "' reviews the draft");
    }
    return decision(s, policy.name(), policy.kind().wireName(), model, List.copyOf(candidates.values()), fallbacks,
      escalation, choice.pipeline(), reasons);
  }

  /** Above the budget threshold, the nearest cheaper model of the policy's ladder that the request allows. */
  private String economy(Situation s, PolicyConfig policy, Choice choice, String chosen, List<String> reasons) {
    double utilization = s.request.budgetUtilization();
    if (!config.routing().economyActive(utilization)) {
      return chosen;
    }
    String mode = "economy mode (global budget " + Math.round(utilization * 100) + "% used): ";
    if (choice.noCompromise()) {
      reasons.add(mode + s.task.wireName() + " is no_compromise, so '" + chosen + "' is kept");
      return chosen;
    }
    String cheaper = null;
    for (String m : choice.ladder()) {
      if (s.cost(m) < s.cost(chosen) && s.allowed(m)
        && (cheaper == null || s.cost(m) > s.cost(cheaper)
          || s.cost(m) == s.cost(cheaper) && s.quality(m) > s.quality(cheaper))) {
        cheaper = m;
      }
    }
    if (cheaper == null) {
      reasons.add(mode + "nothing cheaper than '" + chosen + "' fits, so it is kept");
      return chosen;
    }
    reasons.add(mode + "one tier cheaper, '" + cheaper + "' instead of '" + chosen + "'");
    observer.economyShift(policy.name());
    return cheaper;
  }

  /** The policy's escalation models after the chosen one (all of them when it is not among them) that fit. */
  private static List<String> escalation(Situation s, Choice choice, String chosen) {
    List<String> order = choice.escalation();
    int at = order.indexOf(chosen);
    return order.subList(at + 1, order.size()).stream().filter(s::allowed).toList();
  }

  private static NoRouteException unroutable(Situation s, PolicyConfig policy, Choice choice) {
    List<String> broken = choice.eligible().stream()
      .filter(m -> s.candidate(m).fits() && !s.candidate(m).excludedBy().isEmpty())
      .toList();
    if (broken.isEmpty()) {
      return new NoRouteException(NoRouteException.CONTEXT_LENGTH_EXCEEDED,
        "No model of policy '" + policy.name() + "' can hold a prompt of " + s.promptTokens + " tokens plus "
          + s.request.maxOutputTokens() + " output tokens");
    }
    StringBuilder message = new StringBuilder("No model of policy '").append(policy.name())
      .append("' satisfies the request's constraints: ");
    for (int i = 0; i < Math.min(MAX_NAMED, broken.size()); i++) {
      message.append(i == 0 ? "" : "; ").append("'").append(broken.get(i)).append("' breaks ")
        .append(s.candidate(broken.get(i)).excludedBy());
    }
    if (broken.size() > MAX_NAMED) {
      message.append("; and ").append(broken.size() - MAX_NAMED).append(" more");
    }
    return new NoRouteException(NoRouteException.CONSTRAINT_NOT_SATISFIABLE, message.toString());
  }

  private RouteDecision decision(Situation s, String policy, String kind, ModelConfig model, List<Candidate> ranked,
                                 List<String> fallbacks, List<String> escalation, Pipeline pipeline,
                                 List<String> reasons) {
    long output = s.outputTokens(model);
    long cost = ranked.get(0).estimatedCostMicros();   // the chosen model leads the ranking, already priced
    long baseline = Pricing.estimate(config.baseline().prices(), s.promptTokens, output);
    if (!model.id().equals(config.baseline().id())) {
      reasons.add("estimated $" + Money.usd(cost) + " vs $" + Money.usd(baseline) + " on baseline '"
        + config.baseline().id() + "' (" + s.promptTokens + " tokens in, " + output + " out"
        + (model.prices().longContext(s.promptTokens) ? ", long-context prices" : "") + ")");
    }
    return new RouteDecision(policy, model.id(), model.provider(), model.upstream(), ranked, fallbacks, output, cost,
      baseline, reasons, escalation, pipeline, kind, s.scenario.wireName());
  }

  private static String contextMessage(ModelConfig model, RouteRequest request) {
    long prompt = request.classification().features().promptTokens();
    if (request.maxOutputTokens() > model.maxOutput()) {
      return "max_tokens " + request.maxOutputTokens() + " exceeds model '" + model.id() + "' maximum output of "
        + model.maxOutput() + " tokens";
    }
    return "a prompt of " + prompt + " tokens plus " + request.maxOutputTokens() + " output tokens exceeds model '"
      + model.id() + "' context window of " + model.contextWindow() + " tokens";
  }

  static String twoDecimals(double value) {
    long hundredths = Math.round(value * 100);
    return hundredths / 100 + "." + (hundredths % 100 < 10 ? "0" : "") + hundredths % 100;
  }

  private static String abbreviate(String text) {
    String clean = text.replaceAll("[\\p{Cntrl}]", "?");
    return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
  }
}
