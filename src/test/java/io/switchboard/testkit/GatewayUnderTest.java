package io.switchboard.testkit;

import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.MainVerticle;
import io.switchboard.ledger.Ledger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Optional;

/** The real gateway ({@link MainVerticle}) deployed on a test's {@code Vertx}, listening on 127.0.0.1, port 0. */
public final class GatewayUnderTest {

  private final MainVerticle main;
  private final PrometheusMeterRegistry registry;

  private GatewayUnderTest(MainVerticle main, PrometheusMeterRegistry registry) {
    this.main = main;
    this.registry = registry;
  }

  public static GatewayUnderTest start(Vertx vertx, JsonObject config) {
    return start(vertx, config, TestConfig.ENV);
  }

  public static GatewayUnderTest start(Vertx vertx, JsonObject config, Map<String, String> env) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MainVerticle main = new MainVerticle(env, registry);
    FakeProvider.await(vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)));
    return new GatewayUnderTest(main, registry);
  }

  public int port() {
    return main.httpPort();
  }

  public TestClient client(Vertx vertx) {
    return new TestClient(vertx, port());
  }

  /** The port of the admin API. */
  public int adminPort() {
    return main.adminPort();
  }

  public TestClient adminClient(Vertx vertx) {
    return new TestClient(vertx, adminPort());
  }

  /** The gateway's analytics ledger; empty when {@code analytics.ledger} is {@code none}. */
  public Optional<Ledger> ledger() {
    return main.ledger();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The value of a gauge or the sum of a counter in the gateway's metrics, for the given labels. */
  public double metric(String name, Map<String, String> labels) {
    Search search = registry.find(name);
    for (Map.Entry<String, String> label : labels.entrySet()) {
      search = search.tag(label.getKey(), label.getValue());
    }
    return search.meters().stream().mapToDouble(m -> m.measure().iterator().next().getValue()).sum();
  }
}
