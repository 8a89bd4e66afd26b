package io.switchboard.budget;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The budget store of a single node: every window in this process's memory, behind one lock so a reservation
 * across several lines is all-or-nothing (each operation is a few map lookups, so event loops never wait long).
 * Windows that ended more than a day ago are dropped as new ones appear.
 */
public final class MemoryBudgetStore implements BudgetStore {

  private final LongSupplier clockMillis;
  private final Map<String, WindowState> windows = new HashMap<>();
  private final Map<String, Long> overrides = new ConcurrentHashMap<>();
  private long nextSweepMillis;

  public MemoryBudgetStore(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  public MemoryBudgetStore() {
    this(System::currentTimeMillis);
  }

  @Override
  public synchronized Future<Reservation> reserve(String reservationId, List<BudgetLine> lines, long amountMicros,
                                                  long ttlMillis) {
    long now = clockMillis.getAsLong();
    sweep(now);
    List<WindowState> states = new ArrayList<>(lines.size());
    for (BudgetLine line : lines) {
      WindowState state = window(line, now);
      long limit = limitOf(line);
      if (limit >= 0 && state.spent + state.reserved + amountMicros > limit) {
        return Future.succeededFuture(new Refused(state.view(line, limit, List.of())));
      }
      states.add(state);
    }
    for (WindowState state : states) {
      state.reservations.put(reservationId, new Held(amountMicros, now + ttlMillis));
      state.reserved += amountMicros;
    }
    return Future.succeededFuture(new Reserved());
  }

  @Override
  public synchronized Future<List<LineState>> settle(String reservationId, List<BudgetLine> lines, long actualMicros,
                                                     List<Integer> alertPercents) {
    long now = clockMillis.getAsLong();
    List<LineState> result = new ArrayList<>(lines.size());
    for (BudgetLine line : lines) {
      WindowState state = window(line, now);
      Held held = state.reservations.remove(reservationId);
      if (held != null) {
        state.reserved -= held.amountMicros;
      }
      state.spent += actualMicros;
      long limit = limitOf(line);
      List<Integer> crossed = new ArrayList<>();
      if (limit > 0) {
        for (int percent : alertPercents) {
          if (state.spent * 100 >= (long) percent * limit && state.alerted.add(percent)) {
            crossed.add(percent);
          }
        }
      }
      result.add(state.view(line, limit, crossed));
    }
    return Future.succeededFuture(result);
  }

  @Override
  public synchronized Future<List<LineState>> read(List<BudgetLine> lines) {
    long now = clockMillis.getAsLong();
    List<LineState> result = new ArrayList<>(lines.size());
    for (BudgetLine line : lines) {
      WindowState state = windows.get(line.windowKey());
      if (state == null) {
        result.add(new LineState(line, limitOf(line), 0, 0, List.of()));
      } else {
        state.expire(now);
        result.add(state.view(line, limitOf(line), List.of()));
      }
    }
    return Future.succeededFuture(result);
  }

  @Override
  public Future<Void> setLimit(String scope, Period period, long limitMicros) {
    String field = BudgetLine.limitField(scope, period);
    if (limitMicros < 0) {
      overrides.remove(field);
    } else {
      overrides.put(field, limitMicros);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Map<String, Long>> limitOverrides() {
    return Future.succeededFuture(Map.copyOf(overrides));
  }

  private long limitOf(BudgetLine line) {
    Long override = overrides.get(line.limitField());
    return override != null ? override : line.limitMicros();
  }

  private WindowState window(BudgetLine line, long now) {
    WindowState state = windows.computeIfAbsent(line.windowKey(),
      key -> new WindowState(line.resetAt().toEpochMilli() + 86_400_000L));
    state.expire(now);
    return state;
  }

  private void sweep(long now) {
    if (now < nextSweepMillis) {
      return;
    }
    nextSweepMillis = now + 60_000;
    windows.values().removeIf(state -> state.dropAfterMillis < now);
  }

  private record Held(long amountMicros, long expiresAtMillis) {
  }

  private static final class WindowState {
    final long dropAfterMillis;
    final Map<String, Held> reservations = new HashMap<>();
    final Set<Integer> alerted = new HashSet<>();
    long spent;
    long reserved;

    WindowState(long dropAfterMillis) {
      this.dropAfterMillis = dropAfterMillis;
    }

    /** Releases reservations whose node never settled them. */
    void expire(long now) {
      for (Iterator<Held> it = reservations.values().iterator(); it.hasNext(); ) {
        Held held = it.next();
        if (held.expiresAtMillis <= now) {
          reserved -= held.amountMicros;
          it.remove();
        }
      }
    }

    LineState view(BudgetLine line, long limit, List<Integer> crossed) {
      return new LineState(line, limit, spent, reserved, crossed);
    }
  }
}
