package io.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Fresh temporary directories for tests, all under one per JVM that is deleted when the JVM ends. */
public final class TempDirs {

  private static Path root;

  private TempDirs() {
  }

  /** A new, empty directory whose name starts with {@code prefix}. */
  public static synchronized Path fresh(String prefix) {
    try {
      if (root == null) {
        root = Files.createTempDirectory("switchboard-test");
        Path created = root;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(created)));
      }
      return Files.createTempDirectory(root, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory and everything in it; what cannot be deleted stays. */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory left behind is harmless
    }
  }
}
