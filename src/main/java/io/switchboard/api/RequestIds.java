package io.switchboard.api;

import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request a fresh decision id, and a request id: the client's {@code x-request-id} when it is sane,
 * else the decision id. Both are unique per request only when the client's id is.
 */
final class RequestIds {

  static final String KEY = "switchboard.request-id";
  static final String DECISION_KEY = "switchboard.decision-id";
  static final String HEADER = "x-request-id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {
  }

  static void assign(RoutingContext ctx) {
    String offered = ctx.request().getHeader(HEADER);
    String decision = fresh("req_");
    String id = offered != null && SANE.matcher(offered).matches() ? offered : decision;
    ctx.put(KEY, id);
    ctx.put(DECISION_KEY, decision);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? fresh("req_") : id;
  }

  /** The id of this request's routing decision: always generated, so always unique. */
  static String decision(RoutingContext ctx) {
    String id = ctx.get(DECISION_KEY);
    return id == null ? of(ctx) : id;
  }

  static String fresh(String prefix) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return prefix + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }
}
