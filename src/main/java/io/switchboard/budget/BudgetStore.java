package io.switchboard.budget;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * Spend per budget line, shared by every gateway instance using the store. A request first reserves its
 * worst-case cost on all its lines at once, then settles to its actual cost; a reservation that is never settled
 * (its node died) expires. Money is whole micro-dollars. Implementations never block the caller.
 */
public interface BudgetStore {

  /**
   * Reserves {@code amountMicros} on every line, or on none: refused names the first line it does not fit
   * (spent + reserved + amount above the limit in force).
   */
  Future<Reservation> reserve(String reservationId, List<BudgetLine> lines, long amountMicros, long ttlMillis);

  /**
   * Releases the reservation (if it has not expired) and adds the actual cost to every line; reports each line
   * after it, with the alert thresholds it crossed first.
   */
  Future<List<LineState>> settle(String reservationId, List<BudgetLine> lines, long actualMicros,
                                 List<Integer> alertPercents);

  /** The lines' current state, live reservations included and expired ones left out. */
  Future<List<LineState>> read(List<BudgetLine> lines);

  /** Overrides a scope's limit for a period, for every instance; a negative limit removes the override. */
  Future<Void> setLimit(String scope, Period period, long limitMicros);

  /** Every override, by {@link BudgetLine#limitField}. */
  Future<Map<String, Long>> limitOverrides();

  /** The answer to a reservation. */
  sealed interface Reservation {
  }

  record Reserved() implements Reservation {
  }

  record Refused(LineState line) implements Reservation {
  }
}
