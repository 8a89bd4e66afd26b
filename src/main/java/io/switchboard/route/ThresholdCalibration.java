package io.switchboard.route;

import io.switchboard.classify.Classifier;
import io.switchboard.classify.ClassifyRequest;
import io.switchboard.classify.PromptText;
import io.switchboard.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Sets a threshold policy's threshold from a target share of premium calls: classifies every prompt of a
 * reference set, then picks, among the midpoints between neighbouring {@code p_cheap_ok} values (and 0 and 1),
 * the threshold whose share of prompts below it is closest to the target (the lower share on a tie).
 * A classifier with few distinct values can only approach the target; the achieved share is reported.
 */
final class ThresholdCalibration {

  /** The threshold found, the reference prompts it was found on, and the share of them it sends to strong. */
  record Result(double threshold, int prompts, double premiumShare) {

    String describe() {
      return " (calibrated: " + Math.round(premiumShare * 1000) / 10.0 + "% strong on " + prompts
        + " reference prompts)";
    }
  }

  private ThresholdCalibration() {
  }

  /**
   * @param at the configuration key of the reference, for errors
   * @param reference JSONL, one prompt a line: {@code {"prompt": "..."}} or an OpenAI-style {@code {"messages": [...]}}
   */
  static Result calibrate(String at, Path reference, double targetShare, Classifier classifier) {
    List<Double> scores = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(reference);
    } catch (IOException e) {
      throw new ConfigException(at + ": cannot read " + reference);
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonArray messages = messages(at, i + 1, lines.get(i));
      ClassifyRequest request = new ClassifyRequest(messages, false, 0, lines.get(i).length());
      scores.add(classifier.classify(PromptText.of(request)).pCheapOk());
    }
    if (scores.isEmpty()) {
      throw new ConfigException(at + ": " + reference + " holds no prompt");
    }
    return best(scores, targetShare);
  }

  static Result best(List<Double> scores, double targetShare) {
    TreeSet<Double> distinct = new TreeSet<>(scores);
    List<Double> thresholds = new ArrayList<>();
    thresholds.add(0.0);
    Double previous = null;
    for (double value : distinct) {
      if (previous != null) {
        thresholds.add((previous + value) / 2);
      }
      previous = value;
    }
    thresholds.add(1.0);
    Result best = null;
    for (double threshold : thresholds) {
      double share = (double) scores.stream().filter(p -> p < threshold).count() / scores.size();
      if (best == null || Math.abs(share - targetShare) < Math.abs(best.premiumShare() - targetShare) - 1e-12) {
        best = new Result(threshold, scores.size(), share);
      }
    }
    return best;
  }

  private static JsonArray messages(String at, int line, String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(at + ": line " + line + " is not a JSON object");
    }
    if (json.getValue("prompt") instanceof String prompt) {
      return new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt));
    }
    if (json.getValue("messages") instanceof JsonArray messages && !messages.isEmpty()) {
      return messages;
    }
    throw new ConfigException(at + ": line " + line + " has neither a 'prompt' string nor a 'messages' array");
  }
}
