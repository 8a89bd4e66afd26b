package io.switchboard.replay;

import io.switchboard.testkit.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code switchboard replay} through the real entry point, {@code io.switchboard.Switchboard}, in its own JVM. */
@Timeout(90)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReplayCliTest {

  @TempDir
  Path dir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process process : started) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private record Exit(int code, List<String> stdout, List<String> stderr) {
  }

  private Exit run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"),
      "io.switchboard.Switchboard"));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
      .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
    Process process = builder.start();
    started.add(process);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process exits").isTrue();
    return new Exit(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
  }

  private String conf() throws IOException {
    Path file = dir.resolve("conf.yaml");
    Files.writeString(file, TestConfig.singleProvider("http://127.0.0.1:9/v1").encodePrettily());
    return file.toString();
  }

  @Test
  void replay_exits_0_and_prints_the_report_without_a_progress_bar_when_stderr_is_a_file() throws Exception {
    Exit exit = run("replay", "--input", ReplayReportTest.FIXTURE.toString(), "--conf", conf(), "--split", "none");

    assertThat(exit.code()).as(String.join("\n", exit.stderr())).isZero();
    assertThat(exit.stdout()).contains("Replay of requests.jsonl: 5 prompts",
      "  cost:     $0.000521 vs $0.001680 on fake-premium: 69.0 % less",
      "    APGR 1.300 (fake-cheap 0.600, fake-premium 0.800)");
    assertThat(exit.stderr()).isEmpty();
  }

  @Test
  void the_progress_bar_is_drawn_on_stderr_when_asked() throws Exception {
    Exit exit = run("replay", "--input", ReplayReportTest.FIXTURE.toString(), "--conf", conf(), "--split", "none",
      "--progress");

    assertThat(exit.code()).isZero();
    assertThat(String.join("\n", exit.stderr())).contains("classifying").contains("100 % 5/5");
  }

  @Test
  void a_bad_input_file_gives_one_line_and_exit_code_2() throws Exception {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "this is not json\n");

    Exit exit = run("replay", "--input", bad.toString(), "--conf", conf());

    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.stderr()).containsExactly("switchboard replay: " + bad + ":1: not a JSON object");
    assertThat(exit.stdout()).isEmpty();
  }

  @Test
  void a_missing_input_file_gives_one_line_and_exit_code_2() throws Exception {
    Exit exit = run("replay", "--input", dir.resolve("nowhere.jsonl").toString());

    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.stderr()).containsExactly("switchboard replay: " + dir.resolve("nowhere.jsonl") + ": not found");
  }

  @Test
  void serve_takes_the_gateways_arguments_as_before() throws Exception {
    Path missing = dir.resolve("missing.yaml");

    Exit exit = run("serve", "--conf", missing.toString());

    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.stderr()).containsExactly("switchboard: config file " + missing + ": not found");
  }
}
