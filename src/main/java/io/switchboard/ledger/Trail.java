package io.switchboard.ledger;

import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.UsageRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the ledger knows of one request while its facts arrive: its routing, its upstream calls (held until the
 * usage record says which task type and caller they were for), and which of its rows are written.
 */
final class Trail {

  final String decisionId;
  final long createdMillis;
  DecisionRouted routed;
  UsageRecord usage;
  long finishedMillis;
  int escalations;
  /** The baseline cost still to be put on the answering call, when that call's record comes after the usage. */
  long baselineOwed;
  final List<AttemptRecord> waiting = new ArrayList<>();
  /** Written calls by number, to pair a failed call with the one that followed it. */
  final TreeMap<Integer, AttemptRecord> written = new TreeMap<>();
  final Set<Integer> fallbacksWritten = new HashSet<>();

  Trail(String decisionId, long createdMillis) {
    this.decisionId = decisionId;
    this.createdMillis = createdMillis;
  }

  boolean finished() {
    return usage != null;
  }
}
