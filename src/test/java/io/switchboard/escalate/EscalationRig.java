package io.switchboard.escalate;

import io.switchboard.bus.Addresses;
import io.switchboard.cost.UsageRecord;
import io.switchboard.route.EscalationRecord;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The test gateway in front of a {@link FakeProvider}, with policies that escalate and review, and the usage and
 * escalation facts it publishes. Models as in {@link TestConfig#singleProvider}, plus {@code fake-mid} (1/4 $ per
 * M tokens). Policies: {@code auto} (fake-cheap, escalated to fake-premium), {@code auto:ladder} (fake-cheap, then
 * fake-mid, then fake-premium), {@code auto:review} (fake-cheap drafts, fake-premium reviews with
 * {@link #REVIEW_PROMPT}). Answers under 10 characters are too short.
 */
final class EscalationRig implements AutoCloseable {

  static final String CHAT = "/v1/chat/completions";
  static final String REVIEW_PROMPT = "Review the draft above and reply with a better answer.";

  final Vertx vertx;
  final FakeProvider upstream;
  final GatewayUnderTest gateway;
  final TestClient client;
  final List<EscalationRecord> escalations = new CopyOnWriteArrayList<>();
  final List<UsageRecord> usage = new CopyOnWriteArrayList<>();

  private EscalationRig(Vertx vertx, FakeProvider upstream, GatewayUnderTest gateway) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.gateway = gateway;
    this.client = gateway.client(vertx);
    vertx.eventBus().<EscalationRecord>localConsumer(Addresses.ESCALATION_RECORDED, m -> escalations.add(m.body()));
    vertx.eventBus().<UsageRecord>localConsumer(Addresses.USAGE_RECORDED, m -> usage.add(m.body()));
  }

  /** Starts the rig with its configuration changed by {@code tweak} first. */
  static EscalationRig start(Consumer<JsonObject> tweak) {
    Vertx vertx = Vertx.vertx();
    FakeProvider upstream = new FakeProvider(vertx).start();
    JsonObject config = config(upstream.baseUrl());
    tweak.accept(config);
    return new EscalationRig(vertx, upstream, GatewayUnderTest.start(vertx, config));
  }

  static JsonObject config(String upstreamUrl) {
    JsonObject config = TestConfig.singleProvider(upstreamUrl);
    config.getJsonObject("models").put("fake-mid", new JsonObject().put("provider", "fake")
      .put("prices", new JsonObject().put("input", 1.0).put("output", 4.0)).put("context_window", 128_000)
      .put("fallbacks", new JsonArray()));
    JsonObject policies = config.getJsonObject("routing").getJsonObject("policies");
    policies.put("auto", new JsonObject().put("default", new JsonObject().put("primary", "fake-cheap")
      .put("escalate_to", new JsonArray().add("fake-premium"))));
    policies.put("auto:ladder", new JsonObject().put("default", new JsonObject().put("primary", "fake-cheap")
      .put("escalate_to", new JsonArray().add("fake-mid").add("fake-premium"))));
    policies.put("auto:review", new JsonObject().put("default", new JsonObject().put("primary", "fake-cheap")
      .put("pipeline", new JsonObject().put("reviewer", "fake-premium").put("review_prompt", REVIEW_PROMPT))));
    config.put("escalation", new JsonObject().put("min_chars", new JsonObject().put("default", 10)));
    return config;
  }

  List<EscalationRecord> escalationsOf(String decisionId) {
    return escalations.stream().filter(e -> e.decisionId().equals(decisionId)).toList();
  }

  List<UsageRecord> usageOf(String decisionId) {
    return usage.stream().filter(u -> u.decisionId().equals(decisionId)).toList();
  }

  @Override
  public void close() {
    client.close();
    upstream.stop();
    vertx.close().await();
  }
}
