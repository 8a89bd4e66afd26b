package io.switchboard.execute;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.Codecs;
import io.switchboard.config.GatewayConfig;
import io.switchboard.learn.Learning;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.ChatRequest;
import io.switchboard.route.RouteVerticle;
import io.switchboard.route.Router;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DispatcherTest {

  private Vertx vertx;
  private Dispatcher dispatcher;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Codecs.register(vertx.eventBus());
    JsonObject raw = TestConfig.singleProvider("http://127.0.0.1:1/v1");
    raw.getJsonObject("routing").put("classify_timeout_ms", 100).put("route_timeout_ms", 100);
    GatewayConfig config = GatewayConfig.from(raw, TestConfig.ENV);
    dispatcher = new Dispatcher(vertx.eventBus(), config, new Router(config), () -> 0, Learning.NONE);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static ChatRequest request(String model, String text) {
    JsonObject body = Chats.chat(model, text);
    return ChatRequest.from(body, body.encode().length());
  }

  @Test
  void with_no_classifier_and_no_router_the_request_is_still_routed_in_place() throws Exception {
    Routed routed = dispatcher.dispatch(request("auto", "hello")).await(5, TimeUnit.SECONDS);

    assertThat(routed.classification().tier()).isEqualTo("unavailable");
    assertThat(routed.model().id()).isEqualTo("fake-cheap");
    assertThat(routed.decision().reasons()).last().asString().contains("decided in place");
  }

  @Test
  void a_classifier_that_does_not_answer_in_time_is_replaced_by_the_policy_default() throws Exception {
    vertx.eventBus().localConsumer(Addresses.CLASSIFY, message -> { });   // never replies

    Routed routed = dispatcher.dispatch(request("auto", "Find the XSS vulnerability")).await(5, TimeUnit.SECONDS);

    assertThat(routed.classification().tier()).isEqualTo("unavailable");
    assertThat(routed.model().id()).as("the default rule, not the security rule").isEqualTo("fake-cheap");
  }

  @Test
  void a_router_refusal_becomes_the_clients_error() {
    vertx.eventBus().localConsumer(Addresses.ROUTE,
      message -> message.fail(RouteVerticle.NO_ROUTE, "model_not_found|The model 'nope' does not exist"));

    assertThatThrownBy(() -> dispatcher.dispatch(request("nope", "hi")).await(5, TimeUnit.SECONDS))
      .isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.error().status()).isEqualTo(404);
        assertThat(e.error().code()).isEqualTo("model_not_found");
        assertThat(e.error().message()).isEqualTo("The model 'nope' does not exist");
      });
  }
}
