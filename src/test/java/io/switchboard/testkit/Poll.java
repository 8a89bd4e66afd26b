package io.switchboard.testkit;

/** Waits for something another thread or process does in the background. */
public final class Poll {

  private static final long LIMIT_MILLIS = 10_000;

  private Poll() {
  }

  /** Re-runs {@code assertion} until it passes; after ten seconds its last failure is thrown. */
  public static void until(Runnable assertion) {
    long deadline = System.currentTimeMillis() + LIMIT_MILLIS;
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
