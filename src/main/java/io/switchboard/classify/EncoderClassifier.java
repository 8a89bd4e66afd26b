package io.switchboard.classify;

import ai.onnxruntime.OrtException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tier 2: the full encoder and its heads ({@link EncoderModel}) over the same {@link ModelInput} as tier 1. Blocking
 * (milliseconds to tens of milliseconds on a CPU); the {@link ClassifyVerticle} runs it on its encoder pool and sheds
 * to tier 1 past its queue bound or latency budget. Answers for a text seen before come from an LRU cache keyed by a
 * hash of the normalized text.
 */
public final class EncoderClassifier implements Classifier {

  private final EncoderModel model;
  private final ModelInput input;
  private final Map<StaticModelClassifier.Key, StaticModel.Prediction> cache;

  public EncoderClassifier(EncoderModel model, ModelInput input, int cacheEntries) {
    this.model = model;
    this.input = input;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<StaticModelClassifier.Key, StaticModel.Prediction> eldest) {
        return size() > cacheEntries;
      }
    };
  }

  @Override
  public String name() {
    return "encoder";
  }

  @Override
  public Classification classify(PromptText prompt) {
    String text = ModelInput.normalized(prompt.lastUser(), prompt.context());
    StaticModelClassifier.Key key = StaticModelClassifier.key(text);
    StaticModel.Prediction prediction;
    synchronized (cache) {
      prediction = cache.get(key);
    }
    if (prediction == null) {
      try {
        prediction = model.predict(input.ids(text));
      } catch (OrtException e) {
        throw new IllegalStateException("encoder inference failed: " + e.getMessage(), e);
      }
      synchronized (cache) {
        cache.put(key, prediction);
      }
    }
    return StaticModelClassifier.classification(prediction, prompt.features(), name(), null);
  }
}
