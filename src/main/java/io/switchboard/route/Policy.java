package io.switchboard.route;

/** One routing policy kind: proposes models for a request. Implementations are immutable and thread-safe. */
interface Policy {

  Choice choose(Situation situation);
}
