package io.switchboard.auth;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/** A gateway under test with a master key, and the calls tests of virtual keys make to it. */
final class KeyedGateway implements AutoCloseable {

  static final String MASTER_KEY = "test-master-key-0123456789abcdef";
  static final Map<String, String> ENV = env();

  final GatewayUnderTest gateway;
  private final TestClient client;
  private final TestClient admin;

  KeyedGateway(Vertx vertx, JsonObject config) {
    gateway = GatewayUnderTest.start(vertx, config, ENV);
    client = gateway.client(vertx);
    admin = gateway.adminClient(vertx);
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(TestConfig.ENV);
    env.put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
    return Map.copyOf(env);
  }

  /** An admin request with the master key. */
  TestClient.Result admin(HttpMethod method, String path, JsonObject body) {
    return adminAs("Bearer " + MASTER_KEY, method, path, body);
  }

  TestClient.Result adminAs(String authorization, HttpMethod method, String path, JsonObject body) {
    Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json"));
    if (authorization != null) {
      headers.put("authorization", authorization);
    }
    return admin.send(method, path, body == null ? null : body.toBuffer(), headers);
  }

  /** The created key's answer: id, secret ({@code key}) and metadata. */
  JsonObject createKey(JsonObject spec) {
    TestClient.Result created = admin(HttpMethod.POST, "/admin/keys", spec);
    if (created.status() != 201) {
      throw new AssertionError("POST /admin/keys answered " + created.status() + ": " + created.body());
    }
    return created.json();
  }

  /** A chat for {@code model} with the given request headers (credentials). */
  TestClient.Result chat(String model, Map<String, String> headers) {
    return post("/v1/chat/completions", Chats.chat(model, "hi"), headers);
  }

  TestClient.Result post(String path, JsonObject body, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("content-type", "application/json");
    return client.send(HttpMethod.POST, path, body.toBuffer(), all);
  }

  TestClient.Result get(String path, Map<String, String> headers) {
    return client.send(HttpMethod.GET, path, null, headers);
  }

  static Map<String, String> bearer(String secret) {
    return Map.of("authorization", "Bearer " + secret);
  }

  @Override
  public void close() {
    client.close();
    admin.close();
  }
}
