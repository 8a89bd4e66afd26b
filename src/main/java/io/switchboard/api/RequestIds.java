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

  /**
   * The millisecond in 12 hex digits, then 64 random bits: unique, and increasing with time, so that the ledger's
   * indexes on decision ids grow at their end instead of splitting pages all over.
   */
  static String fresh(String prefix) {
    String millis = Long.toHexString(System.currentTimeMillis());
    String random = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    return prefix + "0".repeat(Math.max(0, 12 - millis.length())) + millis + random;
  }
}
