package io.switchboard.replay;

import ai.onnxruntime.OrtException;
import io.switchboard.classify.CheapOkHead;
import io.switchboard.classify.Classifier;
import io.switchboard.classify.HeuristicClassifier;
import io.switchboard.classify.ModelInput;
import io.switchboard.classify.StaticModel;
import io.switchboard.classify.StaticModelClassifier;
import io.switchboard.classify.TaskType;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The classifier a replay classifies with ({@code --classifier}): the heuristic; {@code static}, the tier-1 model
 * with its trained p_cheap_ok as the gateway runs it (learned where the gate allows, the per-category rule
 * elsewhere); or {@code learned}, the same with the learned score for every prompt. Unlike the gateway, a replay
 * fails when the model or the head is missing rather than quietly measuring the heuristic.
 *
 * @param trainingSubjects MMLU subjects whose prompts trained the p_cheap_ok head: left out of the replay
 */
record ReplayClassifier(String name, Classifier classifier, StaticModel model, Set<String> trainingSubjects,
                        String note) implements AutoCloseable {

  static ReplayClassifier load(String name, Path modelFile) {
    if (name.equals("heuristic")) {
      return new ReplayClassifier(name, new HeuristicClassifier(), null, Set.of(),
        "heuristic (keyword rules; p_cheap_ok a complexity and task-type rule)");
    }
    Path headFile = modelFile.resolveSibling(CheapOkHead.FILE);
    CheapOkHead head;
    try {
      head = CheapOkHead.parse(new JsonObject(Files.readString(headFile, StandardCharsets.UTF_8)));
    } catch (IOException | DecodeException | IllegalArgumentException | ClassCastException e) {
      throw new ReplayException(headFile + ": no usable p_cheap_ok head (" + e.getMessage() + ")");
    }
    StaticModel model;
    try {
      model = StaticModel.load(Files.readAllBytes(modelFile));
    } catch (IOException | OrtException | IllegalArgumentException e) {
      throw new ReplayException(modelFile + ": the tier-1 model cannot be loaded (" + e.getMessage() + ")");
    }
    boolean learned = name.equals("learned");
    String note = "tier-1 model " + modelFile + ", p_cheap_ok from " + headFile + (learned
      ? ": the learned score for every prompt (gate off)"
      : ": the learned score for task types " + head.learnedTaskTypes().stream().map(TaskType::wireName).sorted()
        .toList() + ", the per-category rule for the rest");
    return new ReplayClassifier(name, new StaticModelClassifier(model, ModelInput.minilm(), 0,
      learned ? head.ungated() : head), model, head.trainingSubjects(), note);
  }

  @Override
  public void close() {
    if (model != null) {
      try {
        model.close();
      } catch (OrtException e) {
        throw new ReplayException("closing the tier-1 model: " + e.getMessage());
      }
    }
  }
}
