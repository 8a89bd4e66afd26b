package io.switchboard.classify;

import ai.onnxruntime.OrtException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tier 1: the distilled static-embedding model ({@link StaticModel}) over {@link ModelInput}'s token ids. Blocking
 * (a few hundred microseconds); the {@link ClassifyVerticle} runs it on its worker pool. Answers for a text seen
 * before come from an LRU cache keyed by a hash of the normalized text, so resent conversations cost no inference.
 * {@code p_cheap_ok} comes from the trained {@link CheapOkHead} when there is one, else from the heuristic's rule.
 */
public final class StaticModelClassifier implements Classifier {

  /** A 128-bit digest of the normalized text: collisions are out of reach, and no text stays in memory. */
  record Key(long high, long low) {
  }

  private final StaticModel model;
  private final ModelInput input;
  private final Map<Key, StaticModel.Prediction> cache;
  /** null: p_cheap_ok is the heuristic classifier's rule. */
  private final CheapOkHead cheapOk;

  public StaticModelClassifier(StaticModel model, ModelInput input, int cacheEntries) {
    this(model, input, cacheEntries, null);
  }

  public StaticModelClassifier(StaticModel model, ModelInput input, int cacheEntries, CheapOkHead cheapOk) {
    this.model = model;
    this.input = input;
    this.cheapOk = cheapOk;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, StaticModel.Prediction> eldest) {
        return size() > cacheEntries;
      }
    };
  }

  @Override
  public String name() {
    return "static";
  }

  @Override
  public Classification classify(PromptText prompt) {
    String text = ModelInput.normalized(prompt.lastUser(), prompt.context());
    Key key = key(text);
    StaticModel.Prediction prediction;
    synchronized (cache) {
      prediction = cache.get(key);
    }
    if (prediction == null) {
      try {
        prediction = model.predict(input.ids(text));
      } catch (OrtException e) {
        throw new IllegalStateException("static model inference failed: " + e.getMessage(), e);
      }
      synchronized (cache) {
        cache.put(key, prediction);
      }
    }
    return classification(prediction, prompt.features());
  }

  /** Turns the model's probabilities into a classification; the booleans and p_cheap_ok follow from them. */
  Classification classification(StaticModel.Prediction prediction, RequestFeatures features) {
    return classification(prediction, features, name(), cheapOk);
  }

  /**
   * The same for any model tier with these outputs (tier 2 too), reported as {@code tier}; {@code p_cheap_ok} from
   * the head when there is one (trained on tier 1's outputs, so tier 2 passes none), else the heuristic's rule.
   */
  static Classification classification(StaticModel.Prediction prediction, RequestFeatures features, String tier,
                                       CheapOkHead cheapOk) {
    Map<String, Double> tasks = new LinkedHashMap<>();
    TaskType best = TaskType.CONVERSATION;
    double bestP = -1;
    double code = 0;
    double reasoning = 0;
    for (TaskType type : TaskType.values()) {
      double p = prediction.taskType()[type.ordinal()];
      tasks.put(type.wireName(), p);
      if (p > bestP) {
        best = type;
        bestP = p;
      }
      code += HeuristicClassifier.CODE_TASKS.contains(type) ? p : 0;
      reasoning += HeuristicClassifier.REASONING_TASKS.contains(type) ? p : 0;
    }
    Map<String, Double> complexities = new LinkedHashMap<>();
    Complexity complexity = Complexity.MEDIUM;
    double complexityP = -1;
    for (Complexity c : Complexity.values()) {
      double p = prediction.complexity()[c.ordinal()];
      complexities.put(c.wireName(), p);
      if (p > complexityP) {
        complexity = c;
        complexityP = p;
      }
    }
    boolean involvesCode = code >= 0.5 || features.codeBlocks() > 0;
    boolean needsReasoning = reasoning >= 0.5 || complexity.ordinal() >= Complexity.COMPLEX.ordinal();
    double pCheapOk = cheapOk == null ? HeuristicClassifier.pCheapOk(complexity, best)
      : cheapOk.pCheapOk(best, tasks, complexities, features);
    return new Classification(best, complexity, involvesCode, needsReasoning, pCheapOk, bestP, tasks, complexities,
      features, tier);
  }

  static Key key(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      long high = 0;
      long low = 0;
      for (int i = 0; i < 8; i++) {
        high = (high << 8) | (d[i] & 0xFF);
        low = (low << 8) | (d[i + 8] & 0xFF);
      }
      return new Key(high, low);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
