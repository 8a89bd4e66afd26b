package io.switchboard.execute;

import io.vertx.core.Vertx;

/**
 * Fires when an upstream body stays silent longer than the provider's idle timeout. Needed because Vert.x stops
 * a request's own idle timeout once the response head arrives. While paused (the client is slow and the
 * upstream held back on purpose), silence does not count. Confined to one event loop.
 */
final class IdleWatch {

  private final Vertx vertx;
  private final long limitMillis;
  private final Runnable onIdle;
  private long lastActivityNanos;
  private boolean paused;
  private long timer = -1;
  private boolean stopped;

  IdleWatch(Vertx vertx, long limitMillis, Runnable onIdle) {
    this.vertx = vertx;
    this.limitMillis = limitMillis;
    this.onIdle = onIdle;
  }

  void start() {
    touch();
    schedule(limitMillis);
  }

  /** Data arrived. */
  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    touch();
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  private void schedule(long delayMillis) {
    timer = vertx.setTimer(Math.max(1, delayMillis), id -> {
      if (stopped) {
        return;
      }
      long silentMillis = (System.nanoTime() - lastActivityNanos) / 1_000_000;
      if (paused || silentMillis < limitMillis) {
        schedule(paused ? limitMillis : limitMillis - silentMillis);
      } else {
        stopped = true;
        onIdle.run();
      }
    });
  }
}
