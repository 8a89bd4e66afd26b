package io.switchboard.classify;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tier 2 as the classify verticles share it: its classifier and the number of requests waiting for an encoder
 * thread. Every verticle instance holds the same one, so {@code classifier.encoder.max_queue} bounds the node's queue,
 * not each event loop's.
 */
public final class EncoderTier {

  private final Classifier classifier;
  private final AtomicInteger waiting = new AtomicInteger();

  public EncoderTier(Classifier classifier) {
    this.classifier = classifier;
  }

  public Classifier classifier() {
    return classifier;
  }

  /** Takes a place in the queue; false, taking none, when {@code maxQueue} requests already wait. */
  boolean enqueue(int maxQueue) {
    if (waiting.incrementAndGet() > maxQueue) {
      waiting.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives the place back: the request got a thread, or will never get one. */
  void dequeue() {
    waiting.decrementAndGet();
  }

  int waiting() {
    return waiting.get();
  }
}
