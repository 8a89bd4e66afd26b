package io.switchboard.dashboard;

import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.Chromium;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogEntry;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium against a real gateway and the fake provider: the page renders, its charts
 * carry the traffic sent (read from the Chart.js instances), it follows new traffic by polling, empty states
 * render, the master key is asked for once per tab, and the browser logs no error. The page with traffic is saved
 * as {@code target/dashboard.png}.
 */
@Timeout(120)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DashboardBrowserTest {

  private static final String MASTER_KEY = "sb-master-test-0123456789";
  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

  private final Vertx vertx = Vertx.vertx();
  private FakeProvider upstream;
  private GatewayUnderTest gateway;
  private TestClient client;
  private TestClient admin;
  private Chromium browser;

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (client != null) {
      client.close();
      admin.close();
    }
    if (upstream != null) {
      upstream.stop();
    }
    vertx.close().await();
  }

  /** The test provider's models, fake-cheap falling back to fake-premium, and an A/B experiment on "auto". */
  private void startGateway(Map<String, String> env, JsonObject extra) {
    upstream = new FakeProvider(vertx).start();
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl());
    config.getJsonObject("models").getJsonObject("fake-cheap").put("fallbacks", new JsonArray().add("fake-premium"));
    config.getJsonObject("routing").getJsonObject("policies")
      .put("premium", new JsonObject().put("default", new JsonObject().put("primary", "fake-premium")));
    config.put("experiments", new JsonObject().put("cheap-vs-premium", new JsonObject()
      .put("model", "auto").put("assign_by", "user").put("unkeyed", "exclude").put("min_samples", 3)
      .put("arms", new JsonObject()
        .put("control", new JsonObject().put("policy", "auto").put("weight", 50))
        .put("premium", new JsonObject().put("policy", "premium").put("weight", 50)))));
    config.mergeIn(extra, true);
    gateway = GatewayUnderTest.start(vertx, config, env);
    client = gateway.client(vertx);
    admin = gateway.adminClient(vertx);
  }

  private void chat(String text, String user) {
    JsonObject body = Chats.chat("auto", text).put("max_tokens", 16);
    if (user != null) {
      body.put("user", user);
    }
    assertThat(client.post("/v1/chat/completions", body).status()).isEqualTo(200);
  }

  /**
   * 13 answered requests of several task types; three fall back from fake-cheap to fake-premium, two after a 500,
   * one after a 429.
   */
  private int sendTraffic() {
    upstream.on("fake-cheap", Behaviour.error(500, "server_error", "boom"), Behaviour.ok(), Behaviour.ok(),
      Behaviour.error(500, "server_error", "boom"), Behaviour.ok());
    List<String> prompts = List.of("Summarize this: the meeting moved to Tuesday and the budget was approved.",
      "Write a Python function that reverses a linked list.", "Translate 'good morning' into French.",
      "hi, how are you?");
    for (int i = 0; i < 8; i++) {
      chat(prompts.get(i % prompts.size()), null);
    }
    for (int i = 0; i < 4; i++) {
      chat("hi, how are you?", "user-" + i);
    }
    upstream.on("fake-cheap", Behaviour.error(429, "rate_limit_exceeded", "slow down"), Behaviour.ok());
    chat("Write a Python function that sorts a list of words by length.", null);
    return 13;
  }

  private void setBudgets() {
    double spent = Double.parseDouble(admin.get("/admin/stats").json().getJsonObject("today").getString("cost_usd"));
    // limits well above the worst case of one more short request, which the test sends later
    putBudget("daily", spent * 3);
    putBudget("monthly", spent * 12);
  }

  private void putBudget(String period, double limit) {
    JsonObject body = new JsonObject().put("scope", "global").put("period", period).put("limit_usd", limit);
    assertThat(admin.send(HttpMethod.PUT, "/admin/budgets", body.toBuffer(), Map.of("content-type",
      "application/json")).status()).isEqualTo(200);
  }

  private void open() {
    browser = Chromium.start(1400, 1900);
    browser.driver().get("http://127.0.0.1:" + gateway.adminPort() + "/dashboard");
  }

  private void awaitRefreshes(int atLeast) {
    // the browser's log is left alone here: reading it empties it, and errors() must see every line
    Poll.until(() -> assertThat(refreshes()).as(() -> "refreshes of the page; its state: "
      + browser.eval("return document.body.dataset.state;") + ", its notice: "
      + browser.eval("return document.getElementById('notice').textContent;") + ", at "
      + browser.driver().getCurrentUrl()).isGreaterThanOrEqualTo(atLeast));
  }

  private long refreshes() {
    Object count = browser.eval("return Number(document.body.dataset.refreshes || 0);");
    return ((Number) count).longValue();
  }

  /** Every data point of one chart's datasets, as Chart.js holds them. */
  @SuppressWarnings("unchecked")
  private List<List<Number>> chartData(String canvasId) {
    return (List<List<Number>>) browser.eval("const c = Chart.getChart('" + canvasId + "');"
      + "return c ? c.data.datasets.map(d => d.data) : null;");
  }

  private static double sum(List<Number> values) {
    return values.stream().mapToDouble(Number::doubleValue).sum();
  }

  private String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private boolean shown(String selector) {
    return browser.driver().findElement(By.cssSelector(selector)).isDisplayed();
  }

  /** Browser log lines at SEVERE (uncaught errors, console.error, failed loads), less those {@code expected}. */
  private List<String> errors(String... expected) {
    List<String> allowed = List.of(expected);
    return browser.logs().stream().filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
      .map(LogEntry::getMessage)
      .filter(message -> allowed.stream().noneMatch(message::contains))
      .toList();
  }

  @Test
  void the_page_draws_the_traffic_follows_new_traffic_and_logs_no_error() {
    // insights from a handful of requests, so that the page has a suggestion to show
    startGateway(TestConfig.ENV, new JsonObject().put("analytics", new JsonObject()
      .put("suggestions", new JsonObject().put("min_requests", 2))
      .put("alerts", new JsonObject().put("min_requests", 5))));
    int requests = sendTraffic();
    setBudgets();
    open();
    awaitRefreshes(1);
    // the error check itself is live: a console error does reach the test
    browser.eval("console.error('probe from the test');");
    assertThat(errors()).singleElement().asString().contains("probe from the test");

    // the ledger writes in batches: the page shows every row on some poll
    Poll.until(() -> {
      assertThat(sum(chartData("model-chart").get(0))).isEqualTo(requests);
      assertThat(sum(chartData("task-chart").get(0))).isEqualTo(requests);
      assertThat(text("kpi-requests")).isEqualTo(requests + " requests");
      assertThat(text("fallbacks")).contains("fake-cheap", "fake-premium");
      assertThat(text("suggestions")).contains("/month", "fake-cheap");
      assertThat(text("alerts")).contains("0 refused by the gateway, 1 upstream 429s (fake-cheap 1)");
    });
    assertThat(sum(chartData("task-chart").get(1))).isPositive();
    List<List<Number>> spend = chartData("spend-chart");
    assertThat(sum(spend.get(0))).isPositive();
    assertThat(sum(spend.get(1))).isGreaterThan(sum(spend.get(0)));
    assertThat(text("kpi-spend")).startsWith("$").isNotEqualTo("$0.00");
    assertThat(text("kpi-savings-pct")).endsWith("% of the baseline");
    assertThat(text("kpi-projection")).startsWith("$");
    assertThat(text("ledger")).isEqualTo("ledger: sqlite");
    assertThat(browser.driver().findElements(By.cssSelector("#budgets .gauge"))).hasSize(2);
    assertThat(text("experiments")).contains("cheap-vs-premium", "control", "premium");
    assertThat(shown("#model-chart-empty")).isFalse();
    assertThat(shown("#spend-chart-empty")).isFalse();

    // new traffic shows up on a later poll, without reloading the page
    long seen = refreshes();
    chat("Summarize this: the launch slipped a week.", null);
    awaitRefreshes((int) seen + 1);
    Poll.until(() -> assertThat(sum(chartData("model-chart").get(0))).isEqualTo(requests + 1));

    browser.screenshot(SCREENSHOT);

    // the month by day: the same requests, one bar per day so far
    browser.driver().findElement(By.cssSelector("#period option[value='month']")).click();
    Poll.until(() -> assertThat(text("spend-bucket")).isEqualTo("by day (UTC)"));
    assertThat(text("kpi-spend-label")).isEqualToIgnoringCase("Spend this month");
    Poll.until(() -> assertThat(sum(chartData("model-chart").get(0))).isEqualTo(requests + 1));
    assertThat(errors()).isEmpty();
  }

  @Test
  void a_gateway_without_traffic_renders_empty_states_without_errors() {
    startGateway(TestConfig.ENV, new JsonObject());
    open();
    awaitRefreshes(1);
    assertThat(shown("#model-chart-empty")).isTrue();
    assertThat(shown("#task-chart-empty")).isTrue();
    assertThat(shown("#spend-chart-empty")).isTrue();
    assertThat(text("suggestions")).contains("No cheaper model");
    assertThat(text("fallbacks")).contains("No fallbacks");
    assertThat(text("alerts")).contains("No alerts.", "No rate limits hit today.");
    assertThat(sum(chartData("model-chart").get(0))).isZero();
    assertThat(text("kpi-spend")).isEqualTo("$0.00");
    assertThat(text("budgets")).contains("No budget limits set");
    assertThat(text("experiments")).contains("cheap-vs-premium");
    assertThat(errors()).isEmpty();
  }

  @Test
  void with_the_ledger_off_the_page_shows_this_process_s_totals_and_says_what_needs_the_ledger() {
    startGateway(TestConfig.ENV, new JsonObject().put("analytics", new JsonObject().put("ledger", "none")));
    int requests = sendTraffic();
    open();
    awaitRefreshes(1);
    assertThat(text("ledger")).isEqualTo("ledger off");
    assertThat(sum(chartData("model-chart").get(0))).isEqualTo(requests);
    assertThat(sum(chartData("task-chart").get(0))).isEqualTo(requests);
    assertThat(text("kpi-requests")).isEqualTo(requests + " requests since this process started");
    assertThat(text("spend-chart-empty")).contains("analytics.ledger: none");
    assertThat(text("fallbacks")).contains("analytics.ledger: none");
    assertThat(text("experiments")).contains("cheap-vs-premium");
    // the browser reports the reports' 404 ledger_disabled itself; nothing else
    assertThat(errors("/admin/reports/status - Failed to load resource: the server responded with a status of 404"))
      .isEmpty();
  }

  @Test
  void the_page_asks_for_the_master_key_once_and_keeps_it_for_the_tab() {
    Map<String, String> env = new HashMap<>(TestConfig.ENV);
    env.put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
    startGateway(env, new JsonObject());
    chat("hi, how are you?", null);
    open();
    Poll.until(() -> assertThat(browser.eval("return document.body.dataset.state;")).isEqualTo("needs-key"));
    assertThat(shown("#key-dialog")).isTrue();
    assertThat(shown("#key-error")).isFalse();

    browser.driver().findElement(By.id("key-input")).sendKeys("not-the-key");
    browser.driver().findElement(By.id("key-submit")).click();
    Poll.until(() -> assertThat(shown("#key-error")).isTrue());

    browser.driver().findElement(By.id("key-input")).sendKeys(MASTER_KEY);
    browser.driver().findElement(By.id("key-submit")).click();
    awaitRefreshes(1);
    assertThat(shown("#key-dialog")).isFalse();
    assertThat(sum(chartData("model-chart").get(0))).isEqualTo(1);
    assertThat(browser.eval("return sessionStorage.getItem('switchboard.adminKey');")).isEqualTo(MASTER_KEY);

    // a reload in the same tab goes straight to the data
    browser.driver().navigate().refresh();
    awaitRefreshes(1);
    assertThat(shown("#key-dialog")).isFalse();
    // the only errors are the refused API calls the browser reports itself
    assertThat(errors("status of 401")).isEmpty();
  }
}
