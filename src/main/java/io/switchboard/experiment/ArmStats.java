package io.switchboard.experiment;

import io.micrometer.core.instrument.Counter;
import io.switchboard.config.ArmConfig;
import io.vertx.core.json.JsonObject;

/**
 * What one arm's finished requests did: how many, how many succeeded (answered, not retried, not scored below
 * 0.5 by feedback), how many were escalated, their cost and latency. Owned by one event loop.
 */
public final class ArmStats {

  private final ArmConfig arm;
  private final Counter counter;
  private final RunningMoments costMicros = new RunningMoments();
  private final RunningMoments latencyMillis = new RunningMoments();
  private long totalCostMicros;
  private long successes;
  private long escalations;
  private long feedbackCount;
  private double feedbackSum;

  ArmStats(ArmConfig arm, Counter counter) {
    this.arm = arm;
    this.counter = counter;
  }

  /** A request of this arm ended. */
  public void finished(long costMicros, long latencyMillis, boolean success, boolean escalated) {
    counter.increment();
    this.costMicros.add(costMicros);
    totalCostMicros += costMicros;
    this.latencyMillis.add(latencyMillis);
    successes += success ? 1 : 0;
    escalations += escalated ? 1 : 0;
  }

  /** A finished request's success or escalation changed after it ended (a retry, feedback, a late escalation). */
  public void changed(int successDelta, int escalationDelta) {
    successes += successDelta;
    escalations += escalationDelta;
  }

  /** A feedback score, replacing {@code replaced} when the same decision had one already (NaN: it had none). */
  public void feedback(double score, double replaced) {
    if (Double.isNaN(replaced)) {
      feedbackCount++;
    } else {
      feedbackSum -= replaced;
    }
    feedbackSum += score;
  }

  public ArmConfig arm() {
    return arm;
  }

  public long requests() {
    return costMicros.count();
  }

  public long successes() {
    return successes;
  }

  public RunningMoments cost() {
    return costMicros;
  }

  JsonObject toJson() {
    long n = requests();
    return new JsonObject()
      .put("name", arm.name())
      .put("policy", arm.policy())
      .put("weight", arm.weight())
      .put("requests", n)
      .put("successes", successes)
      .put("success_rate", n == 0 ? null : (double) successes / n)
      .put("escalations", escalations)
      .put("escalation_rate", n == 0 ? null : (double) escalations / n)
      .put("feedback", new JsonObject().put("count", feedbackCount)
        .put("mean_score", feedbackCount == 0 ? null : feedbackSum / feedbackCount))
      .put("cost_usd", new JsonObject()
        .put("total", totalCostMicros / 1e6)
        .put("mean", n == 0 ? null : costMicros.mean() / 1e6)
        .put("variance", n < 2 ? null : costMicros.variance() / 1e12)
        .put("stddev", n < 2 ? null : Math.sqrt(costMicros.variance()) / 1e6))
      .put("latency_ms", new JsonObject().put("mean", n == 0 ? null : latencyMillis.mean()));
  }
}
