package io.switchboard.learn;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Without Redis, the estimates are snapshotted to {@code learning.snapshot_file} and read back at start. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SnapshotRestartTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private TestClient client;
  private TestClient admin;

  private JsonObject config(Path snapshot) {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:1/v1");
    config.put("learning", new JsonObject().put("snapshot_file", snapshot.toString()));
    return config;
  }

  /** A gateway on a fresh Vertx, with its own fake provider. */
  private void start(JsonObject config) {
    vertx = Vertx.vertx();
    FakeProvider upstream = new FakeProvider(vertx).start();
    config.getJsonObject("providers").getJsonObject("fake").put("base_url", upstream.baseUrl());
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config);
    client = gateway.client(vertx);
    admin = gateway.adminClient(vertx);
  }

  /** Stops everything the last {@link #start} started, the gateway writing its snapshot on the way. */
  private void stop() {
    if (vertx != null) {
      client.close();
      admin.close();
      vertx.close().await();
      vertx = null;
    }
  }

  @AfterEach
  void stopAll() {
    stop();
  }

  @Test
  void what_was_learned_survives_a_restart() {
    Path snapshot = dir.resolve("state").resolve("learning.json");
    start(config(snapshot));
    TestClient.Result chat = client.post("/v1/chat/completions", Chats.chat("auto", "hi, how are you?"));
    assertThat(chat.status()).isEqualTo(200);
    Poll.until(() -> assertThat(Estimates.of(admin, "fake-cheap", "conversation")).isPresent());
    assertThat(client.post("/v1/feedback", new JsonObject()
      .put("decision_id", chat.headers().get("x-switchboard-decision-id")).put("thumbs", "down")).status())
      .isEqualTo(200);
    double learned = Estimates.success(admin, "fake-cheap", "conversation");
    assertThat(learned).isCloseTo(1.1 / 3.1, within(1e-4));

    stop();
    assertThat(snapshot).exists();
    start(config(snapshot));

    assertThat(Estimates.success(admin, "fake-cheap", "conversation")).isCloseTo(learned, within(1e-4));
    assertThat(Estimates.failures(admin, "fake-cheap", "conversation")).isCloseTo(1, within(1e-4));
  }

  @Test
  void a_missing_or_corrupt_snapshot_starts_from_the_prior() throws Exception {
    Path snapshot = dir.resolve("learning.json");
    start(config(snapshot));
    assertThat(admin.get("/admin/learning").json().getJsonArray("estimates")).isEmpty();
    stop();
    assertThat(snapshot).as("nothing learned, nothing written").doesNotExist();

    Files.writeString(snapshot, "{\"format\": \"switchboard-learning-v1\", \"estimates\": [{\"model\": ");
    start(config(snapshot));

    assertThat(admin.get("/admin/learning").json().getJsonArray("estimates")).isEmpty();
    assertThat(client.post("/v1/chat/completions", Chats.chat("auto", "hi")).status()).isEqualTo(200);
  }
}
