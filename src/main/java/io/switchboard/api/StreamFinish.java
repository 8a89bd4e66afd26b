package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.execute.Accountant;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Routed;
import io.switchboard.execute.StreamRelay;
import io.switchboard.execute.UpstreamCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The end of a relayed stream, in any dialect: the call and the request are accounted by how the stream ended
 * (with an estimate when the upstream reported no usage), then the client gets the dialect's last events or its
 * cut event, and the access log its line.
 */
final class StreamFinish {

  private final ChatService service;
  private final GatewayMeters meters;
  private final AccessLog accessLog;

  StreamFinish(ChatService service, GatewayMeters meters, AccessLog accessLog) {
    this.service = service;
    this.meters = meters;
    this.accessLog = accessLog;
  }

  void finish(RoutingContext ctx, FrontDoorFlow.Relayed relayed, long start) {
    HttpServerResponse response = ctx.response();
    Routed routed = relayed.routed();
    UpstreamCall call = relayed.call();
    StreamRelay.Result result = relayed.result();
    Usage usage = result.usage() != null ? result.usage()
      : Accountant.estimated(routed, result.countedCompletionTokens());
    Outcome outcome = switch (result.end()) {
      case DONE, FINISHED -> Outcome.OK;
      case CLIENT_GONE -> Outcome.CLIENT_CLOSED;
      case CUT -> result.error().status() == 504 ? Outcome.TIMEOUT : Outcome.STREAM_CUT;
    };
    call.end(usage, switch (result.end()) {
      case DONE, FINISHED -> "ok";
      case CLIENT_GONE -> UpstreamCall.CLIENT_CLOSED.code();
      case CUT -> result.error().code();
    });
    long ttfb = result.firstByteNanos() == 0 ? 0 : result.firstByteNanos() - call.startedNanos();
    long overhead = (call.startedNanos() - start) + (System.nanoTime() - result.endNanos());
    UsageRecord record = service.accountant().record(RequestIds.decision(ctx), routed, usage, outcome, true, start,
      ttfb, overhead);
    if (ttfb > 0) {
      meters.upstreamTtfb(record.model(), record.provider(), ttfb);
    }
    meters.overhead(record.model(), record.provider(), true, overhead);
    StreamTry dialect = relayed.dialect();
    dialect.accounted();
    switch (result.end()) {
      case DONE, FINISHED -> {
        Buffer comment = SwitchboardHeaders.costComment(record);
        dialect.finished(response, relayed.relay(), usage, comment).onSuccess(last -> {
          response.end(last);
          accessLog.served(ctx, 200, record);
        });
      }
      case CUT -> {
        response.end(dialect.cut(result.error()));
        accessLog.served(ctx, 200, record);
      }
      case CLIENT_GONE -> accessLog.served(ctx, 499, record);
    }
  }
}
