package io.switchboard.route;

/** Hears what the router did that operators count; called on the deciding thread, so it must not block. */
@FunctionalInterface
public interface RouteObserver {

  RouteObserver NONE = policy -> { };

  /** Economy mode sent a request of {@code policy} one tier cheaper. */
  void economyShift(String policy);
}
