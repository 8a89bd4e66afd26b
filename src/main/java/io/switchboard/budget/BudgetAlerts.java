package io.switchboard.budget;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.bus.Addresses;
import io.switchboard.cost.Money;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Optional;

/**
 * Tells people that a budget is filling up: a WARN log line, the counter {@code switchboard_budget_alerts_total},
 * a published {@link BudgetEvent} (refusals too, for the analytics ledger) and, when configured, a JSON POST to a
 * webhook. The webhook is tried a few times with growing pauses, in the
 * background: no request ever waits for it.
 */
public final class BudgetAlerts {

  private static final Logger LOG = LoggerFactory.getLogger(BudgetAlerts.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  static final int WEBHOOK_TRIES = 4;
  static final long WEBHOOK_TIMEOUT_MILLIS = 5_000;

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final Optional<URI> webhook;
  private final HttpClient client;

  public BudgetAlerts(Vertx vertx, MeterRegistry registry, Optional<URI> webhook) {
    this.vertx = vertx;
    this.registry = registry;
    this.webhook = webhook;
    this.client = webhook.isPresent()
      ? vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) WEBHOOK_TIMEOUT_MILLIS))
      : null;
  }

  void raise(LineState state, int percent) {
    BudgetLine line = state.line();
    publish(state, BudgetEvent.ALERT, percent / 100.0);
    LOG.warn("Budget {} {} ({}) reached {}%: spent ${} of ${}", line.scope(), line.period().wireName(), line.window(),
      percent, Money.usd(state.spentMicros()), Money.usd(state.limitMicros()));
    Counter.builder("switchboard.budget.alerts")
      .description("Budget alerts raised, by kind of scope, period and threshold")
      .tag("scope", kind(line.scope()))
      .tag("period", line.period().wireName())
      .tag("threshold", Integer.toString(percent))
      .register(registry)
      .increment();
    webhook.ifPresent(uri -> post(uri, new JsonObject()
      .put("type", "budget_alert")
      .put("scope", line.scope())
      .put("period", line.period().wireName())
      .put("window", line.window())
      .put("threshold_percent", percent)
      .put("spent_usd", Money.usd(state.spentMicros()))
      .put("limit_usd", Money.usd(state.limitMicros()))
      .put("utilization", Math.round(state.utilization() * 10_000) / 10_000.0)
      .put("resets_at", line.resetAt().toString())
      .toBuffer(), 1));
  }

  /** Publishes that {@code state}'s budget refused a request (the caller's 429 says the rest). */
  void refused(LineState state) {
    publish(state, BudgetEvent.REFUSED, Double.NaN);
  }

  private void publish(LineState state, String event, double threshold) {
    vertx.eventBus().publish(Addresses.BUDGET_EVENT, new BudgetEvent(state.line().scope(),
      state.line().period().wireName(), event, state.limitMicros(), state.spentMicros(), threshold,
      System.currentTimeMillis()), LOCAL);
  }

  private void post(URI uri, Buffer body, int attempt) {
    int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(port)
      .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
      .setSsl("https".equals(uri.getScheme())).setTimeout(WEBHOOK_TIMEOUT_MILLIS)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    client.request(options)
      .compose(request -> request.send(body))
      .compose(response -> response.statusCode() < 300
        ? response.body().mapEmpty()
        : Future.failedFuture("HTTP " + response.statusCode()))
      .onFailure(failure -> {
        if (attempt < WEBHOOK_TRIES) {
          vertx.setTimer(500L << attempt, id -> post(uri, body, attempt + 1));
        } else {
          LOG.warn("Budget alert webhook failed {} times, last: {}", WEBHOOK_TRIES, failure.getMessage());
        }
      });
  }

  /** The bounded kind of a scope, for the metric label: global, key, user, team or conversation. */
  static String kind(String scope) {
    int colon = scope.indexOf(':');
    return colon < 0 ? scope : scope.substring(0, colon);
  }

  public Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
