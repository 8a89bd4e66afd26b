package io.switchboard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on 127.0.0.1 and a free port, for one test class. It is installed from
 * Debian's packages when missing (the test suite needs nothing installed by hand), runs without persistence, and
 * can be killed, frozen, thawed and restarted on the same port to play a Redis outage. {@link #close} stops it.
 */
public final class RedisServer implements AutoCloseable {

  private static final Duration START_WAIT = Duration.ofSeconds(10);

  private final int port;
  private final Path dir;
  private Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  public static RedisServer start() {
    String binary = Installer.redisServer();
    try {
      RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("switchboard-redis"));
      server.launch(binary);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server", e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** SIGKILL: connections drop at once, the port refuses until {@link #restart}. */
  public void kill() {
    process.destroyForcibly();
    waitFor(process);
  }

  /** SIGSTOP: connections stay open and nothing answers, the worst case for a client. */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze}. */
  public void thaw() {
    signal("CONT");
  }

  /** A fresh, empty server on the same port, after {@link #kill}. */
  public void restart() {
    if (process.isAlive()) {
      kill();
    }
    launch(Installer.redisServer());
  }

  /** The raw reply to one command, as redis-cli prints it (for checks the tests make behind the gateway's back). */
  public String command(String... args) {
    try {
      Process cli = new ProcessBuilder(concat(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)), args))
        .redirectErrorStream(true).start();
      byte[] out = cli.getInputStream().readAllBytes();
      waitFor(cli);
      return new String(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every byte Redis holds, keys and values, as written by SAVE without compression. */
  public byte[] snapshot() {
    command("SAVE");
    try {
      return Files.readAllBytes(dir.resolve("dump.rdb"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      thaw();
      process.destroyForcibly();
      waitFor(process);
    }
  }

  private void launch(String binary) {
    try {
      process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--rdbcompression", "no", "--dir", dir.toString(), "--daemonize", "no",
        "--loglevel", "warning")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary, e);
    }
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (answersPing()) {
        return;
      }
      sleep(20);
    }
    close();
    throw new IllegalStateException("redis-server did not answer PING on port " + port + " within " + START_WAIT);
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int read = in.readNBytes(reply, 0, reply.length);
      return read == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private void signal(String name) {
    try {
      waitFor(new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void waitFor(Process process) {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("process " + process.pid() + " did not end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  /** Finds redis-server, installing Debian's package once per JVM when it is missing and the tests run as root. */
  private static final class Installer {

    private static String path;

    static synchronized String redisServer() {
      if (path == null) {
        path = find().orElseGet(() -> {
          install();
          return find().orElseThrow(() -> new IllegalStateException("redis-server is still missing after apt-get"));
        });
      }
      return path;
    }

    private static java.util.Optional<String> find() {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
        Path candidate = Path.of(dir, "redis-server");
        if (Files.isExecutable(candidate)) {
          return java.util.Optional.of(candidate.toString());
        }
      }
      Path debian = Path.of("/usr/bin/redis-server");
      return Files.isExecutable(debian) ? java.util.Optional.of(debian.toString()) : java.util.Optional.empty();
    }

    private static void install() {
      DebianPackages.install(() -> find().isPresent(), "redis-server");
    }
  }
}
