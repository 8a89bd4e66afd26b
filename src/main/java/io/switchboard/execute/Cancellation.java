package io.switchboard.execute;

/**
 * Whether the client of a request is still there. The owner of the client connection calls {@link #cancel()}
 * when it closes; whatever the request is doing at that moment (waiting for an upstream, waiting to retry,
 * relaying a stream) registers how to stop. Confined to the request's event loop.
 */
public final class Cancellation {

  private boolean cancelled;
  private Runnable stop = () -> { };

  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      stop.run();
    }
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** What to do on cancellation from now on; runs at once if the client is already gone. */
  public void onCancel(Runnable stop) {
    this.stop = stop;
    if (cancelled) {
      stop.run();
    }
  }
}
