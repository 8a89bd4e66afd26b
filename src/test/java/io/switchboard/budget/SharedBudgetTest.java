package io.switchboard.budget;

import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway instances (each its own Vert.x) sharing one real Redis, spending against one small budget, and what
 * they do when that Redis dies or freezes. Every request with {@code max_tokens: 5} reserves exactly what it then
 * costs ($0.001), so the number of requests that fit is known in advance.
 */
class SharedBudgetTest {

  private static final long REDIS_TIMEOUT_MS = 300;
  private static RedisServer redis;

  private Vertx upstreamVertx;
  private FakeProvider upstream;
  private final List<Vertx> nodes = new ArrayList<>();
  private final List<GatewayUnderTest> gateways = new ArrayList<>();
  private HttpClient http;

  /** One request's answer and how long it took. */
  record Answer(int status, String code, long millis) {
  }

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void start() {
    redis.command("FLUSHALL");
    upstreamVertx = Vertx.vertx();
    upstream = new FakeProvider(upstreamVertx).start();
    http = upstreamVertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(250));
  }

  @AfterEach
  void stop() {
    http.close().await();
    nodes.forEach(vertx -> vertx.close().await());
    upstream.stop();
    upstreamVertx.close().await();
  }

  private void startNodes(JsonObject budgets) {
    startNodes(budgets, REDIS_TIMEOUT_MS);
  }

  private void startNodes(JsonObject budgets, long redisTimeoutMillis) {
    for (int i = 0; i < 2; i++) {
      JsonObject config = BudgetTest.config(upstream.baseUrl(), budgets)
        .put("redis", new JsonObject().put("url", redis.url()).put("timeout_ms", redisTimeoutMillis).put("instances", 2));
      Vertx node = Vertx.vertx();
      nodes.add(node);
      gateways.add(GatewayUnderTest.start(node, config));
    }
  }

  private Future<Answer> send(int gateway) {
    long start = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
      .setPort(gateways.get(gateway).port()).setURI("/v1/chat/completions").addHeader("content-type", "application/json");
    JsonObject body = BudgetTest.chat(5);
    return http.request(options)
      .compose(request -> request.send(body.toBuffer()))
      .compose(response -> response.body().map(buffer -> {
        String code = response.statusCode() == 200 ? "" : buffer.toJsonObject().getJsonObject("error").getString("code");
        return new Answer(response.statusCode(), code, (System.nanoTime() - start) / 1_000_000);
      }));
  }

  private List<Answer> burst(int requests) {
    List<Future<Answer>> answers = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      answers.add(send(i % 2));
    }
    return Future.all(answers).await().list();
  }

  private static long spentMicros() {
    String window = Period.DAILY.window(Instant.now(), ZoneOffset.UTC).id();
    String spent = redis.command("HGET", "switchboard:budget:w:global:daily:" + window, "spent");
    return spent.isEmpty() ? 0 : Long.parseLong(spent);
  }

  @Test
  void two_instances_never_spend_past_a_shared_budget_under_200_concurrent_clients() {
    long budget = 50_500;
    // a generous timeout: this test is about agreement under contention, not about outages
    startNodes(new JsonObject().put("global", new JsonObject().put("daily_usd", budget / 1e6)), 5_000);
    // every call waits a little upstream, so reservations of both nodes are in flight together
    upstream.on("fake-cheap", Behaviour.ok().withHeadDelay(50));
    List<Answer> answers = burst(200);

    Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
    long expected = budget / BudgetTest.REQUEST_MICROS;
    long spent = spentMicros();
    System.out.printf("shared budget: admitted %d of 200 (expected %d), spent $%.6f of $%.6f, overshoot $%.6f%n",
      byStatus.getOrDefault(200, 0L), expected, spent / 1e6, budget / 1e6, Math.max(0, spent - budget) / 1e6);
    assertThat(byStatus).containsOnlyKeys(200, 429);
    assertThat(byStatus.get(200)).isEqualTo(expected);
    assertThat(answers).filteredOn(a -> a.status() == 429).extracting(Answer::code).containsOnly("budget_exceeded");
    assertThat(spent).isEqualTo(expected * BudgetTest.REQUEST_MICROS).isLessThanOrEqualTo(budget);
    assertThat(upstream.attempts("fake-cheap")).hasSize((int) expected);
  }

  @Test
  void a_redis_killed_mid_run_refuses_new_requests_within_its_timeout_and_the_gateways_recover_by_themselves() {
    startNodes(new JsonObject().put("global", new JsonObject().put("daily_usd", 10)));
    assertThat(burst(10)).extracting(Answer::status).containsOnly(200);
    // twenty requests reserved and waiting for the upstream when Redis dies: they are answered, their settlement
    // is lost with Redis (logged), and what comes after them is refused
    upstream.on("fake-cheap", Behaviour.ok().withHeadDelay(400));
    List<Future<Answer>> inFlight = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      inFlight.add(send(i % 2));
    }
    upstreamVertx.timer(150).await();
    redis.kill();
    List<Answer> killed = burst(20);
    List<Answer> admitted = Future.all(inFlight).await().list();
    redis.restart();

    assertThat(admitted).extracting(Answer::status).containsOnly(200);
    assertThat(killed).extracting(Answer::status).containsOnly(503);
    assertThat(killed).extracting(Answer::code).containsOnly(Budgets.STORE_UNAVAILABLE);
    long worst = killed.stream().mapToLong(Answer::millis).max().orElseThrow();
    System.out.printf("redis killed: worst refused request %d ms (redis timeout %d ms)%n", worst, REDIS_TIMEOUT_MS);
    assertThat(worst).isLessThanOrEqualTo(REDIS_TIMEOUT_MS + 1_000);

    // no restart of either gateway: the pooled client reconnects by itself (to an empty Redis: no persistence)
    upstream.on("fake-cheap", Behaviour.ok());
    assertThat(burst(10)).extracting(Answer::status).containsOnly(200);
    assertThat(spentMicros()).isEqualTo(10 * BudgetTest.REQUEST_MICROS);
  }

  @Test
  void a_frozen_redis_refuses_requests_within_its_timeout_and_is_used_again_once_thawed() {
    startNodes(new JsonObject().put("global", new JsonObject().put("daily_usd", 10)));
    assertThat(burst(10)).extracting(Answer::status).containsOnly(200);
    redis.freeze();
    List<Answer> frozen;
    try {
      frozen = burst(20);
    } finally {
      redis.thaw();
    }
    assertThat(frozen).extracting(Answer::status).containsOnly(503);
    assertThat(frozen).extracting(Answer::code).containsOnly(Budgets.STORE_UNAVAILABLE);
    long worst = frozen.stream().mapToLong(Answer::millis).max().orElseThrow();
    System.out.printf("redis frozen: worst refused request %d ms (redis timeout %d ms)%n", worst, REDIS_TIMEOUT_MS);
    assertThat(worst).isLessThanOrEqualTo(REDIS_TIMEOUT_MS + 1_000);
    assertThat(burst(10)).extracting(Answer::status).containsOnly(200);
    assertThat(spentMicros()).isEqualTo(20 * BudgetTest.REQUEST_MICROS);
  }

  @Test
  void failing_open_each_instance_spends_its_share_of_the_limit_while_redis_is_away() {
    // $0.010 shared by two instances: each may spend $0.005 alone, five requests
    startNodes(new JsonObject().put("global", new JsonObject().put("daily_usd", 0.010)).put("on_store_failure", "open"));
    redis.freeze();
    List<Answer> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 7; i++) {
        answers.add(send(0).await());
      }
    } finally {
      redis.thaw();
    }
    assertThat(answers.subList(0, 5)).extracting(Answer::status).containsOnly(200);
    assertThat(answers.subList(5, 7)).extracting(Answer::code).containsOnly("budget_exceeded");
    assertThat(answers).allMatch(a -> a.millis() <= REDIS_TIMEOUT_MS + 1_000);
    Function<Answer, Integer> status = Answer::status;
    assertThat(send(1).await()).extracting(status).isEqualTo(200);
  }
}
