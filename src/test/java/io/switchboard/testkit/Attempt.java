package io.switchboard.testkit;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One request the {@link FakeProvider} received, and what became of it. */
public final class Attempt {

  private final String model;
  private final JsonObject body;
  private final Map<String, String> headers;
  private final long receivedNanos = System.nanoTime();
  private final long receivedEpochMillis = System.currentTimeMillis();
  private final CountDownLatch abortLatch = new CountDownLatch(1);
  private volatile long abortedNanos;
  private volatile boolean completed;
  private volatile int sentEvents;

  Attempt(String model, JsonObject body, Map<String, String> headers) {
    this.model = model;
    this.body = body;
    this.headers = headers;
  }

  void markAborted() {
    if (!completed && abortedNanos == 0) {
      abortedNanos = System.nanoTime();
      abortLatch.countDown();
    }
  }

  void markCompleted() {
    completed = true;
  }

  void sent(int events) {
    sentEvents = events;
  }

  public String model() {
    return model;
  }

  public JsonObject body() {
    return body;
  }

  /** Request headers, names in lower case. */
  public Map<String, String> headers() {
    return headers;
  }

  public boolean aborted() {
    return abortedNanos != 0;
  }

  /** Waits up to {@code millis} for the gateway to drop this request; true if it did. */
  public boolean awaitAborted(long millis) throws InterruptedException {
    return abortLatch.await(millis, TimeUnit.MILLISECONDS);
  }

  /** {@link System#nanoTime()} when the gateway dropped the request, 0 if it did not. */
  public long abortedNanos() {
    return abortedNanos;
  }

  public long receivedNanos() {
    return receivedNanos;
  }

  /** Wall-clock time of arrival, for comparing with an HTTP date. */
  public long receivedEpochMillis() {
    return receivedEpochMillis;
  }

  public boolean completed() {
    return completed;
  }

  public int sentEvents() {
    return sentEvents;
  }
}
