package io.switchboard.cli;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code switchboard COMMAND ...} as its own JVM, through the real entry point ({@code io.switchboard.Switchboard})
 * on the test classpath, with an environment free of the host's {@code SWITCHBOARD_*} settings. Every process it
 * starts has ended (or been killed) when {@link #run} returns.
 */
final class CliProcess {

  /** What the process did: its exit code and its output, each stream whole and by line. */
  record Exit(int code, String stdout, String stderr) {

    List<String> lines() {
      return stdout.lines().toList();
    }

    List<String> errors() {
      return stderr.lines().toList();
    }

    JsonObject json() {
      return new JsonObject(stdout);
    }

    @Override
    public String toString() {
      return "exit " + code + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  private final Path dir;
  private final Map<String, String> env = new HashMap<>();

  /** @param dir where the process's output is kept until read (a test's temporary directory) */
  CliProcess(Path dir) {
    this.dir = dir;
  }

  /** Sets a variable in the environment of the processes run from now on. */
  CliProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Exit run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"),
      "io.switchboard.Switchboard"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
      .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("switchboard %s exits", String.join(" ", args)).isTrue();
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    return new Exit(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
      Files.readString(err, StandardCharsets.UTF_8));
  }
}
