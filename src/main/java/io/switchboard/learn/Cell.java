package io.switchboard.learn;

import io.switchboard.classify.TaskType;

/** What a success estimate is kept for: one model on one task type. */
public record Cell(String model, TaskType task) {
}
