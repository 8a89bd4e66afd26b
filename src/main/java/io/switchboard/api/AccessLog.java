package io.switchboard.api;

import io.switchboard.cost.Money;
import io.switchboard.cost.UsageRecord;
import io.switchboard.openai.ApiError;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request: ids, route, model, outcome, tokens, cost, latency. Never content, never keys. */
final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.access");

  private final boolean enabled;

  AccessLog(boolean enabled) {
    this.enabled = enabled && LOG.isInfoEnabled();
  }

  void served(RoutingContext ctx, int status, UsageRecord record) {
    if (enabled) {
      LOG.info("id={} decision={} {} {} status={} policy={} model={} provider={} task={} outcome={} in={} out={} "
          + "estimated={} cost_usd={} baseline_usd={} latency_ms={}", RequestIds.of(ctx), record.decisionId(),
        ctx.request().method(), ctx.request().path(),
        status, record.policy().isEmpty() ? "-" : record.policy(), record.model(), record.provider(), record.taskType(),
        record.outcome().wireName(), record.usage().promptTokens(), record.usage().completionTokens(),
        record.usage().estimated(), Money.usd(record.costMicros()), Money.usd(record.baselineCostMicros()),
        record.latencyMillis());
    }
  }

  void error(RoutingContext ctx, ApiError error) {
    if (enabled) {
      LOG.info("id={} {} {} status={} code={}", RequestIds.of(ctx), ctx.request().method(), ctx.request().path(),
        error.status(), error.code());
    }
  }
}
