package io.switchboard.learn;

/**
 * The evidence about one (model, task type) beyond the prior: weighted successes and failures, as of
 * {@code updatedMillis}. With the prior it is a Beta(prior mean × prior weight + successes, (1 − prior mean) ×
 * prior weight + failures) posterior. Evidence decays exponentially with time, so the estimate drifts back to the
 * prior when a model stops being used and follows a model that changed.
 */
public record Posterior(double successes, double failures, long updatedMillis) {

  public static final Posterior EMPTY = new Posterior(0, 0, 0);

  /** The same evidence seen from {@code nowMillis}: every observation weighs 2^(−age / half-life). */
  public Posterior decayedTo(long nowMillis, long halfLifeMillis) {
    if (nowMillis <= updatedMillis) {
      return this;
    }
    double factor = Math.pow(0.5, (double) (nowMillis - updatedMillis) / halfLifeMillis);
    return new Posterior(successes * factor, failures * factor, nowMillis);
  }

  /** Adds (or, negative, takes back) evidence; never below none. */
  public Posterior plus(double success, double failure) {
    return new Posterior(Math.max(0, successes + success), Math.max(0, failures + failure), updatedMillis);
  }

  /** The posterior mean: the probability that the next answer is good. */
  public double mean(double priorMean, double priorWeight) {
    return (priorMean * priorWeight + successes) / (priorWeight + successes + failures);
  }

  public double evidence() {
    return successes + failures;
  }
}
