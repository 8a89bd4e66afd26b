package io.switchboard.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.analytics.GatewayMeters;
import io.switchboard.auth.Authenticator;
import io.switchboard.auth.ModelAccess;
import io.switchboard.auth.VirtualKeys;
import io.switchboard.cache.ResponseCaching;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ServerConfig;
import io.switchboard.execute.Accountant;
import io.switchboard.execute.CallGuards;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.ContextFit;
import io.switchboard.execute.Dispatcher;
import io.switchboard.execute.Executor;
import io.switchboard.execute.Failover;
import io.switchboard.learn.Learning;
import io.switchboard.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front door, deployed once per core. Each instance owns its own {@link Executor} (upstream clients),
 * so a response is relayed on the event loop that received the request and its bytes never cross the bus.
 */
public final class HttpServerVerticle extends VerticleBase {

  private final GatewayConfig config;
  private final Stores stores;
  private final VirtualKeys keys;
  private final GatewayMeters meters;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean ready;
  private final AtomicInteger boundPort;
  private final CallGuards guards;
  private final io.switchboard.route.Router routing;
  private final Learning learning;
  private Executor executor;

  /**
   * @param ready set by the deployer once every verticle runs; {@code /ready} answers 503 until then
   * @param boundPort receives the port actually bound (useful with port 0)
   * @param routing the node's router, used in place when the route service does not answer
   * @param learning the estimates and experiments routing uses
   */
  public HttpServerVerticle(GatewayConfig config, Stores stores, VirtualKeys keys, CallGuards guards,
                            GatewayMeters meters, PrometheusMeterRegistry registry, AtomicBoolean ready,
                            AtomicInteger boundPort, io.switchboard.route.Router routing, Learning learning) {
    this.config = config;
    this.stores = stores;
    this.keys = keys;
    this.guards = guards;
    this.meters = meters;
    this.registry = registry;
    this.ready = ready;
    this.boundPort = boundPort;
    this.routing = routing;
    this.learning = learning;
  }

  @Override
  public Future<?> start() {
    ServerConfig server = config.server();
    executor = new Executor(vertx, config);
    Accountant accountant = new Accountant(vertx.eventBus(), config, guards.budgets());
    ContextFit context = new ContextFit(config, new ContextFit.Observer() {
      @Override
      public void trimmed(String policy, long tokens) {
        meters.contextTrimmed(policy, tokens);
      }

      @Override
      public void capped(String policy) {
        meters.contextCapped(policy);
      }
    }, vertx);
    ChatService service = new ChatService(config, new Dispatcher(vertx.eventBus(), config, routing,
      guards.budgets()::globalUtilization, learning, stores.sessions(), context), executor,
      new Failover(vertx, config, executor, guards, accountant, meters), accountant, guards);
    AccessLog accessLog = new AccessLog(server.accessLog());
    ApiErrors errors = new ApiErrors(meters, accessLog);
    ResponseCaching caching = new ResponseCaching(config, stores.cache(), meters);
    ChatCompletionsHandler chat = new ChatCompletionsHandler(service, meters, accessLog, caching);
    MessagesHandler messages = new MessagesHandler(config, service, meters, accessLog, caching);
    ResponsesHandler responses = new ResponsesHandler(service, meters, accessLog, caching, stores.responses());
    RouteHandler route = new RouteHandler(service);
    ModelsHandler models = new ModelsHandler(config);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(server.maxBodyBytes());
    ModelAccess modelAccess = new ModelAccess(config);

    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    router.route("/v1/*").handler(new Authenticator(keys)::handle);
    router.post("/v1/chat/completions").handler(body).handler(ContentTypes::requireJson).handler(modelAccess::check)
      .handler(chat::handle);
    router.post("/v1/messages").handler(body).handler(ContentTypes::requireJson).handler(modelAccess::check)
      .handler(messages::handle);
    router.post("/v1/messages/count_tokens").handler(body).handler(ContentTypes::requireJson)
      .handler(modelAccess::check).handler(messages::countTokens);
    router.post("/v1/responses").handler(body).handler(ContentTypes::requireJson).handler(modelAccess::check)
      .handler(responses::handle);
    router.get("/v1/responses/:id").handler(responses::retrieve);
    router.delete("/v1/responses/:id").handler(responses::delete);
    router.post("/v1/route").handler(body).handler(ContentTypes::requireJson).handler(modelAccess::check)
      .handler(route::handle);
    router.post("/v1/classify").handler(body).handler(ContentTypes::requireJson)
      .handler(new ClassifyHandler(vertx.eventBus(), config.routing().classifyTimeoutMillis())::handle);
    router.get("/v1/models").handler(models::handle);
    router.post("/v1/feedback").handler(body).handler(ContentTypes::requireJson)
      .handler(new FeedbackHandler(vertx.eventBus())::handle);
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    router.get("/ready").handler(ctx -> json(ctx, ready.get() ? 200 : 503,
      new JsonObject().put("status", ready.get() ? "ready" : "starting")));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.route().failureHandler(errors::handle);
    router.errorHandler(404, errors::handle);
    router.errorHandler(405, errors::handle);
    router.errorHandler(500, errors::handle);

    // several instances listening on port 0 must share one random port: Vert.x does that for negative ports
    int port = server.port() == 0 && server.effectiveInstances() > 1 ? -1 : server.port();
    return vertx.createHttpServer(new HttpServerOptions()
        .setHost(server.host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setCompressionSupported(false))
      .requestHandler(router)
      .listen()
      .onSuccess(s -> boundPort.set(s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return executor == null ? Future.succeededFuture() : executor.close();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
