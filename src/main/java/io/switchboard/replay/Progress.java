package io.switchboard.replay;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place. Drawn only when asked, or when stderr is a terminal, so a
 * CI log never collects carriage returns.
 */
final class Progress {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000;

  private final PrintStream err;
  private final boolean enabled;
  private String label = "";
  private long total;
  private long done;
  private long drawnAt;

  Progress(PrintStream err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** Whether stderr is a terminal: on Linux, where fd 2 points; elsewhere, whether the JVM has a console. */
  static boolean stderrIsTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    try {
      if (Files.exists(fd)) {
        String target = Files.readSymbolicLink(fd).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (Exception e) {
      return false;
    }
    return System.console() != null;
  }

  void start(String label, long total) {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.drawnAt = 0;
    draw();
  }

  void step() {
    done++;
    if (enabled && (done == total || System.nanoTime() - drawnAt > REDRAW_NANOS)) {
      draw();
    }
  }

  /** Ends the bar's line. */
  void finish() {
    if (enabled) {
      draw();
      err.print('\n');
      err.flush();
    }
  }

  private void draw() {
    if (!enabled) {
      return;
    }
    drawnAt = System.nanoTime();
    int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
    err.print(String.format(Locale.ROOT, "\r%-12s [%s%s] %3d %% %,d/%,d", label, "#".repeat(filled),
      " ".repeat(WIDTH - filled), total == 0 ? 100 : 100 * done / total, done, total));
    err.flush();
  }
}
