package io.switchboard.route;

import io.switchboard.classify.Classification;
import io.switchboard.classify.Complexity;
import io.switchboard.classify.Scenario;
import io.switchboard.classify.TaskType;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.cost.Pricing;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * One request as the policies see it: its classification, and every catalog model priced for it (long-context
 * rates above a model's threshold), checked against its context window and its constraints, with a generic
 * score. Built per decision, on one thread.
 */
final class Situation {

  /** Weight of quality against cheapness in the generic score. */
  static final double QUALITY_WEIGHT = 0.7;

  final GatewayConfig config;
  final RouteRequest request;
  final Classification classification;
  final TaskType task;
  final Complexity complexity;
  final Scenario scenario;
  final long promptTokens;
  private final Map<String, Candidate> candidates = new LinkedHashMap<>();
  private final long maxCost;

  Situation(GatewayConfig config, RouteRequest request) {
    this.config = config;
    this.request = request;
    this.classification = request.classification();
    this.task = classification.taskType();
    this.complexity = classification.complexity();
    this.scenario = request.scenario();
    this.promptTokens = classification.features().promptTokens();
    Map<String, Long> costs = new LinkedHashMap<>();
    for (ModelConfig model : config.models().values()) {
      costs.put(model.id(), Pricing.estimate(model.prices(), promptTokens, outputTokens(model)));
    }
    maxCost = costs.values().stream().mapToLong(Long::longValue).max().orElse(0);
    for (ModelConfig model : config.models().values()) {
      long cost = costs.get(model.id());
      int quality = model.quality(task);
      boolean fits = fits(model, request);
      String broken = fits ? request.constraints().broken(cost, quality, model.latencyMillis()) : null;
      double score = QUALITY_WEIGHT * quality / 100.0 + (1 - QUALITY_WEIGHT) * cheapness(cost);
      candidates.put(model.id(), new Candidate(model.id(), score, cost, quality, fits, broken == null ? "" : broken,
        Map.of()));
    }
  }

  /** 1 for a free call, 0 for the priciest model's, linear between. */
  double cheapness(long cost) {
    return maxCost == 0 ? 1.0 : 1.0 - (double) cost / maxCost;
  }

  Candidate candidate(String model) {
    return candidates.get(model);
  }

  ModelConfig model(String id) {
    return config.models().get(id);
  }

  long cost(String model) {
    return candidates.get(model).estimatedCostMicros();
  }

  int quality(String model) {
    return candidates.get(model).quality();
  }

  boolean allowed(String model) {
    return candidates.get(model).allowed();
  }

  /** Every catalog model, best generic score first. */
  List<String> byGenericScore() {
    return candidates.entrySet().stream()
      .sorted(Comparator.comparingDouble((Entry<String, Candidate> e) -> e.getValue().score()).reversed())
      .map(Entry::getKey)
      .toList();
  }

  boolean classified() {
    return !"unavailable".equals(classification.tier());
  }

  long outputTokens(ModelConfig model) {
    long wanted = request.maxOutputTokens() > 0 ? request.maxOutputTokens() : config.routing().defaultOutputTokens();
    return Math.min(wanted, model.maxOutput());
  }

  static boolean fits(ModelConfig model, RouteRequest request) {
    long prompt = request.classification().features().promptTokens();
    return request.maxOutputTokens() <= model.maxOutput()
      && prompt + Math.max(1, request.maxOutputTokens()) <= model.contextWindow();
  }
}
