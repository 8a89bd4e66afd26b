package io.switchboard.api;

import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The real entry point, {@code io.switchboard.Switchboard}, run as a separate JVM on the test classpath. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StartupTest {

  private static final Pattern LISTENING = Pattern.compile("Switchboard listening on http://127\\.0\\.0\\.1:(\\d+)");

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

  private Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    started.add(process);
    return process;
  }

  /** The gateway's command line, with an environment free of the host's SWITCHBOARD_* settings. */
  private ProcessBuilder gateway(String... args) {
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"),
      "io.switchboard.Switchboard"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
    return builder;
  }

  private Path write(String name, JsonObject config) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, config.encodePrettily());   // JSON is YAML
    return file;
  }

  private record Exit(int code, List<String> stdout, List<String> stderr) {
  }

  private Exit run(ProcessBuilder builder) throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process = start(builder.redirectOutput(out.toFile()).redirectError(err.toFile()));
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the process exits").isTrue();
    return new Exit(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
  }

  @Test
  void an_unknown_key_stops_the_gateway_with_one_line_naming_it() throws Exception {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:9/v1");
    config.getJsonObject("server").put("prot", 8080);

    Exit exit = run(gateway("--conf", write("bad.yaml", config).toString()));

    assertThat(exit.code()).isNotZero();
    assertThat(exit.stderr()).hasSize(1);
    assertThat(exit.stderr().get(0)).startsWith("switchboard: ").contains("server.prot").contains("unknown key");
  }

  @Test
  void a_model_with_an_undefined_provider_stops_the_gateway_with_exit_code_1() throws Exception {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:9/v1");
    config.getJsonObject("models").getJsonObject("fake-cheap").put("provider", "openai2");

    Exit exit = run(gateway("--conf", write("bad.yaml", config).toString()));

    assertThat(exit.code()).isEqualTo(1);
    assertThat(exit.stderr()).containsExactly(
      "switchboard: cannot start: models.fake-cheap.provider: 'openai2' is not defined under providers");
  }

  @Test
  void a_missing_config_file_stops_the_gateway_with_exit_code_2() throws Exception {
    Path missing = dir.resolve("missing.yaml");

    Exit exit = run(gateway("--conf", missing.toString()));

    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.stderr()).hasSize(1);
    assertThat(exit.stderr().get(0)).startsWith("switchboard: ").contains(missing.toString());
  }

  @Test
  void a_bad_override_on_the_command_line_is_named() throws Exception {
    Exit exit = run(gateway("--conf", "conf/switchboard.yaml", "--server.port=70000"));

    assertThat(exit.code()).isNotZero();
    assertThat(exit.stderr()).hasSize(1);
    assertThat(exit.stderr().get(0)).contains("server.port").contains("70000");
  }

  @Test
  void a_good_configuration_starts_and_answers_on_the_port_it_logs() throws Exception {
    Process process = start(gateway("--conf", "conf/switchboard.yaml", "--server.port=0", "--server.instances=1",
      "--admin.port=0")
      .redirectErrorStream(true));

    Output output = CompletableFuture.supplyAsync(() -> untilListening(process)).get(30, TimeUnit.SECONDS);

    assertThat(output.port()).as("the listening line in %s", output.lines()).isNotNull();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + output.port() + "/health"))
      .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(process.isAlive()).isTrue();
  }

  @Test
  void the_log_level_variables_of_logback_xml_do_not_stop_the_gateway() throws Exception {
    ProcessBuilder builder = gateway("--conf", "conf/switchboard.yaml", "--server.port=0", "--server.instances=1",
      "--admin.port=0")
      .redirectErrorStream(true);
    builder.environment().put("SWITCHBOARD_LOG_LEVEL", "INFO");
    builder.environment().put("SWITCHBOARD_ACCESS_LOG_LEVEL", "INFO");
    Process process = start(builder);

    Output output = CompletableFuture.supplyAsync(() -> untilListening(process)).get(30, TimeUnit.SECONDS);

    assertThat(output.port()).as("the listening line in %s", output.lines()).isNotNull();
  }

  /** What the process printed until it logged its port (then {@code port} is set) or ended. */
  private record Output(String port, List<String> lines) {
  }

  private static Output untilListening(Process process) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(
      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        Matcher matcher = LISTENING.matcher(line);
        if (matcher.find()) {
          return new Output(matcher.group(1), lines);
        }
      }
    } catch (IOException e) {
      lines.add(e.toString());
    }
    return new Output(null, lines);
  }
}
