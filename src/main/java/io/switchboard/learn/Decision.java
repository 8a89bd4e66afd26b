package io.switchboard.learn;

import io.switchboard.classify.TaskType;
import io.switchboard.cost.Outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * What the learner remembers of one recent request, by its decision id: who asked, which experiment arm it was in,
 * which model answered which task type and how, and every signal about it since. No prompt or answer text.
 * Owned by the learner's event loop.
 */
final class Decision {

  final String id;
  final long startedMillis;
  String tenant = "";
  String experiment = "";
  String arm = "";
  /** Set by the usage record: until then the request is still running. */
  String model;
  TaskType task;
  Outcome outcome;
  long costMicros;
  long latencyMillis;
  boolean routed;
  boolean retried;
  boolean escalated;
  /** Feedback score in [0, 1], NaN while none was given. */
  double feedbackScore = Double.NaN;
  long feedbackMillis;
  double feedbackSuccess;
  double feedbackFailure;
  /** Models whose calls broke before the task type was known; null while none did (most requests). */
  private List<String> brokenModels;
  /** What the experiment's statistics counted for it, so a later change can be corrected. */
  boolean counted;
  boolean countedSuccess;
  boolean countedEscalated;

  Decision(String id, long startedMillis) {
    this.id = id;
    this.startedMillis = startedMillis;
  }

  void broke(String model) {
    if (brokenModels == null) {
      brokenModels = new ArrayList<>(2);
    }
    brokenModels.add(model);
  }

  /** The models whose calls broke, forgotten as they are handed over. */
  List<String> takeBroken() {
    List<String> broken = brokenModels == null ? List.of() : brokenModels;
    brokenModels = null;
    return broken;
  }

  boolean finished() {
    return model != null;
  }

  /** For the experiments: answered, not asked again, and not scored below one half. */
  boolean succeeded() {
    return outcome == Outcome.OK && !retried && (Double.isNaN(feedbackScore) || feedbackScore >= 0.5);
  }
}
