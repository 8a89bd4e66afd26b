package io.switchboard.replay;

/** Which model answers a prompt under one setting of a routing policy. */
@FunctionalInterface
interface Assigner {

  String model(Replayed prompt);
}
