package io.switchboard.learn;

import io.switchboard.classify.TaskType;
import io.switchboard.cost.Outcome;

import java.util.List;

/**
 * What the learner remembers of one recent request, by its decision id: who asked, which experiment arm it was in,
 * which model answered which task type and how, and every signal about it since. No prompt or answer text.
 * A short-lived view of one slot of the {@link DecisionIndex}, which holds the fields; owned by the learner's
 * event loop.
 */
final class Decision {

  private static final TaskType[] TASKS = TaskType.values();
  private static final Outcome[] OUTCOMES = Outcome.values();

  /** The id this view was found by; null when it was found by the id's digest. */
  final String id;
  private final DecisionIndex index;
  private final DecisionIndex.Chunk c;
  private final int i;
  private final int slot;

  Decision(DecisionIndex index, DecisionIndex.Chunk chunk, int offset, int slot, String id) {
    this.index = index;
    this.c = chunk;
    this.i = offset;
    this.slot = slot;
    this.id = id;
  }

  String tenant() {
    return c.tenant[i];
  }

  String experiment() {
    return c.experiment[i];
  }

  String arm() {
    return c.arm[i];
  }

  /** Who asked and which experiment arm the request is in. */
  void started(String tenant, String experiment, String arm) {
    c.tenant[i] = index.canonical(tenant);
    c.experiment[i] = index.canonical(experiment);
    c.arm[i] = index.canonical(arm);
  }

  void markRouted() {
    set(DecisionIndex.Chunk.ROUTED, true);
  }

  /** Whether the gateway routed it now (a cache hit was not). */
  boolean routed() {
    return is(DecisionIndex.Chunk.ROUTED);
  }

  /** Set by the usage record: until then the request is still running. */
  void finished(String model, TaskType task, Outcome outcome, long costMicros, long latencyMillis) {
    c.model[i] = index.canonical(model);
    c.task[i] = (byte) (task.ordinal() + 1);
    c.outcome[i] = (byte) (outcome.ordinal() + 1);
    c.costMicros[i] = costMicros;
    c.latencyMillis[i] = latencyMillis;
  }

  boolean finished() {
    return c.model[i] != null;
  }

  String model() {
    return c.model[i];
  }

  TaskType task() {
    return c.task[i] == 0 ? null : TASKS[c.task[i] - 1];
  }

  Outcome outcome() {
    return c.outcome[i] == 0 ? null : OUTCOMES[c.outcome[i] - 1];
  }

  long costMicros() {
    return c.costMicros[i];
  }

  long latencyMillis() {
    return c.latencyMillis[i];
  }

  boolean retried() {
    return is(DecisionIndex.Chunk.RETRIED);
  }

  void markRetried() {
    set(DecisionIndex.Chunk.RETRIED, true);
  }

  boolean escalated() {
    return is(DecisionIndex.Chunk.ESCALATED);
  }

  void markEscalated() {
    set(DecisionIndex.Chunk.ESCALATED, true);
  }

  void broke(String model) {
    index.broke(slot, model);
  }

  /** The models whose calls broke before the task type was known, forgotten as they are handed over. */
  List<String> takeBroken() {
    return index.takeBroken(slot);
  }

  /** Feedback score in [0, 1], NaN while none was given. */
  double feedbackScore() {
    return c.feedbackScore[i];
  }

  long feedbackMillis() {
    return c.feedbackMillis[i];
  }

  double feedbackSuccess() {
    return c.feedbackSuccess[i];
  }

  double feedbackFailure() {
    return c.feedbackFailure[i];
  }

  /** Records a feedback score and the evidence it added, replacing any earlier one. */
  void feedback(double score, long millis, double success, double failure) {
    c.feedbackScore[i] = score;
    c.feedbackMillis[i] = millis;
    c.feedbackSuccess[i] = success;
    c.feedbackFailure[i] = failure;
  }

  /** Whether the experiment's statistics counted it; then also what they counted, so a change can be corrected. */
  boolean counted() {
    return is(DecisionIndex.Chunk.COUNTED);
  }

  boolean countedSuccess() {
    return is(DecisionIndex.Chunk.COUNTED_SUCCESS);
  }

  boolean countedEscalated() {
    return is(DecisionIndex.Chunk.COUNTED_ESCALATED);
  }

  void counted(boolean success, boolean escalated) {
    set(DecisionIndex.Chunk.COUNTED, true);
    set(DecisionIndex.Chunk.COUNTED_SUCCESS, success);
    set(DecisionIndex.Chunk.COUNTED_ESCALATED, escalated);
  }

  /** For the experiments: answered, not asked again, and not scored below one half. */
  boolean succeeded() {
    double score = feedbackScore();
    return outcome() == Outcome.OK && !retried() && (Double.isNaN(score) || score >= 0.5);
  }

  private boolean is(byte flag) {
    return (c.flags[i] & flag) != 0;
  }

  private void set(byte flag, boolean on) {
    c.flags[i] = (byte) (on ? c.flags[i] | flag : c.flags[i] & ~flag);
  }
}
