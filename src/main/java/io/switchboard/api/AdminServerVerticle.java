package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.auth.KeySecrets;
import io.switchboard.bus.Addresses;
import io.switchboard.config.AdminConfig;
import io.switchboard.config.GatewayConfig;
import io.switchboard.dashboard.DashboardRoutes;
import io.switchboard.openai.ApiError;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin API on its own listener ({@code admin.host}, {@code admin.port}), apart from the data plane: every
 * request needs {@code Authorization: Bearer <master key>}, unless no master key is set, which the configuration
 * allows on a loopback address only. {@code GET /admin/stats} is built in; capabilities add their own routes. The
 * dashboard's page and assets ({@code /dashboard/...}) are served without the key; the data they show is not.
 */
public final class AdminServerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminServerVerticle.class);
  private static final ApiError NOT_ADMIN = new ApiError(401, ApiError.INVALID_REQUEST, "invalid_api_key", null,
    "The admin API needs 'Authorization: Bearer <master key>'", 0);

  private final GatewayConfig config;
  private final List<AdminRoutes> routes;
  private final GatewayMeters meters;
  private final AtomicInteger boundPort;

  /** @param boundPort receives the port actually bound (useful with port 0) */
  public AdminServerVerticle(GatewayConfig config, List<AdminRoutes> routes, GatewayMeters meters,
                             AtomicInteger boundPort) {
    this.config = config;
    this.routes = List.copyOf(routes);
    this.meters = meters;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    AdminConfig admin = config.admin();
    ApiErrors errors = new ApiErrors(meters, new AccessLog(config.server().accessLog()));
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    // the page and its scripts hold no data: a browser loads them without a key, their API calls need it
    DashboardRoutes.mount(router);
    admin.masterKey().ifPresent(masterKey -> {
      // digests of equal length, compared in constant time: neither the key nor its length leaks through timing
      byte[] expected = KeySecrets.hash(masterKey).getBytes(StandardCharsets.US_ASCII);
      router.route().handler(ctx -> requireMasterKey(ctx, expected));
    });
    router.get("/admin/stats").handler(this::stats);
    routes.forEach(mounted -> mounted.mount(router));
    router.route().failureHandler(errors::handle);
    router.errorHandler(404, errors::handle);
    router.errorHandler(405, errors::handle);
    router.errorHandler(500, errors::handle);
    return vertx.createHttpServer(new HttpServerOptions().setHost(admin.host()).setPort(admin.port()))
      .requestHandler(router)
      .listen()
      .onSuccess(server -> {
        boundPort.set(server.actualPort());
        if (admin.masterKey().isPresent()) {
          LOG.info("Admin API listening on http://{}:{}", admin.host(), server.actualPort());
        } else {
          LOG.warn("Admin API listening on http://{}:{} WITHOUT authentication: set {} to require a master key",
            admin.host(), server.actualPort(), admin.masterKeyEnv());
        }
      });
  }

  private static void requireMasterKey(RoutingContext ctx, byte[] expected) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
      ? authorization.substring(7).trim() : "";
    if (MessageDigest.isEqual(KeySecrets.hash(presented).getBytes(StandardCharsets.US_ASCII), expected)) {
      ctx.next();
    } else {
      ctx.fail(NOT_ADMIN.exception());
    }
  }

  private void stats(RoutingContext ctx) {
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(2_000);
    vertx.eventBus().<JsonObject>request(Addresses.COST_STATS, null, options)
      .onSuccess(reply -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(reply.body().toBuffer()))
      .onFailure(ctx::fail);
  }
}
