package io.switchboard.testkit;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of tests that talk to the real gateway: each test gets a fresh {@code Vertx}, a {@link FakeProvider} and
 * the gateway configured by {@link TestConfig#singleProvider}, all on 127.0.0.1, and all stopped afterwards.
 */
public abstract class GatewayTest {

  protected Vertx vertx;
  protected FakeProvider upstream;
  protected GatewayUnderTest gateway;
  protected TestClient client;
  /** A client of the gateway's admin API. */
  protected TestClient admin;

  @BeforeEach
  final void startGateway() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    gateway = GatewayUnderTest.start(vertx, TestConfig.singleProvider(upstream.baseUrl()));
    client = gateway.client(vertx);
    admin = gateway.adminClient(vertx);
  }

  @AfterEach
  final void stopGateway() {
    client.close();
    admin.close();
    upstream.stop();
    vertx.close().await();
  }
}
