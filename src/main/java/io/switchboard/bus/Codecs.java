package io.switchboard.bus;

import io.switchboard.budget.BudgetEvent;
import io.switchboard.classify.Classification;
import io.switchboard.classify.ClassifyRequest;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.UsageRecord;
import io.switchboard.learn.DecisionStarted;
import io.switchboard.learn.FeedbackRecord;
import io.switchboard.ledger.DecisionRouted;
import io.switchboard.limit.RateLimitRefusal;
import io.switchboard.route.EscalationRecord;
import io.switchboard.route.RouteDecision;
import io.switchboard.route.RouteRequest;
import io.vertx.core.eventbus.EventBus;

/** Registers the codec of every record that crosses the bus. Call once per {@code Vertx}. */
public final class Codecs {

  private Codecs() {
  }

  public static void register(EventBus bus) {
    bus.registerDefaultCodec(ClassifyRequest.class,
      new RecordCodec<>(ClassifyRequest.class, ClassifyRequest::toJson, ClassifyRequest::fromJson));
    bus.registerDefaultCodec(Classification.class,
      new RecordCodec<>(Classification.class, Classification::toJson, Classification::fromJson));
    bus.registerDefaultCodec(RouteRequest.class,
      new RecordCodec<>(RouteRequest.class, RouteRequest::toJson, RouteRequest::fromJson));
    bus.registerDefaultCodec(RouteDecision.class,
      new RecordCodec<>(RouteDecision.class, RouteDecision::toJson, RouteDecision::fromJson));
    bus.registerDefaultCodec(UsageRecord.class,
      new RecordCodec<>(UsageRecord.class, UsageRecord::toJson, UsageRecord::fromJson));
    bus.registerDefaultCodec(AttemptRecord.class,
      new RecordCodec<>(AttemptRecord.class, AttemptRecord::toJson, AttemptRecord::fromJson));
    bus.registerDefaultCodec(EscalationRecord.class,
      new RecordCodec<>(EscalationRecord.class, EscalationRecord::toJson, EscalationRecord::fromJson));
    bus.registerDefaultCodec(DecisionStarted.class,
      new RecordCodec<>(DecisionStarted.class, DecisionStarted::toJson, DecisionStarted::fromJson));
    bus.registerDefaultCodec(FeedbackRecord.class,
      new RecordCodec<>(FeedbackRecord.class, FeedbackRecord::toJson, FeedbackRecord::fromJson));
    bus.registerDefaultCodec(DecisionRouted.class,
      new RecordCodec<>(DecisionRouted.class, DecisionRouted::toJson, DecisionRouted::fromJson));
    bus.registerDefaultCodec(BudgetEvent.class,
      new RecordCodec<>(BudgetEvent.class, BudgetEvent::toJson, BudgetEvent::fromJson));
    bus.registerDefaultCodec(RateLimitRefusal.class,
      new RecordCodec<>(RateLimitRefusal.class, RateLimitRefusal::toJson, RateLimitRefusal::fromJson));
  }
}
