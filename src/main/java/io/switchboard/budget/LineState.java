package io.switchboard.budget;

import java.util.List;

/**
 * A budget line as the store last saw it.
 *
 * @param limitMicros     the limit in force (an admin override, else the configured one); {@link BudgetLine#UNLIMITED}
 * @param crossedPercents alert thresholds this settlement crossed first in the window (each one fires once)
 */
public record LineState(BudgetLine line, long limitMicros, long spentMicros, long reservedMicros,
                        List<Integer> crossedPercents) {

  public LineState {
    crossedPercents = List.copyOf(crossedPercents);
  }

  public boolean limited() {
    return limitMicros >= 0;
  }

  /** Spent share of the limit, 0 when unlimited; may exceed 1 after an overrun. */
  public double utilization() {
    if (!limited()) {
      return 0;
    }
    return limitMicros == 0 ? (spentMicros > 0 ? 1 : 0) : (double) spentMicros / limitMicros;
  }
}
