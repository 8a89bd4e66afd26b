package io.switchboard.budget;

import io.switchboard.store.LuaScript;
import io.switchboard.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Budgets shared by every gateway instance on one Redis. Each operation is one Lua script, so a reservation
 * across all of a request's lines is atomic however many instances race for the last cents; reservation expiry
 * uses Redis's own clock, so a dead node's reservations are released whatever the other nodes' clocks say.
 */
public final class RedisBudgetStore implements BudgetStore {

  private static final LuaScript RESERVE = LuaScript.load("budget-reserve");
  private static final LuaScript SETTLE = LuaScript.load("budget-settle");
  private static final LuaScript READ = LuaScript.load("budget-read");

  private final RedisStore redis;
  private final String limitsKey;

  public RedisBudgetStore(RedisStore redis) {
    this.redis = redis;
    this.limitsKey = redis.key("budget", "limits");
  }

  @Override
  public Future<Reservation> reserve(String reservationId, List<BudgetLine> lines, long amountMicros, long ttlMillis) {
    List<String> args = new ArrayList<>(List.of(reservationId, Long.toString(amountMicros), Long.toString(ttlMillis),
      Integer.toString(lines.size())));
    Instant now = Instant.now();
    for (BudgetLine line : lines) {
      args.add(line.limitField());
      args.add(Long.toString(line.limitMicros()));
      args.add(Long.toString(line.ttlMillis(now)));
    }
    return redis.eval(RESERVE, keys(lines), args).map(reply -> {
      if (reply.get(0).toLong() == 1) {
        return new Reserved();
      }
      BudgetLine line = lines.get(reply.get(1).toInteger() - 1);
      return new Refused(new LineState(line, reply.get(2).toLong(), reply.get(3).toLong(), reply.get(4).toLong(),
        List.of()));
    });
  }

  @Override
  public Future<List<LineState>> settle(String reservationId, List<BudgetLine> lines, long actualMicros,
                                        List<Integer> alertPercents) {
    List<String> args = new ArrayList<>(List.of(reservationId, Long.toString(actualMicros),
      Integer.toString(lines.size()), Integer.toString(alertPercents.size())));
    alertPercents.forEach(percent -> args.add(Integer.toString(percent)));
    Instant now = Instant.now();
    for (BudgetLine line : lines) {
      args.add(line.limitField());
      args.add(Long.toString(line.limitMicros()));
      args.add(Long.toString(line.ttlMillis(now)));
    }
    return redis.eval(SETTLE, keys(lines), args).map(reply -> {
      List<LineState> states = new ArrayList<>(lines.size());
      for (int i = 0; i < lines.size(); i++) {
        Response line = reply.get(i);
        List<Integer> crossed = new ArrayList<>();
        Response percents = line.get(3);
        for (int p = 0; percents != null && p < percents.size(); p++) {
          crossed.add(percents.get(p).toInteger());
        }
        states.add(new LineState(lines.get(i), line.get(0).toLong(), line.get(1).toLong(), line.get(2).toLong(),
          crossed));
      }
      return states;
    });
  }

  @Override
  public Future<List<LineState>> read(List<BudgetLine> lines) {
    List<String> args = new ArrayList<>(List.of(Integer.toString(lines.size())));
    for (BudgetLine line : lines) {
      args.add(line.limitField());
      args.add(Long.toString(line.limitMicros()));
    }
    return redis.eval(READ, keys(lines), args).map(reply -> {
      List<LineState> states = new ArrayList<>(lines.size());
      for (int i = 0; i < lines.size(); i++) {
        Response line = reply.get(i);
        states.add(new LineState(lines.get(i), line.get(0).toLong(), line.get(1).toLong(), line.get(2).toLong(),
          List.of()));
      }
      return states;
    });
  }

  @Override
  public Future<Void> setLimit(String scope, Period period, long limitMicros) {
    String field = BudgetLine.limitField(scope, period);
    Request request = limitMicros < 0
      ? Request.cmd(Command.HDEL).arg(limitsKey).arg(field)
      : Request.cmd(Command.HSET).arg(limitsKey).arg(field).arg(limitMicros);
    return redis.send(request).mapEmpty();
  }

  @Override
  public Future<Map<String, Long>> limitOverrides() {
    return redis.send(Request.cmd(Command.HGETALL).arg(limitsKey)).map(reply -> {
      Map<String, Long> overrides = new HashMap<>();
      if (reply != null) {
        for (String field : reply.getKeys()) {
          overrides.put(field, reply.get(field).toLong());
        }
      }
      return overrides;
    });
  }

  private List<String> keys(List<BudgetLine> lines) {
    List<String> keys = new ArrayList<>(1 + 3 * lines.size());
    keys.add(limitsKey);
    for (BudgetLine line : lines) {
      String window = line.windowKey();
      keys.add(redis.key("budget", "w", window));
      keys.add(redis.key("budget", "r", window));
      keys.add(redis.key("budget", "x", window));
    }
    return keys;
  }
}
