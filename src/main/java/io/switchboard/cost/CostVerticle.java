package io.switchboard.cost;

import io.switchboard.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Keeps the money: consumes every {@link UsageRecord} and answers {@link Addresses#COST_STATS} with totals
 * for today (UTC) and since start. One instance; its state lives on its own event loop.
 */
public final class CostVerticle extends VerticleBase {

  private final Clock clock;
  private final Instant startedAt;
  private final CostTotals sinceStart = new CostTotals();
  private CostTotals today = new CostTotals();
  private LocalDate day;

  public CostVerticle(Clock clock) {
    this.clock = clock;
    this.startedAt = clock.instant();
    this.day = LocalDate.ofInstant(startedAt, ZoneOffset.UTC);
  }

  @Override
  public Future<?> start() {
    return Future.all(
      vertx.eventBus().<UsageRecord>localConsumer(Addresses.USAGE_RECORDED, m -> record(m.body())).completion(),
      vertx.eventBus().<Object>localConsumer(Addresses.COST_STATS, this::stats).completion());
  }

  private void record(UsageRecord record) {
    rollDay();
    sinceStart.add(record);
    today.add(record);
  }

  private void stats(Message<Object> message) {
    rollDay();
    message.reply(new JsonObject()
      .put("started_at", startedAt.toString())
      .put("day", day.toString())
      .put("today", today.toJson())
      .put("since_start", sinceStart.toJson()));
  }

  private void rollDay() {
    LocalDate now = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!now.equals(day)) {
      day = now;
      today = new CostTotals();
    }
  }
}
