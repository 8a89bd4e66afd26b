package io.switchboard.testkit;

import io.switchboard.bus.Addresses;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.UsageRecord;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A gateway in front of a {@link FakeProvider} with the short timeouts of the fault tests, and every usage and
 * attempt fact it publishes. Models: {@code primary} (falls back to {@code backup}), {@code solo} (no fallback),
 * {@code backup}, and {@code refused} (its provider's port has nobody listening; falls back to {@code backup}).
 * Timeouts: connect 1 s, first byte 1 s, idle 1 s, total 10 s; 2 tries per model, deadline 8 s.
 */
public final class FaultRig implements AutoCloseable {

  public static final long FIRST_BYTE_TIMEOUT_MS = 1_000;
  public static final long IDLE_TIMEOUT_MS = 1_000;
  public static final long DEADLINE_MS = 8_000;
  public static final int MAX_ATTEMPTS = 2;

  public final Vertx vertx;
  public final FakeProvider upstream;
  public final GatewayUnderTest gateway;
  public final TestClient client;
  public final List<AttemptRecord> attemptFacts = new CopyOnWriteArrayList<>();
  public final List<UsageRecord> usageFacts = new CopyOnWriteArrayList<>();

  private FaultRig(Vertx vertx, FakeProvider upstream, GatewayUnderTest gateway) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.gateway = gateway;
    this.client = gateway.client(vertx);
    vertx.eventBus().<AttemptRecord>localConsumer(Addresses.ATTEMPT_RECORDED, m -> attemptFacts.add(m.body()));
    vertx.eventBus().<UsageRecord>localConsumer(Addresses.USAGE_RECORDED, m -> usageFacts.add(m.body()));
  }

  public static FaultRig start() {
    return start(config -> { });
  }

  /** Starts the rig with its configuration changed by {@code tweak} first. */
  public static FaultRig start(java.util.function.Consumer<JsonObject> tweak) {
    return start(tweak, TestConfig.ENV);
  }

  /** Starts the rig with its configuration changed by {@code tweak}, and {@code env} as its environment. */
  public static FaultRig start(java.util.function.Consumer<JsonObject> tweak, java.util.Map<String, String> env) {
    Vertx vertx = Vertx.vertx();
    FakeProvider upstream = new FakeProvider(vertx).start();
    JsonObject config = config(upstream.baseUrl(), "http://127.0.0.1:" + closedPort() + "/v1");
    tweak.accept(config);
    return new FaultRig(vertx, upstream, GatewayUnderTest.start(vertx, config, env));
  }

  /** The value of a gauge or the sum of a counter in the gateway's metrics, for the given labels. */
  public double metric(String name, java.util.Map<String, String> labels) {
    return gateway.metric(name, labels);
  }

  static JsonObject config(String fakeBaseUrl, String deadBaseUrl) {
    JsonObject config = TestConfig.singleProvider(fakeBaseUrl);
    JsonObject timeouts = new JsonObject().put("connect_timeout_ms", 1_000)
      .put("first_byte_timeout_ms", FIRST_BYTE_TIMEOUT_MS).put("idle_timeout_ms", IDLE_TIMEOUT_MS)
      .put("total_timeout_ms", 10_000);
    config.getJsonObject("providers").getJsonObject("fake").mergeIn(timeouts);
    config.getJsonObject("providers").put("dead", new JsonObject().put("base_url", deadBaseUrl).mergeIn(timeouts));
    config.getJsonObject("models")
      .put("primary", model("fake", new JsonArray().add("backup")))
      .put("solo", model("fake", new JsonArray()))
      .put("backup", model("fake", new JsonArray()))
      .put("refused", model("dead", new JsonArray().add("backup")));
    config.put("resilience", new JsonObject().put("max_attempts", MAX_ATTEMPTS).put("backoff_initial_ms", 20)
      .put("backoff_max_ms", 100).put("retry_after_max_ms", 3_000).put("deadline_ms", DEADLINE_MS)
      .put("breaker", new JsonObject().put("failures", 1_000)));
    return config;
  }

  private static JsonObject model(String provider, JsonArray fallbacks) {
    return new JsonObject().put("provider", provider)
      .put("prices", new JsonObject().put("input", 1.0).put("output", 2.0))
      .put("fallbacks", fallbacks);
  }

  /** A loopback port with nobody listening: connecting to it is refused. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<AttemptRecord> attemptsOf(String decisionId) {
    return attemptFacts.stream().filter(a -> a.decisionId().equals(decisionId)).toList();
  }

  public List<UsageRecord> usageOf(String decisionId) {
    return usageFacts.stream().filter(u -> u.decisionId().equals(decisionId)).toList();
  }

  @Override
  public void close() {
    client.close();
    upstream.stop();
    vertx.close().await();
  }
}
