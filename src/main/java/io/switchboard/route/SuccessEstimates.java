package io.switchboard.route;

import io.switchboard.classify.TaskType;

/**
 * How often a model's answers to a task type have been good, 0-1, learned from feedback and outcomes: the
 * historical factor of routing scores. Implementations are thread-safe and answer without blocking.
 */
@FunctionalInterface
public interface SuccessEstimates {

  /** No history: every model is neutral. */
  SuccessEstimates NONE = (model, task) -> 0.5;

  double success(String model, TaskType task);
}
