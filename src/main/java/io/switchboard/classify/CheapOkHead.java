package io.switchboard.classify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The trained {@code p_cheap_ok} of the static tier: a logistic regression over the tier-1 model's task-type and
 * complexity probabilities and the prompt's size, gated per task type. For a task type where the learned score beat
 * the per-category rule on held-out prompts it answers; elsewhere the rule does: the share of training prompts of
 * that (predicted) task type whose cheap answer was as good. Read from {@code cheap-ok.json} next to the model file
 * ({@code train-classifier} writes both). Immutable, thread-safe.
 */
public final class CheapOkHead {

  public static final String FILE = "cheap-ok.json";
  /** Feature names, in the order of the weights: what {@link #features} computes. */
  public static final List<String> FEATURES = featureNames();

  private final double[] weights;
  private final double bias;
  private final Map<TaskType, Double> rule;
  private final Set<TaskType> learned;
  private final JsonObject json;

  private CheapOkHead(double[] weights, double bias, Map<TaskType, Double> rule, Set<TaskType> learned,
                      JsonObject json) {
    this.weights = weights;
    this.bias = bias;
    this.rule = rule;
    this.learned = learned;
    this.json = json;
  }

  /**
   * @param rule    the per-category value of every task type
   * @param learned the task types whose p_cheap_ok is the learned score
   * @param extra   more fields for the file (provenance, the gate's evidence); kept as they are
   */
  public static CheapOkHead of(double[] weights, double bias, Map<TaskType, Double> rule, Set<TaskType> learned,
                               JsonObject extra) {
    if (weights.length != FEATURES.size()) {
      throw new IllegalArgumentException(weights.length + " weights for " + FEATURES.size() + " features");
    }
    JsonObject ruleJson = new JsonObject();
    for (TaskType type : TaskType.values()) {
      Double value = rule.get(type);
      if (value == null) {
        throw new IllegalArgumentException("no per-category value for " + type.wireName());
      }
      ruleJson.put(type.wireName(), value);
    }
    JsonObject json = extra.copy()
      .put("features", new JsonArray(FEATURES))
      .put("weights", new JsonArray(Arrays.stream(weights).boxed().toList()))
      .put("bias", bias)
      .put("rule", ruleJson)
      .put("learned_task_types", new JsonArray(learned.stream().map(TaskType::wireName).sorted().toList()));
    return parse(json);
  }

  /** @throws IllegalArgumentException when the file does not describe this head's features */
  public static CheapOkHead parse(JsonObject json) {
    JsonArray names = json.getJsonArray("features");
    if (names == null || !names.getList().equals(FEATURES)) {
      throw new IllegalArgumentException("p_cheap_ok head features are " + names + ", not " + FEATURES);
    }
    JsonArray w = json.getJsonArray("weights");
    if (w == null || w.size() != FEATURES.size()) {
      throw new IllegalArgumentException("p_cheap_ok head needs " + FEATURES.size() + " weights");
    }
    double[] weights = new double[w.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = w.getDouble(i);
    }
    JsonObject ruleJson = json.getJsonObject("rule", new JsonObject());
    Map<TaskType, Double> rule = new EnumMap<>(TaskType.class);
    for (TaskType type : TaskType.values()) {
      Double value = ruleJson.getDouble(type.wireName());
      if (value == null || value < 0 || value > 1) {
        throw new IllegalArgumentException("p_cheap_ok head: rule." + type.wireName() + " must be in [0, 1]");
      }
      rule.put(type, value);
    }
    Set<TaskType> learned = EnumSet.noneOf(TaskType.class);
    for (Object name : json.getJsonArray("learned_task_types", new JsonArray())) {
      learned.add(TaskType.fromWireName(String.valueOf(name))
        .orElseThrow(() -> new IllegalArgumentException("p_cheap_ok head: unknown task type " + name)));
    }
    return new CheapOkHead(weights, json.getDouble("bias", 0.0), rule, learned, json.copy());
  }

  /** The same head with the learned score for every task type: what the evaluation compares with the rule. */
  public CheapOkHead ungated() {
    return new CheapOkHead(weights, bias, rule, EnumSet.allOf(TaskType.class), json);
  }

  /** The router's p_cheap_ok: the learned score where the gate allows it, else the per-category rule. */
  public double pCheapOk(TaskType best, Map<String, Double> taskProbabilities,
                         Map<String, Double> complexityProbabilities, RequestFeatures shape) {
    return learned.contains(best) ? learned(taskProbabilities, complexityProbabilities, shape) : rule.get(best);
  }

  /** The logistic regression's probability, whatever the gate says. */
  public double learned(Map<String, Double> taskProbabilities, Map<String, Double> complexityProbabilities,
                        RequestFeatures shape) {
    double[] x = features(taskProbabilities, complexityProbabilities, shape);
    double z = bias;
    for (int i = 0; i < x.length; i++) {
      z += weights[i] * x[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * Task-type and complexity probabilities, then ln(1 + prompt tokens) and ln(1 + code blocks). Turns, tools and
   * images are left out: every training prompt is a single turn without tools or images, so nothing could be
   * learned about them.
   */
  public static double[] features(Map<String, Double> taskProbabilities, Map<String, Double> complexityProbabilities,
                                  RequestFeatures shape) {
    double[] x = new double[FEATURES.size()];
    int i = 0;
    for (TaskType type : TaskType.values()) {
      x[i++] = taskProbabilities.getOrDefault(type.wireName(), 0.0);
    }
    for (Complexity c : Complexity.values()) {
      x[i++] = complexityProbabilities.getOrDefault(c.wireName(), 0.0);
    }
    x[i++] = Math.log1p(shape.promptTokens());
    x[i] = Math.log1p(shape.codeBlocks());
    return x;
  }

  public Set<TaskType> learnedTaskTypes() {
    return Set.copyOf(learned);
  }

  public double rule(TaskType type) {
    return rule.get(type);
  }

  /** MMLU subjects whose prompts trained the head: an honest evaluation leaves them out. */
  public Set<String> trainingSubjects() {
    Set<String> subjects = new TreeSet<>();
    JsonArray list = json.getJsonObject("training", new JsonObject()).getJsonArray("mmlu_subjects", new JsonArray());
    list.forEach(s -> subjects.add(String.valueOf(s)));
    return subjects;
  }

  public JsonObject toJson() {
    return json.copy();
  }

  private static List<String> featureNames() {
    List<String> names = new ArrayList<>();
    for (TaskType type : TaskType.values()) {
      names.add("task_type:" + type.wireName());
    }
    for (Complexity c : Complexity.values()) {
      names.add("complexity:" + c.wireName());
    }
    names.add("ln1p_prompt_tokens");
    names.add("ln1p_code_blocks");
    return List.copyOf(names);
  }
}
