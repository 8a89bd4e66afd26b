package io.switchboard.auth;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.auth.KeyedGateway.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Virtual keys in a shared Redis: stored only as digests, seen by every gateway, refused when Redis is down. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedVirtualKeyTest {

  private static final long REDIS_TIMEOUT_MS = 300;
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static RedisServer redis;
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<KeyedGateway> gateways = new ArrayList<>();
  private FakeProvider upstream;
  private String prefix;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void startUpstream() {
    prefix = "sb" + TESTS.incrementAndGet() + ":";   // each test its own keys
    upstream = new FakeProvider(newVertx()).start();
  }

  @AfterEach
  void stopAll() {
    redis.thaw();
    gateways.forEach(KeyedGateway::close);
    upstream.stop();
    vertxes.forEach(v -> v.close().await());
  }

  private Vertx newVertx() {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    return vertx;
  }

  /** A gateway on its own Vertx (codecs are registered once per Vertx), sharing the test's Redis and prefix. */
  private KeyedGateway gateway() {
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl())
      .put("redis", new JsonObject().put("url", redis.url()).put("key_prefix", prefix).put("timeout_ms", REDIS_TIMEOUT_MS));
    config.getJsonObject("server").put("access_log", true);
    KeyedGateway gateway = new KeyedGateway(newVertx(), config);
    gateways.add(gateway);
    return gateway;
  }

  @Test
  void the_secret_never_reaches_redis_the_logs_or_the_metrics() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME),
      (Logger) LoggerFactory.getLogger("io.switchboard.access"));
    loggers.forEach(logger -> logger.addAppender(logs));
    try {
      KeyedGateway gw = gateway();
      JsonObject created = gw.createKey(new JsonObject().put("name", "secret keeper").put("user", "alice"));
      String secret = created.getString("key");
      assertThat(gw.chat("fake-cheap", bearer(secret)).status()).isEqualTo(200);
      assertThat(gw.chat("fake-cheap", Map.of("x-api-key", secret)).status()).isEqualTo(200);
      assertThat(gw.chat("fake-cheap", bearer(secret + "x")).status()).isEqualTo(401);
      gw.admin(HttpMethod.DELETE, "/admin/keys/" + created.getString("id"), null);
      assertThat(gw.chat("fake-cheap", bearer(secret)).status()).isEqualTo(401);

      String dump = new String(redis.snapshot(), StandardCharsets.ISO_8859_1);
      assertThat(dump).contains(KeySecrets.hash(secret)).contains(created.getString("id"));
      assertThat(dump).doesNotContain(secret).doesNotContain(secret.substring(KeySecrets.SECRET_PREFIX.length()));
      String logged = String.join("\n", logs.list.stream().map(SharedVirtualKeyTest::text).toList());
      assertThat(logged).contains("Virtual key " + created.getString("id") + " created").contains("status=401");
      assertThat(logged).doesNotContain(secret.substring(KeySecrets.SECRET_PREFIX.length()));
      TestClient.Result metrics = gw.get("/metrics", Map.of());
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.body().toString()).doesNotContain(secret.substring(KeySecrets.SECRET_PREFIX.length()))
        .doesNotContain(KeySecrets.hash(secret));
    } finally {
      loggers.forEach(logger -> logger.detachAppender(logs));
    }
  }

  private static String text(ILoggingEvent event) {
    String thrown = event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy());
    return event.getFormattedMessage() + thrown;
  }

  @Test
  void a_frozen_redis_refuses_a_keyed_request_with_503_within_its_timeout_and_a_thawed_one_serves_it() {
    KeyedGateway gw = gateway();
    String secret = gw.createKey(new JsonObject().put("name", "during outage")).getString("key");

    redis.freeze();
    long start = System.nanoTime();
    TestClient.Result refused = gw.chat("fake-cheap", bearer(secret));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    redis.thaw();

    assertThat(refused.status()).as("body %s", refused.body()).isEqualTo(503);
    assertThat(refused.error().getString("code")).isEqualTo("key_store_unavailable");
    assertThat(refused.headers().get("retry-after")).isEqualTo("1");
    assertThat(tookMillis).isLessThan(REDIS_TIMEOUT_MS + 1_000);
    assertThat(gw.chat("fake-cheap", bearer(secret)).status()).isEqualTo(200);
    assertThat(upstream.attempts()).hasSize(1);
  }

  @Test
  void a_key_created_on_one_gateway_works_on_another_and_its_revocation_reaches_it_within_seconds() {
    KeyedGateway first = gateway();
    KeyedGateway second = gateway();
    assertThat(second.chat("fake-cheap", Map.of()).status()).isEqualTo(200);

    JsonObject created = first.createKey(new JsonObject().put("name", "shared"));
    String secret = created.getString("key");
    assertThat(second.chat("fake-cheap", bearer(secret)).status()).isEqualTo(200);
    assertThat(second.get("/v1/models", bearer(secret)).status()).isEqualTo(200);
    assertThat(first.chat("fake-cheap", bearer(secret)).status()).isEqualTo(200);
    assertThat(second.admin(HttpMethod.GET, "/admin/keys/" + created.getString("id"), null).status()).isEqualTo(200);
    // the second gateway learns that keys exist within the memory time, and then refuses anonymous requests
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (second.chat("fake-cheap", Map.of()).status() == 200 && System.nanoTime() < deadline) {
      pause();
    }
    assertThat(second.chat("fake-cheap", Map.of()).status()).isEqualTo(401);

    first.admin(HttpMethod.DELETE, "/admin/keys/" + created.getString("id"), null);
    // the revoking gateway had the key in its memory a moment ago, and refuses it all the same
    assertThat(first.chat("fake-cheap", bearer(secret)).status()).isEqualTo(401);
    long revokedAt = System.nanoTime();
    while (second.chat("fake-cheap", bearer(secret)).status() == 200 && System.nanoTime() < deadline + 5_000_000_000L) {
      pause();
    }
    assertThat(second.chat("fake-cheap", bearer(secret)).status()).isEqualTo(401);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt))
      .isLessThan(TimeUnit.NANOSECONDS.toMillis(VirtualKeys.MEMORY_NANOS) + 1_000);
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
