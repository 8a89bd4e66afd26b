package io.switchboard.budget;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link BudgetStore} does, run against the in-memory and the Redis implementation. */
abstract class BudgetStoreContract {

  static final Instant RESET = Instant.parse("2100-01-01T00:00:00Z");
  static final long TTL = 60_000;

  abstract BudgetStore store();

  /** Lets reservations made with a short TTL expire. */
  abstract void passTime(long millis);

  static BudgetLine line(String scope, long limitMicros) {
    return new BudgetLine(scope, Period.DAILY, "2099-12-31", RESET, limitMicros);
  }

  @Test
  void reservations_fit_until_spent_plus_reserved_reaches_the_limit() {
    BudgetLine global = line("global", 1_000);
    assertThat(store().reserve("r1", List.of(global), 600, TTL).await()).isInstanceOf(BudgetStore.Reserved.class);
    assertThat(store().reserve("r2", List.of(global), 400, TTL).await()).isInstanceOf(BudgetStore.Reserved.class);
    BudgetStore.Reservation third = store().reserve("r3", List.of(global), 1, TTL).await();
    assertThat(third).isInstanceOf(BudgetStore.Refused.class);
    LineState refused = ((BudgetStore.Refused) third).line();
    assertThat(refused.line()).isEqualTo(global);
    assertThat(refused.reservedMicros()).isEqualTo(1_000);
    assertThat(refused.limitMicros()).isEqualTo(1_000);
  }

  @Test
  void a_refusal_on_one_line_takes_nothing_from_the_others() {
    BudgetLine global = line("global", 10_000);
    BudgetLine team = line("team:ml", 100);
    BudgetStore.Reservation answer = store().reserve("r1", List.of(global, team), 500, TTL).await();
    assertThat(((BudgetStore.Refused) answer).line().line()).isEqualTo(team);
    assertThat(store().read(List.of(global)).await().get(0).reservedMicros()).isZero();
  }

  @Test
  void settling_releases_the_reservation_and_adds_the_actual_cost() {
    BudgetLine global = line("global", 1_000);
    BudgetLine user = line("user:ann", BudgetLine.UNLIMITED);
    store().reserve("r1", List.of(global, user), 800, TTL).await();
    List<LineState> after = store().settle("r1", List.of(global, user), 300, List.of()).await();
    assertThat(after).extracting(LineState::spentMicros).containsExactly(300L, 300L);
    assertThat(after).extracting(LineState::reservedMicros).containsExactly(0L, 0L);
    assertThat(after.get(1).limited()).isFalse();
    assertThat(store().reserve("r2", List.of(global), 700, TTL).await()).isInstanceOf(BudgetStore.Reserved.class);
  }

  @Test
  void a_reservation_never_settled_expires() {
    BudgetLine global = line("global", 1_000);
    store().reserve("dead-node", List.of(global), 1_000, 50).await();
    assertThat(store().reserve("r2", List.of(global), 1, TTL).await()).isInstanceOf(BudgetStore.Refused.class);
    passTime(200);
    assertThat(store().reserve("r3", List.of(global), 1_000, TTL).await()).isInstanceOf(BudgetStore.Reserved.class);
    // a late settlement of the expired one still counts its cost, and releases nothing twice
    List<LineState> late = store().settle("dead-node", List.of(global), 10, List.of()).await();
    assertThat(late.get(0).reservedMicros()).isEqualTo(1_000);
    assertThat(late.get(0).spentMicros()).isEqualTo(10);
  }

  @Test
  void alert_thresholds_fire_once_per_window() {
    BudgetLine global = line("global", 1_000);
    List<Integer> percents = List.of(75, 90, 100);
    store().reserve("a", List.of(global), 800, TTL).await();
    assertThat(store().settle("a", List.of(global), 800, percents).await().get(0).crossedPercents()).containsExactly(75);
    store().reserve("b", List.of(global), 200, TTL).await();
    assertThat(store().settle("b", List.of(global), 200, percents).await().get(0).crossedPercents())
      .containsExactly(90, 100);
    store().reserve("c", List.of(global), 0, TTL).await();
    assertThat(store().settle("c", List.of(global), 0, percents).await().get(0).crossedPercents()).isEmpty();
  }

  @Test
  void an_override_replaces_the_configured_limit_until_removed() {
    BudgetLine team = line("team:ml", 1_000);
    store().setLimit("team:ml", Period.DAILY, 100).await();
    assertThat(store().limitOverrides().await()).containsEntry("team:ml|daily", 100L);
    assertThat(store().reserve("r1", List.of(team), 200, TTL).await()).isInstanceOf(BudgetStore.Refused.class);
    assertThat(store().read(List.of(team)).await().get(0).limitMicros()).isEqualTo(100);
    store().setLimit("team:ml", Period.DAILY, -1).await();
    assertThat(store().limitOverrides().await()).doesNotContainKey("team:ml|daily");
    assertThat(store().reserve("r2", List.of(team), 200, TTL).await()).isInstanceOf(BudgetStore.Reserved.class);
  }

  @Test
  void windows_of_different_periods_and_days_are_separate() {
    BudgetLine today = line("global", 100);
    BudgetLine tomorrow = new BudgetLine("global", Period.DAILY, "2100-01-01", RESET.plusSeconds(86_400), 100);
    BudgetLine month = new BudgetLine("global", Period.MONTHLY, "2099-12", RESET, 150);
    store().reserve("r1", List.of(today, month), 100, TTL).await();
    assertThat(store().reserve("r2", List.of(tomorrow), 100, TTL).await()).isInstanceOf(BudgetStore.Reserved.class);
    assertThat(store().reserve("r3", List.of(tomorrow, month), 1, TTL).await()).isInstanceOf(BudgetStore.Refused.class);
  }
}
