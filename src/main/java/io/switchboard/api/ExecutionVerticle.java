package io.switchboard.api;

import io.switchboard.bus.Addresses;
import io.switchboard.config.GatewayConfig;
import io.switchboard.cost.Money;
import io.switchboard.analytics.GatewayMeters;
import io.switchboard.auth.Caller;
import io.switchboard.execute.Accountant;
import io.switchboard.execute.CallGuards;
import io.switchboard.execute.Cancellation;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Dispatcher;
import io.switchboard.execute.Executor;
import io.switchboard.execute.Failover;
import io.switchboard.learn.Learning;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.ChatRequest;
import io.switchboard.route.Router;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The event-bus front door: answers {@link Addresses#CHAT} with the same execution code as the HTTP API.
 * The body is an OpenAI chat request (JSON, non-streaming); the reply body is the completion JSON with the
 * {@code x-switchboard-*} values as message headers. Failures carry the HTTP status as the failure code and
 * the OpenAI error JSON as the message.
 */
public final class ExecutionVerticle extends VerticleBase {

  private final GatewayConfig config;
  private final CallGuards guards;
  private final GatewayMeters meters;
  private final Router router;
  private final Learning learning;
  private Executor executor;
  private ChatService service;

  public ExecutionVerticle(GatewayConfig config, CallGuards guards, GatewayMeters meters, Router router,
                           Learning learning) {
    this.config = config;
    this.guards = guards;
    this.meters = meters;
    this.router = router;
    this.learning = learning;
  }

  @Override
  public Future<?> start() {
    executor = new Executor(vertx, config);
    Accountant accountant = new Accountant(vertx.eventBus(), config, guards.budgets());
    service = new ChatService(config, new Dispatcher(vertx.eventBus(), config, router,
      guards.budgets()::globalUtilization, learning), executor,
      new Failover(vertx, config, executor, guards, accountant, meters), accountant, guards);
    return vertx.eventBus().<Object>consumer(Addresses.CHAT, this::onChat).completion();
  }

  @Override
  public Future<?> stop() {
    return executor.close();
  }

  private void onChat(Message<Object> message) {
    long start = System.nanoTime();
    String requestId = "bus_" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    ChatRequest request;
    try {
      if (!(message.body() instanceof JsonObject body)) {
        throw ApiError.invalid("invalid_json", null, "The message body must be a JSON object").exception();
      }
      request = ChatRequest.from(body, body.toBuffer().length());
      if (request.stream()) {
        throw ApiError.invalid("invalid_value", "stream", "The event bus answers whole completions: set 'stream' to false")
          .exception();
      }
    } catch (ApiException e) {
      fail(message, e.error());
      return;
    }
    service.complete(Caller.ANONYMOUS, request, requestId, start, new Cancellation())
      .onSuccess(result -> message.reply(result.completion().json(), new DeliveryOptions()
        .addHeader("x-switchboard-model", result.routed().model().id())
        .addHeader("x-switchboard-attempts", Integer.toString(result.attempts()))
        .addHeader("x-switchboard-decision-id", requestId)
        .addHeader("x-switchboard-task-type", result.routed().classification().taskType().wireName())
        .addHeader("x-switchboard-cost-usd", Money.usd(result.record().costMicros()))
        .addHeader("x-switchboard-baseline-cost-usd", Money.usd(result.record().baselineCostMicros()))
        .addHeader("x-switchboard-savings-usd", Money.usd(result.record().savingsMicros()))))
      .onFailure(failure -> fail(message, failure instanceof ApiException api ? api.error()
        : new ApiError(500, ApiError.API_ERROR, "internal_error", null, "Internal error (" + requestId + ")", 0)));
  }

  private static void fail(Message<?> message, ApiError error) {
    message.fail(error.status(), error.toJson().encode());
  }
}
