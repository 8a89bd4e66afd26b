package io.switchboard.api;

import io.vertx.ext.web.Router;

/** Routes that a capability adds to the admin API; they run after the master-key check. */
@FunctionalInterface
public interface AdminRoutes {

  void mount(Router router);
}
