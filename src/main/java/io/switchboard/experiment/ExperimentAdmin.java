package io.switchboard.experiment;

import io.switchboard.bus.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/experiments}: every configured experiment with its arms' requests, success, escalation, cost
 * and latency, the tests of each arm against the control, and the winner once one is significant.
 */
public final class ExperimentAdmin {

  private final EventBus bus;

  public ExperimentAdmin(EventBus bus) {
    this.bus = bus;
  }

  public void mount(Router router) {
    router.get("/admin/experiments").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    bus.<JsonObject>request(Addresses.EXPERIMENT_STATS, null, new DeliveryOptions().setLocalOnly(true)
        .setSendTimeout(2_000))
      .onSuccess(reply -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(reply.body().toBuffer()))
      .onFailure(ctx::fail);
  }
}
