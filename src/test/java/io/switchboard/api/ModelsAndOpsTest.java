package io.switchboard.api;

import io.switchboard.classify.TaskType;
import io.switchboard.cost.Outcome;
import io.switchboard.learn.Signal;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code /v1/models}, {@code /health}, {@code /ready}, {@code /metrics}, and {@code /admin/stats} on the admin port. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModelsAndOpsTest extends GatewayTest {

  private static final Set<String> MODELS = Set.of("fake-cheap", "fake-premium", "fake-tiny", "keyless");
  private static final Set<String> PROVIDERS = Set.of("fake", "unkeyed");
  /** A prompt that must never reach the metrics. */
  private static final String PROMPT = "hello, the purple elephant password is tangerine-4471";
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** Usage is accounted asynchronously (published on the bus): probe until {@code done}, for at most 5 s. */
  private <T> T eventually(Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    T value = probe.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      vertx.timer(20).await();
      value = probe.get();
    }
    return value;
  }

  private void chat(String model, String text) {
    assertThat(client.post("/v1/chat/completions", Chats.chat(model, text)).status()).isEqualTo(200);
  }

  /** One Prometheus sample line: name, labels, value. */
  private record Sample(String name, Map<String, String> labels, double value) {
  }

  private static List<Sample> samples(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      assertThat(sample.matches()).as(line).isTrue();
      Map<String, String> labels = new HashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3).replace("+Inf", "Infinity"))));
    }
    return samples;
  }

  private String metrics() {
    TestClient.Result result = client.get("/metrics");
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("content-type")).startsWith("text/plain");
    return result.body().toString();
  }

  private static double sum(List<Sample> samples, String name, Map<String, String> labels) {
    return samples.stream()
      .filter(s -> s.name().equals(name))
      .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
      .mapToDouble(Sample::value).sum();
  }

  private JsonObject stats() {
    TestClient.Result result = admin.get("/admin/stats");
    assertThat(result.status()).isEqualTo(200);
    return result.json();
  }

  @Test
  void models_lists_policies_models_and_aliases_in_the_openai_shape() {
    TestClient.Result result = client.get("/v1/models");

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("content-type")).startsWith("application/json");
    JsonObject body = result.json();
    assertThat(body.getString("object")).isEqualTo("list");
    List<JsonObject> data = body.getJsonArray("data").stream().map(JsonObject.class::cast).toList();
    assertThat(data).allSatisfy(entry -> {
      assertThat(entry.getString("id")).isNotBlank();
      assertThat(entry.getString("object")).isEqualTo("model");
      assertThat(entry.getValue("created")).isInstanceOf(Number.class);
      assertThat(entry.getString("owned_by")).isNotBlank();
    });
    assertThat(data).extracting(e -> e.getString("id"))
      .containsExactlyInAnyOrder("auto", "fake-cheap", "fake-premium", "fake-tiny", "keyless", "cheap");
    Map<String, JsonObject> byId = data.stream().collect(Collectors.toMap(e -> e.getString("id"), e -> e));
    assertThat(byId.get("auto").getJsonObject("switchboard").getString("kind")).isEqualTo("policy");
    assertThat(byId.get("auto").getString("owned_by")).isEqualTo("switchboard");
    JsonObject cheap = byId.get("fake-cheap");
    assertThat(cheap.getString("owned_by")).isEqualTo("fake");
    assertThat(cheap.getJsonObject("switchboard").getString("kind")).isEqualTo("model");
    assertThat(cheap.getJsonObject("switchboard").getString("input_usd_per_million")).isEqualTo("0.100000");
    assertThat(cheap.getJsonObject("switchboard").getString("output_usd_per_million")).isEqualTo("0.400000");
    assertThat(byId.get("fake-tiny").getJsonObject("switchboard").getLong("context_window")).isEqualTo(100);
    assertThat(byId.get("fake-tiny").getJsonObject("switchboard").getLong("max_output")).isEqualTo(50);
    assertThat(byId.get("cheap").getJsonObject("switchboard").getString("kind")).isEqualTo("alias");
    assertThat(byId.get("cheap").getJsonObject("switchboard").getString("target")).isEqualTo("fake-cheap");
    assertThat(result.body().toString()).doesNotContain(TestConfig.FAKE_KEY).doesNotContain("FAKE_API_KEY");
  }

  @Test
  void every_policy_is_listed_with_auto_first() {
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl());
    JsonObject policies = config.getJsonObject("routing").getJsonObject("policies");
    policies.put("auto:cost", new JsonObject().put("description", "the cheapest")
      .put("default", new JsonObject().put("primary", "fake-cheap")));
    config.getJsonObject("routing").put("default_policy", "auto:cost");
    Vertx other = Vertx.vertx();
    try {
      TestClient otherClient = GatewayUnderTest.start(other, config).client(other);
      List<JsonObject> data = otherClient.get("/v1/models").json().getJsonArray("data").stream()
        .map(JsonObject.class::cast).toList();

      assertThat(data.get(0).getString("id")).isEqualTo("auto");
      assertThat(data).extracting(e -> e.getString("id")).contains("auto:cost");
      assertThat(data).filteredOn(e -> e.getString("id").equals("auto:cost"))
        .singleElement().satisfies(e -> assertThat(e.getJsonObject("switchboard").getString("description"))
          .isEqualTo("the cheapest"));
      otherClient.close();
    } finally {
      other.close().await();
    }
  }

  @Test
  void health_answers_ok() {
    TestClient.Result result = client.get("/health");

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().getString("status")).isEqualTo("ok");
  }

  @Test
  void ready_answers_ready_once_started() {
    TestClient.Result result = client.get("/ready");

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().getString("status")).isEqualTo("ready");
  }

  @Test
  void an_unknown_path_is_an_openai_style_404() {
    TestClient.Result result = client.get("/v2/nothing");

    assertThat(result.status()).isEqualTo(404);
    assertThat(result.error().getString("code")).isEqualTo("unknown_url");
  }

  @Test
  void metrics_count_requests_tokens_cost_and_savings_by_model() {
    chat("fake-cheap", PROMPT);

    // every meter of the request is written from its one usage record: once it is counted, the rest are there
    String text = eventually(this::metrics,
      t -> sum(samples(t), "switchboard_requests_total", Map.of("model", "fake-cheap")) >= 1);
    List<Sample> samples = samples(text);

    Map<String, String> cheap = Map.of("model", "fake-cheap", "provider", "fake");
    assertThat(sum(samples, "switchboard_requests_total",
      Map.of("model", "fake-cheap", "provider", "fake", "task_type", "conversation", "status", "ok"))).isEqualTo(1.0);
    assertThat(sum(samples, "switchboard_tokens_total", Map.of("model", "fake-cheap", "direction", "in"))).isEqualTo(12.0);
    assertThat(sum(samples, "switchboard_tokens_total", Map.of("model", "fake-cheap", "direction", "out"))).isEqualTo(5.0);
    assertThat(sum(samples, "switchboard_cost_usd_total", cheap)).isCloseTo(0.000003, within(1e-12));
    assertThat(sum(samples, "switchboard_baseline_cost_usd_total", cheap)).isCloseTo(0.000064, within(1e-12));
    assertThat(sum(samples, "switchboard_savings_usd_total", cheap)).isCloseTo(0.000061, within(1e-12));
    assertThat(sum(samples, "switchboard_gateway_overhead_seconds_count",
      Map.of("model", "fake-cheap", "stream", "false"))).isEqualTo(1.0);
  }

  @Test
  void a_stream_records_the_upstream_time_to_first_byte() {
    TestClient.Result result = client.post("/v1/chat/completions", Chats.streaming("fake-cheap", PROMPT));
    assertThat(result.status()).isEqualTo(200);

    String text = eventually(this::metrics, t -> t.contains("switchboard_upstream_ttfb_seconds_count"));
    List<Sample> samples = samples(text);

    assertThat(sum(samples, "switchboard_upstream_ttfb_seconds_count", Map.of("model", "fake-cheap", "provider", "fake")))
      .isEqualTo(1.0);
    assertThat(sum(samples, "switchboard_gateway_overhead_seconds_count", Map.of("model", "fake-cheap", "stream", "true")))
      .isEqualTo(1.0);
    assertThat(sum(samples, "switchboard_requests_total", Map.of("model", "fake-cheap", "status", "ok"))).isEqualTo(1.0);
  }

  @Test
  void metric_labels_only_take_values_from_bounded_sets_and_never_leak_keys_or_prompts() {
    chat("fake-cheap", PROMPT);
    chat("auto", "Find the SQL injection vulnerability and the XSS exploit: " + PROMPT);
    assertThat(client.post("/v1/chat/completions", Chats.streaming("cheap", PROMPT)).status()).isEqualTo(200);
    assertThat(client.post("/v1/chat/completions", Chats.chat("tangerine-4471-model", PROMPT)).status()).isEqualTo(404);
    assertThat(client.post("/v1/chat/completions", Chats.chat("keyless", PROMPT)).status()).isGreaterThanOrEqualTo(400);
    assertThat(client.get("/v1/" + PROMPT.replace(' ', '-')).status()).isEqualTo(404);

    String text = eventually(this::metrics, t -> sum(samples(t), "switchboard_requests_total", Map.of()) >= 4);

    Set<String> taskTypes = Arrays.stream(TaskType.values()).map(TaskType::wireName).collect(Collectors.toSet());
    Set<String> outcomes = Arrays.stream(Outcome.values()).map(Outcome::wireName).collect(Collectors.toSet());
    Map<String, Predicate<String>> allowed = new HashMap<>(Map.of(
      "model", MODELS::contains,
      "provider", PROVIDERS::contains,
      "task_type", taskTypes::contains,
      "status", v -> outcomes.contains(v) || v.matches("[1-5]\\d\\d"),
      "direction", Set.of("in", "out", "cached")::contains,
      "stream", Set.of("true", "false")::contains,
      "le", v -> v.equals("+Inf") || v.matches("\\d+(\\.\\d+)?(E-?\\d+)?"),
      "quantile", v -> v.matches("0?\\.\\d+|1(\\.0)?"),
      "outcome", v -> v.equals("ok") || v.matches("(upstream|provider|client|request)_[a-z_]+"),
      "scope", Set.of("model", "key")::contains));
    allowed.put("result", Set.of("hit", "miss", "bypass", "error")::contains);
    allowed.put("reason", Set.of("timeout", "failure", "queue", "budget")::contains);
    allowed.put("signal", v -> Arrays.stream(Signal.values()).map(Signal::wireName).anyMatch(v::equals));
    List<Sample> own = samples(text).stream().filter(s -> s.name().startsWith("switchboard_")).toList();
    assertThat(own).isNotEmpty();
    assertThat(own).allSatisfy(sample -> sample.labels().forEach((name, value) -> {
      assertThat(allowed).as("label %s of %s", name, sample.name()).containsKey(name);
      assertThat(allowed.get(name).test(value)).as("%s=\"%s\" on %s", name, value, sample.name()).isTrue();
    }));
    assertThat(sum(own, "switchboard_requests_total", Map.of("model", "fake-premium", "task_type", "security")))
      .isEqualTo(1.0);
    assertThat(sum(own, "switchboard_http_errors_total", Map.of("status", "404"))).isGreaterThanOrEqualTo(2.0);
    assertThat(text).doesNotContain(TestConfig.FAKE_KEY).doesNotContain("tangerine").doesNotContain("purple");
  }

  @Test
  void admin_stats_sums_requests_tokens_cost_and_savings() {
    chat("fake-cheap", "hello");
    chat("cheap", "hello again");
    chat("auto", "hi");

    JsonObject stats = eventually(this::stats, s -> s.getJsonObject("since_start").getLong("requests") >= 3);

    // per request: 12 prompt + 5 completion tokens; fake-cheap 1.2 + 2.0 = 3 µ$, baseline fake-premium 24 + 40 = 64 µ$
    for (String period : new String[] {"since_start", "today"}) {
      JsonObject totals = stats.getJsonObject(period);
      assertThat(totals.getLong("requests")).as(period).isEqualTo(3);
      assertThat(totals.getLong("failed")).isZero();
      assertThat(totals.getLong("prompt_tokens")).isEqualTo(36);
      assertThat(totals.getLong("completion_tokens")).isEqualTo(15);
      assertThat(totals.getLong("cost_micros")).isEqualTo(9);
      assertThat(totals.getLong("baseline_cost_micros")).isEqualTo(192);
      assertThat(totals.getLong("savings_micros")).isEqualTo(183);
      assertThat(totals.getString("cost_usd")).isEqualTo("0.000009");
      assertThat(totals.getString("baseline_cost_usd")).isEqualTo("0.000192");
      assertThat(totals.getString("savings_usd")).isEqualTo("0.000183");
      assertThat(totals.getDouble("savings_percent")).isEqualTo(95.3);   // 183 / 192
      JsonObject byModel = totals.getJsonObject("by_model");
      assertThat(byModel.fieldNames()).containsExactly("fake-cheap");
      assertThat(byModel.getJsonObject("fake-cheap").getLong("requests")).isEqualTo(3);
      assertThat(byModel.getJsonObject("fake-cheap").getLong("cost_micros")).isEqualTo(9);
      JsonObject byTask = totals.getJsonObject("by_task_type");
      assertThat(byTask.getJsonObject("conversation").getLong("requests")).isEqualTo(3);
      assertThat(byTask.getJsonObject("conversation").getLong("savings_micros")).isEqualTo(183);
    }
    assertThat(stats.getString("started_at")).isNotBlank();
    assertThat(stats.getString("day")).matches("\\d{4}-\\d{2}-\\d{2}");
  }

  @Test
  void admin_stats_splits_by_model_and_counts_failures() {
    chat("fake-cheap", "hello");
    chat("fake-premium", "hello");
    upstream.on("fake-cheap", io.switchboard.testkit.Behaviour.error(400, "invalid_value", "bad request"));
    assertThat(client.post("/v1/chat/completions", Chats.chat("fake-cheap", "hello")).status()).isEqualTo(400);

    JsonObject totals = eventually(this::stats, s -> s.getJsonObject("since_start").getLong("requests") >= 3)
      .getJsonObject("since_start");

    assertThat(totals.getLong("requests")).isEqualTo(3);
    assertThat(totals.getLong("failed")).isEqualTo(1);
    // fake-premium is the baseline: it costs 64 µ$ and saves nothing
    assertThat(totals.getLong("cost_micros")).isEqualTo(3 + 64);
    assertThat(totals.getLong("baseline_cost_micros")).isEqualTo(64 + 64);
    assertThat(totals.getJsonObject("by_model").getJsonObject("fake-premium").getLong("savings_micros")).isZero();
    assertThat(totals.getJsonObject("by_model").getJsonObject("fake-cheap").getLong("requests")).isEqualTo(2);
    assertThat(totals.getJsonObject("by_model").getJsonObject("fake-cheap").getLong("failed")).isEqualTo(1);
  }

  @Test
  void admin_stats_start_at_zero() {
    JsonObject totals = stats().getJsonObject("since_start");

    assertThat(totals.getLong("requests")).isZero();
    assertThat(totals.getDouble("savings_percent")).isZero();
    assertThat(totals.getJsonObject("by_model").isEmpty()).isTrue();
  }

  @Test
  void admin_stats_are_served_on_the_admin_port_only() {
    assertThat(gateway.adminPort()).isNotEqualTo(gateway.port());
    assertThat(client.get("/admin/stats").status()).isEqualTo(404);
    assertThat(admin.get("/admin/stats").status()).isEqualTo(200);
  }
}
