package io.switchboard.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/grafana/switchboard.json}, {@code deploy/prometheus/alerts.yml} and {@code prometheus.yml} parse,
 * and every Switchboard metric their queries name, with every label their selectors name, is in the {@code
 * /metrics} output of a real gateway after traffic that routes, falls back, escalates, fails, hits the cache and
 * runs an experiment: a renamed metric or label fails here instead of leaving an empty panel or a silent alert.
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MonitoringFilesTest {

  private static final Path GRAFANA = Path.of("deploy", "grafana", "switchboard.json");
  private static final Path ALERTS = Path.of("deploy", "prometheus", "alerts.yml");
  private static final Path PROMETHEUS = Path.of("deploy", "prometheus", "prometheus.yml");
  private static final Pattern METRIC = Pattern.compile("\\b(switchboard_[a-z0-9_]+)(\\{([^}]*)})?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Metric name → the label names its samples carry, as the gateway exposes them. */
  private static Map<String, Set<String>> exposed;

  @BeforeAll
  static void scrapeAfterTraffic() {
    Vertx vertx = Vertx.vertx();
    try {
      FakeProvider upstream = new FakeProvider(vertx).start();
      GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config(upstream.baseUrl()));
      TestClient client = gateway.client(vertx);
      sendTraffic(upstream, client);
      exposed = parse(client.get("/metrics").body().toString());
      client.close();
      upstream.stop();
    } finally {
      vertx.close().await();
    }
  }

  @AfterAll
  static void forget() {
    exposed = null;
  }

  /** The test models; fake-cheap falls back to, and escalates to, fake-premium; an experiment splits "auto". */
  private static JsonObject config(String upstreamUrl) {
    JsonObject config = TestConfig.singleProvider(upstreamUrl);
    config.getJsonObject("models").getJsonObject("fake-cheap").put("fallbacks", new JsonArray().add("fake-premium"));
    JsonObject policies = config.getJsonObject("routing").getJsonObject("policies");
    policies.getJsonObject("auto").getJsonObject("default").put("escalate_to", new JsonArray().add("fake-premium"));
    policies.put("premium", new JsonObject().put("default", new JsonObject().put("primary", "fake-premium")));
    config.put("escalation", new JsonObject().put("min_chars", new JsonObject().put("default", 10)));
    config.put("experiments", new JsonObject().put("cheap-vs-premium", new JsonObject()
      .put("model", "auto").put("assign_by", "user").put("unkeyed", "exclude")
      .put("arms", new JsonObject()
        .put("control", new JsonObject().put("policy", "auto").put("weight", 50))
        .put("premium", new JsonObject().put("policy", "premium").put("weight", 50)))));
    return config;
  }

  private static void sendTraffic(FakeProvider upstream, TestClient client) {
    String chat = "/v1/chat/completions";
    Behaviour boom = Behaviour.error(500, "server_error", "boom");
    // answered; too short, so escalated; failed over; failed
    assertThat(client.post(chat, Chats.chat("auto", "hi, how are you?")).status()).isEqualTo(200);
    upstream.on("fake-cheap", Behaviour.ok().withPieces("ok"));
    assertThat(client.post(chat, Chats.chat("auto", "hi, how are you?")).status()).isEqualTo(200);
    upstream.on("fake-cheap", boom);
    assertThat(client.post(chat, Chats.chat("auto", "hi, how are you?")).status()).isEqualTo(200);
    upstream.on("fake-premium", boom);
    assertThat(client.post(chat, Chats.chat("fake-premium", "hi, how are you?")).status()).isEqualTo(502);
    upstream.on("fake-cheap", Behaviour.ok());
    upstream.on("fake-premium", Behaviour.ok());
    // the same deterministic request twice: a miss, then a hit
    JsonObject cached = Chats.chat("fake-cheap", "What is 2 + 2?").put("temperature", 0);
    assertThat(client.post(chat, cached).status()).isEqualTo(200);
    assertThat(client.post(chat, cached).status()).isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      assertThat(client.post(chat, Chats.chat("auto", "hi, how are you?").put("user", "user-" + i)).status())
        .isEqualTo(200);
    }
    assertThat(client.post(chat, Chats.chat("no-such-model", "hi")).status()).isEqualTo(404);
  }

  /** Sample names of the Prometheus text format, with their label names (HELP and TYPE lines skipped). */
  private static Map<String, Set<String>> parse(String text) {
    Map<String, Set<String>> metrics = new HashMap<>();
    Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? .*$");
    for (String line : text.split("\n")) {
      Matcher m = sample.matcher(line);
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      Set<String> labels = metrics.computeIfAbsent(m.group(1), k -> new HashSet<>());
      if (m.group(3) != null) {
        Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(m.group(3));
        while (label.find()) {
          labels.add(label.group(1));
        }
      }
    }
    return metrics;
  }

  @Test
  void the_grafana_dashboard_parses_and_every_panel_queries_something() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(GRAFANA));
    assertThat(dashboard.getString("uid")).isEqualTo("switchboard");
    Set<Integer> ids = new HashSet<>();
    for (JsonObject panel : panels(dashboard)) {
      assertThat(ids.add(panel.getInteger("id"))).as("panel id %s is unique", panel.getInteger("id")).isTrue();
      JsonObject grid = panel.getJsonObject("gridPos");
      assertThat(grid.getInteger("x") + grid.getInteger("w")).as(panel.getString("title")).isLessThanOrEqualTo(24);
      if (!"row".equals(panel.getString("type"))) {
        assertThat(expressions(panel)).as(panel.getString("title")).isNotEmpty();
      }
    }
  }

  @Test
  void every_metric_and_label_the_grafana_dashboard_queries_is_exposed() throws IOException {
    List<String> all = new ArrayList<>();
    panels(new JsonObject(Files.readString(GRAFANA))).forEach(panel -> all.addAll(expressions(panel)));
    all.add(new JsonObject(Files.readString(GRAFANA)).getJsonObject("templating").getJsonArray("list")
      .getJsonObject(1).getString("definition"));
    assertThat(all).hasSizeGreaterThan(20);
    assertThat(problems(all)).isEmpty();
  }

  @Test
  void the_alert_rules_parse_and_cover_budgets_breakers_errors_and_escalations() throws IOException {
    JsonNode rules = YAML.readTree(ALERTS.toFile()).path("groups").path(0).path("rules");
    assertThat(rules.isArray()).isTrue();
    List<String> names = new ArrayList<>();
    for (JsonNode rule : rules) {
      names.add(rule.path("alert").asText());
      assertThat(rule.path("expr").asText()).as(rule.path("alert").asText()).isNotBlank();
      assertThat(rule.path("labels").path("severity").asText()).isIn("warning", "critical");
      assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
    }
    assertThat(names).contains("SwitchboardBudgetNearLimit", "SwitchboardCircuitBreakerOpen",
      "SwitchboardHighErrorRate", "SwitchboardHighEscalationRate");
  }

  @Test
  void every_metric_and_label_the_alert_rules_query_is_exposed() throws IOException {
    List<String> all = new ArrayList<>();
    YAML.readTree(ALERTS.toFile()).path("groups").forEach(group -> group.path("rules")
      .forEach(rule -> all.add(rule.path("expr").asText())));
    assertThat(all).hasSizeGreaterThanOrEqualTo(4);
    assertThat(problems(all)).isEmpty();
  }

  @Test
  void the_prometheus_example_scrapes_the_gateway_and_loads_the_rules() throws IOException {
    JsonNode config = YAML.readTree(PROMETHEUS.toFile());
    assertThat(config.path("rule_files").get(0).asText()).isEqualTo("alerts.yml");
    JsonNode scrape = config.path("scrape_configs").get(0);
    assertThat(scrape.path("metrics_path").asText()).isEqualTo("/metrics");
    assertThat(scrape.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo("127.0.0.1:8080");
  }

  private static List<JsonObject> panels(JsonObject dashboard) {
    return dashboard.getJsonArray("panels").stream().map(JsonObject.class::cast).toList();
  }

  private static List<String> expressions(JsonObject panel) {
    JsonArray targets = panel.getJsonArray("targets", new JsonArray());
    return targets.stream().map(JsonObject.class::cast).map(t -> t.getString("expr")).toList();
  }

  /**
   * What is wrong with these PromQL expressions against the scraped metrics: unknown metric names, label names a
   * selector or a {@code by (...)} names that none of the expression's metrics carry, unbalanced brackets.
   */
  private static List<String> problems(List<String> expressions) {
    List<String> problems = new ArrayList<>();
    for (String expr : expressions) {
      Matcher metric = METRIC.matcher(expr);
      Set<String> labelsOfExpr = new HashSet<>();
      boolean any = false;
      while (metric.find()) {
        any = true;
        Set<String> labels = exposed.get(metric.group(1));
        if (labels == null) {
          problems.add("no metric " + metric.group(1) + " in /metrics (in: " + expr + ")");
          continue;
        }
        labelsOfExpr.addAll(labels);
        if (metric.group(3) != null) {
          Matcher label = LABEL.matcher(metric.group(3));
          while (label.find()) {
            if (!labels.contains(label.group(1))) {
              problems.add(metric.group(1) + " has no label " + label.group(1) + " (in: " + expr + ")");
            }
          }
        }
      }
      if (!any) {
        problems.add("no Switchboard metric in: " + expr);
      }
      Matcher by = Pattern.compile("\\bby\\s*\\(([^)]*)\\)").matcher(expr);
      while (by.find()) {
        for (String label : by.group(1).split(",")) {
          if (!labelsOfExpr.contains(label.trim())) {
            problems.add("no metric of the expression has label " + label.trim() + " (in: " + expr + ")");
          }
        }
      }
      if (count(expr, '(') != count(expr, ')') || count(expr, '{') != count(expr, '}')
        || count(expr, '[') != count(expr, ']')) {
        problems.add("unbalanced brackets in: " + expr);
      }
    }
    return problems;
  }

  private static long count(String text, char c) {
    return text.chars().filter(ch -> ch == c).count();
  }
}
