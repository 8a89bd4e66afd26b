package io.switchboard.learn;

import io.switchboard.classify.TaskType;
import io.switchboard.config.LearningConfig;
import io.switchboard.route.SuccessEstimates;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The success estimates the routers read, one decayed Beta posterior per (model, task type). Reads are a map
 * lookup and a little arithmetic, safe from any event loop; each update replaces one immutable {@link Posterior}
 * atomically. Why a Beta posterior rather than an EWMA: it knows how much evidence stands behind an estimate (a
 * model seen twice stays near the prior, one seen a thousand times does not), it takes fractional scores as
 * fractional successes, and with time-based decay a busy model forgets at the same pace as a quiet one, where an
 * EWMA forgets per observation.
 */
public final class SuccessBook implements SuccessEstimates {

  private final Map<Cell, Posterior> cells = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private final double priorMean;
  private final double priorWeight;
  private final long halfLifeMillis;
  private final LongSupplier clock;

  public SuccessBook(LearningConfig config, LongSupplier clock) {
    this.priorMean = config.priorMean();
    this.priorWeight = config.priorWeight();
    this.halfLifeMillis = Math.max(1, config.halfLife().toMillis());
    this.clock = clock;
  }

  @Override
  public double success(String model, TaskType task) {
    Posterior posterior = cells.get(new Cell(model, task));
    return posterior == null ? priorMean : posterior.decayedTo(clock.getAsLong(), halfLifeMillis).mean(priorMean,
      priorWeight);
  }

  /** The evidence behind {@link #success}, decayed to now. */
  public Posterior posterior(String model, TaskType task) {
    Posterior posterior = cells.get(new Cell(model, task));
    return posterior == null ? Posterior.EMPTY : posterior.decayedTo(clock.getAsLong(), halfLifeMillis);
  }

  /** Adds {@code success} and {@code failure} observations (negative amounts take earlier ones back). */
  public void observe(String model, TaskType task, double success, double failure) {
    long now = clock.getAsLong();
    cells.compute(new Cell(model, task), (cell, old) ->
      (old == null ? new Posterior(0, 0, now) : old.decayedTo(now, halfLifeMillis)).plus(success, failure));
    changes.incrementAndGet();
  }

  /** What an observation made {@code ageMillis} ago weighs now. */
  public double decay(long ageMillis) {
    return ageMillis <= 0 ? 1 : Math.pow(0.5, (double) ageMillis / halfLifeMillis);
  }

  /** Every cell's evidence as last updated (not decayed: the update time travels with it). */
  public Map<Cell, Posterior> cells() {
    return Map.copyOf(cells);
  }

  /** Replaces every estimate, as read from a snapshot or the shared store. */
  public void replaceAll(Map<Cell, Posterior> read) {
    cells.keySet().retainAll(read.keySet());
    cells.putAll(read);
    changes.incrementAndGet();
  }

  /** Grows with every change: a writer compares it with the value it last saved. */
  public long changes() {
    return changes.get();
  }

  public double priorMean() {
    return priorMean;
  }

  public double priorWeight() {
    return priorWeight;
  }

  public long halfLifeMillis() {
    return halfLifeMillis;
  }

  public long now() {
    return clock.getAsLong();
  }
}
