package io.switchboard.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server on 127.0.0.1 and a free port, for one test class: a fresh cluster from {@code initdb} in
 * a temporary directory (no durability: fsync off), its superuser {@code switchboard} trusted on loopback. Debian's
 * {@code postgresql} package is installed when no {@code initdb} is found. PostgreSQL refuses to run as root, so a
 * root test run starts it as the {@code postgres} user. {@link #close} stops it and deletes the cluster.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String USER = "switchboard";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static volatile String whyNot = "PostgreSQL TESTS SKIPPED";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;

  private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /**
   * Starts a server, or says loudly why none can start here (on the test's error output) and returns null: then
   * {@link #skipUnlessRunning} skips each test with that reason, so the run counts them as skipped, not passed.
   */
  public static PostgresServer startOrExplain() {
    try {
      return start();
    } catch (RuntimeException e) {
      whyNot = "PostgreSQL TESTS SKIPPED: no PostgreSQL server could be started here (" + e.getMessage()
        + "). Install Debian's postgresql package (apt-get install postgresql) to run them.";
      System.err.println("*".repeat(100) + "\n" + whyNot + "\n" + "*".repeat(100));
      return null;
    }
  }

  /**
   * Starts a server, or says loudly why not and skips the calling test class at once (Maven then counts its tests
   * as not run; {@link #startOrExplain} with {@link #skipUnlessRunning} counts each as skipped).
   */
  public static PostgresServer startOrSkip() {
    PostgresServer server = startOrExplain();
    Assumptions.assumeTrue(server != null, () -> whyNot);
    return server;
  }

  /** Skips the calling test when {@code server} did not start, with the reason {@link #startOrExplain} gave. */
  public static void skipUnlessRunning(PostgresServer server) {
    Assumptions.assumeTrue(server != null, () -> whyNot);
  }

  /** Starts a server; fails when PostgreSQL is missing and cannot be installed, or does not start. */
  public static PostgresServer start() {
    Path bin = Installer.binDir();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("switchboard-postgres");
      PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
      try {
        server.launch();
      } catch (RuntimeException e) {
        server.stopQuietly();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare a PostgreSQL cluster: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  /** A new, empty database; its URL for {@code analytics.postgres.url}. */
  public String createDatabase() {
    String name = "ledger_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    run(false, List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U",
      USER, name));
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + name;
  }

  @Override
  public void close() {
    try {
      run(asPostgres, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
        "immediate", "-w", "stop"));
    } finally {
      TempDirs.delete(dir);
    }
  }

  private void stopQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      // it never started: nothing to stop
    }
  }

  private void launch() {
    Path data = dir.resolve("data");
    if (asPostgres) {
      run(false, List.of("chown", "-R", "postgres:postgres", dir.toString()));
    }
    run(asPostgres, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
      "-E", "UTF8", "--locale=C", "--no-sync"));
    run(asPostgres, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
      dir.resolve("server.log").toString(), "-w", "-t", "30", "-o",
      "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        + " -c full_page_writes=off", "start"));
  }

  private void run(boolean asPostgresUser, List<String> command) {
    List<String> all = new ArrayList<>();
    if (asPostgresUser) {
      all.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    all.addAll(command);
    try {
      Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", all) + " did not finish");
      }
      if (process.exitValue() != 0) {
        String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
        throw new IllegalStateException(String.join(" ", all) + " failed (" + process.exitValue() + "): "
          + new String(output, StandardCharsets.UTF_8).trim() + (log.isEmpty() ? "" : "\n" + log));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + all.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Finds PostgreSQL's programs, installing Debian's package once per JVM when they are missing. */
  private static final class Installer {

    private static Path bin;

    static synchronized Path binDir() {
      if (bin == null) {
        bin = find().orElseGet(() -> {
          install();
          return find().orElseThrow(() -> new IllegalStateException("initdb is still missing after apt-get"));
        });
      }
      return bin;
    }

    /** Debian keeps initdb and pg_ctl out of PATH, under /usr/lib/postgresql/<version>/bin: the newest wins. */
    private static Optional<Path> find() {
      Path debian = Path.of("/usr/lib/postgresql");
      if (Files.isDirectory(debian)) {
        try (Stream<Path> versions = Files.list(debian)) {
          Optional<Path> newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
            .max(Comparator.comparingInt(Installer::version));
          if (newest.isPresent()) {
            return newest;
          }
        } catch (IOException e) {
          // fall through to PATH
        }
      }
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
        Path candidate = Path.of(dir);
        if (Files.isExecutable(candidate.resolve("initdb")) && Files.isExecutable(candidate.resolve("pg_ctl"))
          && Files.isExecutable(candidate.resolve("createdb"))) {
          return Optional.of(candidate);
        }
      }
      return Optional.empty();
    }

    private static int version(Path bin) {
      try {
        return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D.*", ""));
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    private static void install() {
      DebianPackages.install(() -> find().isPresent(), "postgresql");
    }
  }
}
