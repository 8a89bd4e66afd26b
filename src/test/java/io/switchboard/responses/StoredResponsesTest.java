package io.switchboard.responses;

import com.openai.client.OpenAIClient;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stored responses belong to the tenant (virtual key) that made them, in memory and in Redis; in Redis they are
 * shared by every gateway on it and expire by themselves.
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoredResponsesTest {

  private static final String MASTER_KEY = "test-master-key-0123456789abcdef";
  private static RedisServer redis;
  private Vertx vertx;
  private Vertx otherVertx;
  private FakeProvider upstream;
  private TestClient admin;

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
    vertx = Vertx.vertx();
    otherVertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
  }

  @AfterEach
  void stop() {
    if (admin != null) {
      admin.close();
    }
    upstream.stop();
    otherVertx.close().await();
    vertx.close().await();
  }

  private GatewayUnderTest gateway(Vertx on, JsonObject config) {
    Map<String, String> env = new HashMap<>(TestConfig.ENV);
    env.put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
    return GatewayUnderTest.start(on, config, env);
  }

  private String newKey(GatewayUnderTest gateway, String name) {
    if (admin == null) {
      admin = gateway.adminClient(vertx);
    }
    TestClient.Result created = admin.send(HttpMethod.POST, "/admin/keys",
      new JsonObject().put("name", name).toBuffer(),
      Map.of("authorization", "Bearer " + MASTER_KEY, "content-type", "application/json"));
    assertThat(created.status()).isEqualTo(201);
    return created.json().getString("key");
  }

  private void assertTenantsAreApart(GatewayUnderTest owner, GatewayUnderTest other) {
    String alice = newKey(owner, "alice");
    String bob = newKey(owner, "bob");
    OpenAIClient asAlice = ResponsesSdkTest.sdk(owner.port(), alice);
    OpenAIClient asBob = ResponsesSdkTest.sdk(other.port(), bob);
    OpenAIClient aliceElsewhere = ResponsesSdkTest.sdk(other.port(), alice);
    try {
      Response mine = asAlice.responses().create(ResponsesSdkTest.ask("Say hello").build());

      assertThat(aliceElsewhere.responses().retrieve(mine.id()).id()).isEqualTo(mine.id());
      assertThatThrownBy(() -> asBob.responses().retrieve(mine.id())).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> asBob.responses().create(ResponsesSdkTest.ask("Go on").previousResponseId(mine.id())
        .build())).isInstanceOf(NotFoundException.class);
      Response continued = aliceElsewhere.responses().create(ResponsesSdkTest.ask("Go on")
        .previousResponseId(mine.id()).build());
      assertThat(continued.previousResponseId()).contains(mine.id());
      assertThat(upstream.lastAttempt().body().getJsonArray("messages")).hasSize(3);
      assertThatThrownBy(() -> asBob.responses().delete(mine.id())).isInstanceOf(NotFoundException.class);
      asAlice.responses().delete(mine.id());
      assertThatThrownBy(() -> aliceElsewhere.responses().retrieve(mine.id())).isInstanceOf(NotFoundException.class);
    } finally {
      asAlice.close();
      asBob.close();
      aliceElsewhere.close();
    }
  }

  @Test
  void in_memory_a_tenant_never_reads_or_continues_another_tenants_response() {
    GatewayUnderTest gateway = gateway(vertx, TestConfig.singleProvider(upstream.baseUrl()));

    assertTenantsAreApart(gateway, gateway);
  }

  @Test
  void in_redis_responses_are_shared_by_gateways_per_tenant_under_a_tenant_digest_with_a_ttl() {
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl())
      .put("redis", new JsonObject().put("url", redis.url()).put("timeout_ms", 1_000))
      .put("responses", new JsonObject().put("ttl_seconds", 600));
    GatewayUnderTest first = gateway(vertx, config);
    GatewayUnderTest second = gateway(otherVertx, config.copy());

    assertTenantsAreApart(first, second);

    List<String> keys = List.of(redis.command("KEYS", "switchboard:response:*").split("\n"));
    assertThat(keys).hasSize(1).allMatch(key -> key.matches("switchboard:response:[0-9a-f]{32}:resp_[0-9a-f]+"));
    assertThat(keys.stream().map(key -> key.split(":")[2]).distinct()).hasSize(1);
    long ttl = Long.parseLong(redis.command("PTTL", keys.get(0)).trim());
    assertThat(ttl).isBetween(1L, 600_000L);
  }

  @Test
  void a_redis_that_does_not_answer_is_a_503_on_reads_and_does_not_stop_answers() {
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl())
      .put("redis", new JsonObject().put("url", redis.url()).put("timeout_ms", 300));
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config);
    TestClient client = gateway.client(vertx);
    try {
      redis.freeze();
      TestClient.Result read = client.get("/v1/responses/resp_0123abcd");
      TestClient.Result answered = client.post("/v1/responses", new JsonObject().put("model", "fake-cheap")
        .put("input", "Say hello"));
      redis.thaw();

      assertThat(read.status()).isEqualTo(503);
      assertThat(read.error().getString("code")).isEqualTo("response_store_unavailable");
      assertThat(read.headers().get("retry-after")).isEqualTo("1");
      assertThat(answered.status()).isEqualTo(200);
      assertThat(answered.json().getString("status")).isEqualTo("completed");
    } finally {
      redis.thaw();
      client.close();
    }
  }
}
