package io.switchboard.classify;

/**
 * Turns a prompt into a {@link Classification}. Implementations may block (model inference): the
 * {@link ClassifyVerticle} decides which thread runs them. They must be thread-safe.
 */
public interface Classifier {

  /** A short name reported as the classification's {@code tier}. */
  String name();

  Classification classify(PromptText prompt);
}
