package io.switchboard.route;

import io.switchboard.classify.Classification;
import io.switchboard.classify.TaskType;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.config.PolicyConfig;
import io.switchboard.config.RoutingRule;
import io.switchboard.cost.Money;
import io.switchboard.cost.Pricing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Routing v1: a named model or alias is honoured as asked; a policy name picks a model from its per-task-type
 * decision table. A model whose context window cannot hold the prompt plus the requested output is never chosen.
 * Pure and thread-safe.
 */
public final class Router {

  /** Weight of quality against cost in the alternatives' score. */
  static final double QUALITY_WEIGHT = 0.7;
  static final int MAX_FALLBACKS = 3;

  private final GatewayConfig config;
  private final SuccessEstimates history;
  private final long maxOutputPrice;

  public Router(GatewayConfig config) {
    this(config, SuccessEstimates.NONE);
  }

  public Router(GatewayConfig config, SuccessEstimates history) {
    this.config = config;
    this.history = history;
    this.maxOutputPrice = config.models().values().stream().mapToLong(m -> m.prices().output()).max().orElse(1);
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
    return byPolicy(request, policy);
  }

  private RouteDecision pinned(RouteRequest request, ModelConfig model) {
    List<String> reasons = new ArrayList<>();
    reasons.add(model.id().equals(request.model())
      ? "model '" + model.id() + "' requested by name"
      : "alias '" + request.model() + "' requested, which names model '" + model.id() + "'");
    long prompt = request.classification().features().promptTokens();
    if (!fits(model, request)) {
      throw new NoRouteException(NoRouteException.CONTEXT_LENGTH_EXCEEDED, contextMessage(model, request));
    }
    List<Candidate> ranked = List.of(candidate(model, request, prompt));
    List<String> fallbacks = model.fallbacks().stream()
      .map(id -> config.models().get(id))
      .filter(m -> fits(m, request))
      .map(ModelConfig::id)
      .limit(MAX_FALLBACKS)
      .toList();
    return decision("", model, ranked, fallbacks, request, reasons, List.of(), null);
  }

  private RouteDecision byPolicy(RouteRequest request, PolicyConfig policy) {
    Classification c = request.classification();
    TaskType task = c.taskType();
    RoutingRule rule = policy.rule(task);
    List<String> reasons = new ArrayList<>();
    reasons.add("classified as " + task.wireName() + ", " + c.complexity().wireName() + " (confidence "
      + twoDecimals(c.confidence()) + ", " + c.tier() + " classifier)");
    String preferred = rule.primary();
    if (c.confidence() < rule.minConfidence() && rule.lowConfidenceModel().isPresent()) {
      preferred = rule.lowConfidenceModel().get();
      reasons.add("policy '" + policy.name() + "': confidence " + twoDecimals(c.confidence()) + " is below "
        + twoDecimals(rule.minConfidence()) + " for " + task.wireName() + ", so its fallback '" + preferred + "'");
    } else {
      reasons.add("policy '" + policy.name() + "': " + task.wireName() + " goes to '" + preferred + "'");
    }
    long prompt = c.features().promptTokens();
    Set<String> order = new LinkedHashSet<>();
    order.add(preferred);
    order.add(rule.primary());
    rule.lowConfidenceModel().ifPresent(order::add);
    config.models().values().stream()
      .map(m -> candidate(m, request, prompt))
      .sorted(Comparator.comparingDouble(Candidate::score).reversed())
      .forEach(cand -> order.add(cand.model()));

    List<Candidate> ranked = order.stream().map(id -> candidate(config.models().get(id), request, prompt)).toList();
    ModelConfig chosen = ranked.stream().filter(Candidate::fits).findFirst()
      .map(cand -> config.models().get(cand.model()))
      .orElseThrow(() -> new NoRouteException(NoRouteException.CONTEXT_LENGTH_EXCEEDED,
        "No configured model can hold a prompt of " + prompt + " tokens plus " + request.maxOutputTokens()
          + " output tokens"));
    if (!chosen.id().equals(preferred)) {
      reasons.add(contextMessage(config.models().get(preferred), request) + ", so '" + chosen.id() + "'");
    }
    List<Candidate> ordered = new ArrayList<>(ranked);
    ordered.removeIf(cand -> cand.model().equals(chosen.id()));
    ordered.add(0, ranked.stream().filter(cand -> cand.model().equals(chosen.id())).findFirst().orElseThrow());
    // the chosen model's own fallbacks first, then the policy's next best
    Set<String> chain = new LinkedHashSet<>(chosen.fallbacks());
    ordered.forEach(cand -> chain.add(cand.model()));
    chain.remove(chosen.id());
    List<String> fallbacks = chain.stream()
      .map(id -> config.models().get(id))
      .filter(m -> fits(m, request))
      .map(ModelConfig::id)
      .limit(MAX_FALLBACKS)
      .toList();
    List<String> escalation = rule.escalateTo().stream()
      .filter(id -> !id.equals(chosen.id()) && fits(config.models().get(id), request))
      .toList();
    if (!escalation.isEmpty()) {
      reasons.add("the answer is quality-checked; if it fails, " + String.join(", then ", escalation) + " is asked");
    }
    Pipeline pipeline = rule.review().map(review -> new Pipeline(review.reviewer(), review.prompt())).orElse(null);
    if (pipeline != null) {
      reasons.add("pipeline: '" + chosen.id() + "' drafts, '" + pipeline.reviewer() + "' reviews the draft");
    }
    return decision(policy.name(), chosen, ordered, fallbacks, request, reasons, escalation, pipeline);
  }

  private RouteDecision decision(String policy, ModelConfig model, List<Candidate> ranked, List<String> fallbacks,
                                 RouteRequest request, List<String> reasons, List<String> escalation,
                                 Pipeline pipeline) {
    long prompt = request.classification().features().promptTokens();
    long output = outputTokens(request, model);
    long cost = ranked.get(0).estimatedCostMicros();   // the chosen model leads the ranking, already priced
    long baseline = Pricing.estimate(config.baseline().prices(), prompt, output);
    if (!model.id().equals(config.baseline().id())) {
      reasons.add("estimated $" + Money.usd(cost) + " vs $" + Money.usd(baseline) + " on baseline '"
        + config.baseline().id() + "' (" + prompt + " tokens in, " + output + " out)");
    }
    return new RouteDecision(policy, model.id(), model.provider(), model.upstream(), ranked, fallbacks, output, cost,
      baseline, reasons, escalation, pipeline);
  }

  private Candidate candidate(ModelConfig model, RouteRequest request, long prompt) {
    TaskType task = request.classification().taskType();
    long cost = Pricing.estimate(model.prices(), prompt, outputTokens(request, model));
    double cheapness = 1.0 - Math.min(1.0, (double) model.prices().output() / Math.max(1, maxOutputPrice));
    double score = QUALITY_WEIGHT * model.quality(task) / 100.0 + (1 - QUALITY_WEIGHT) * cheapness;
    return new Candidate(model.id(), score, cost, model.quality(task), fits(model, request));
  }

  private long outputTokens(RouteRequest request, ModelConfig model) {
    long wanted = request.maxOutputTokens() > 0 ? request.maxOutputTokens() : config.routing().defaultOutputTokens();
    return Math.min(wanted, model.maxOutput());
  }

  static boolean fits(ModelConfig model, RouteRequest request) {
    long prompt = request.classification().features().promptTokens();
    return request.maxOutputTokens() <= model.maxOutput()
      && prompt + Math.max(1, request.maxOutputTokens()) <= model.contextWindow();
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

  private static String twoDecimals(double value) {
    long hundredths = Math.round(value * 100);
    return hundredths / 100 + "." + (hundredths % 100 < 10 ? "0" : "") + hundredths % 100;
  }

  private static String abbreviate(String text) {
    String clean = text.replaceAll("[\\p{Cntrl}]", "?");
    return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
  }
}
