package io.switchboard.route;

import io.switchboard.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

/**
 * Answers {@link Addresses#ROUTE} with a {@link RouteDecision}. A request that cannot be routed fails the
 * reply with code {@link #NO_ROUTE} and the message {@code "<error code>|<explanation>"}.
 */
public final class RouteVerticle extends VerticleBase {

  public static final int NO_ROUTE = 404;

  private final Router router;

  public RouteVerticle(Router router) {
    this.router = router;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<RouteRequest>localConsumer(Addresses.ROUTE, this::onRoute).completion();
  }

  private void onRoute(Message<RouteRequest> message) {
    try {
      message.reply(router.decide(message.body()));
    } catch (NoRouteException e) {
      message.fail(NO_ROUTE, e.code() + "|" + e.getMessage());
    }
  }
}
