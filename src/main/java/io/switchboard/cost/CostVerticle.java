package io.switchboard.cost;

import io.switchboard.bus.Addresses;
import io.switchboard.config.Prices;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Keeps the money: consumes every {@link UsageRecord} and answers {@link Addresses#COST_STATS} with totals
 * for today (UTC) and since start. One instance; its state lives on its own event loop. Prompt-cache savings are
 * priced at the serving model's rates ({@code prices}, by model id).
 */
public final class CostVerticle extends VerticleBase {

  private final Clock clock;
  private final Map<String, Prices> prices;
  private final Instant startedAt;
  private final CostTotals sinceStart = new CostTotals();
  private CostTotals today = new CostTotals();
  private LocalDate day;

  public CostVerticle(Clock clock) {
    this(clock, Map.of());
  }

  public CostVerticle(Clock clock, Map<String, Prices> prices) {
    this.clock = clock;
    this.prices = Map.copyOf(prices);
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
    Prices rates = prices.get(record.model());
    long cacheSavings = rates == null ? 0 : CacheSavings.of(rates, record.usage());
    sinceStart.add(record, cacheSavings);
    today.add(record, cacheSavings);
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
