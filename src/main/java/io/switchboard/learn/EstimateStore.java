package io.switchboard.learn;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;

/** Where the success estimates outlive the process: a snapshot file, or Redis shared by every instance. */
public interface EstimateStore {

  /** The estimates saved before; none when there are none or they cannot be read (never fails start-up). */
  Future<Map<Cell, Posterior>> load(Vertx vertx);

  /** An observation the book just took, for stores that forward each one. */
  default void observed(Cell cell, double success, double failure, long nowMillis) {
  }

  /** Saves (and, for a shared store, reads back) the estimates; called every {@link #intervalMillis} and at stop. */
  Future<Void> sync(Vertx vertx, SuccessBook book);

  long intervalMillis();
}
