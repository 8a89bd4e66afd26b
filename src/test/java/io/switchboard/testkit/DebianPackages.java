package io.switchboard.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Installs the Debian packages a test needs with apt-get (through {@code sudo -n} unless root), so that the test
 * command alone sets a fresh machine up. The caller checks afterwards whether what it needs is there: where there
 * is no apt-get or no right to use it, nothing is installed and nothing is thrown here.
 */
final class DebianPackages {

  private DebianPackages() {
  }

  /** Installs the packages; when {@code installed} still says no, refreshes the package lists and tries again. */
  static void install(BooleanSupplier installed, String... packages) {
    List<String> sudo = "root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo", "-n");
    List<String> install = new ArrayList<>(List.of("install", "-y", "-q", "--no-install-recommends"));
    install.addAll(List.of(packages));
    aptGet(sudo, install);
    if (!installed.getAsBoolean()) {
      aptGet(sudo, List.of("update", "-q"));
      aptGet(sudo, install);
    }
  }

  private static void aptGet(List<String> prefix, List<String> args) {
    List<String> command = new ArrayList<>(prefix);
    command.add("apt-get");
    command.addAll(args);
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process process = builder.start();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      // no apt-get (or no sudo): the caller finds the program missing and says so
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
