package io.switchboard.limit;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@Timeout(10)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalRateLimiterTest {

  private static final String SCOPE = "model:gpt-4.1";

  private final AtomicLong nanos = new AtomicLong(123_456_789);
  private final LocalRateLimiter limiter = new LocalRateLimiter(nanos::get);

  private Admission acquire(Limits limits, long inputTokens, long outputTokens) {
    return limiter.acquire(SCOPE, limits, inputTokens, outputTokens).result();
  }

  private Permit granted(Limits limits, long inputTokens, long outputTokens) {
    Admission admission = acquire(limits, inputTokens, outputTokens);
    assertThat(admission).isInstanceOf(Admission.Granted.class);
    return ((Admission.Granted) admission).permit();
  }

  private Admission.Denied denied(Limits limits, long inputTokens, long outputTokens) {
    Admission admission = acquire(limits, inputTokens, outputTokens);
    assertThat(admission).isInstanceOf(Admission.Denied.class);
    return (Admission.Denied) admission;
  }

  private long available(Dimension dimension) {
    return limiter.available(SCOPE, dimension).orElseThrow();
  }

  private void advanceMillis(long millis) {
    nanos.addAndGet(millis * 1_000_000);
  }

  @Test
  void requests_per_minute_admit_exactly_the_limit_then_ask_to_wait_for_one_refill() {
    Limits limits = new Limits(1_000, 0, 0);
    for (int i = 0; i < 1_000; i++) {
      granted(limits, 0, 0);
    }

    Admission.Denied denial = denied(limits, 0, 0);
    assertThat(denial.dimension()).isEqualTo(Dimension.REQUESTS);
    // one request refills in 60 000 ms / 1 000
    assertThat(denial.retryAfterMillis()).isCloseTo(60, within(1L));
  }

  @Test
  void buckets_refill_continuously_up_to_the_limit_and_no_further() {
    Limits limits = new Limits(1_000, 0, 0);
    for (int i = 0; i < 1_000; i++) {
      granted(limits, 0, 0);
    }

    advanceMillis(59);
    assertThat(denied(limits, 0, 0).retryAfterMillis()).isEqualTo(1);
    advanceMillis(1);
    granted(limits, 0, 0);
    denied(limits, 0, 0);

    advanceMillis(600);
    assertThat(available(Dimension.REQUESTS)).isEqualTo(10);

    advanceMillis(3_600_000);
    assertThat(available(Dimension.REQUESTS)).isEqualTo(1_000);
  }

  @Test
  void refill_keeps_fractions_across_many_small_steps() {
    Limits limits = new Limits(7, 0, 0);
    for (int i = 0; i < 7; i++) {
      granted(limits, 0, 0);
    }
    // one request takes 60 000 / 7 = 8 571.4 ms to refill; stepping 1 ms at a time must lose nothing
    for (int i = 0; i < 8_571; i++) {
      advanceMillis(1);
      denied(limits, 0, 0);
    }
    advanceMillis(1);
    granted(limits, 0, 0);
  }

  @Test
  void token_dimensions_move_by_tokens_not_by_requests() {
    Limits limits = new Limits(0, 1_000, 0);
    for (int i = 0; i < 6; i++) {
      granted(limits, 150, 10_000);
    }

    Admission.Denied denial = denied(limits, 150, 0);
    assertThat(denial.dimension()).isEqualTo(Dimension.INPUT_TOKENS);
    // 100 left, 50 more needed: 50 × 60 ms
    assertThat(denial.retryAfterMillis()).isCloseTo(3_000, within(1L));
    assertThat(limiter.available(SCOPE, Dimension.REQUESTS)).isEmpty();
    assertThat(limiter.available(SCOPE, Dimension.OUTPUT_TOKENS)).isEmpty();
  }

  @Test
  void a_denial_takes_nothing_from_any_dimension() {
    Limits limits = new Limits(10, 1_000, 100);
    granted(limits, 100, 60);

    Admission.Denied denial = denied(limits, 100, 60);
    assertThat(denial.dimension()).isEqualTo(Dimension.OUTPUT_TOKENS);
    assertThat(available(Dimension.REQUESTS)).isEqualTo(9);
    assertThat(available(Dimension.INPUT_TOKENS)).isEqualTo(900);
    assertThat(available(Dimension.OUTPUT_TOKENS)).isEqualTo(40);
  }

  @Test
  void a_denial_names_the_dimension_with_the_longest_wait() {
    Limits limits = new Limits(1, 1_000, 0);
    granted(limits, 900, 0);

    // the request refills in 60 s, the 100 missing input tokens in 6 s
    Admission.Denied denial = denied(limits, 200, 0);
    assertThat(denial.dimension()).isEqualTo(Dimension.REQUESTS);
    assertThat(denial.retryAfterMillis()).isEqualTo(60_000);
  }

  @Test
  void settling_gives_back_unused_output_tokens_so_another_call_fits() {
    Limits limits = new Limits(0, 0, 1_000);
    Permit first = granted(limits, 0, 600);
    denied(limits, 0, 600);

    first.settle(0, 100);

    assertThat(available(Dimension.OUTPUT_TOKENS)).isEqualTo(900);
    granted(limits, 0, 600);
  }

  @Test
  void settling_more_than_estimated_puts_the_scope_in_debt() {
    Limits limits = new Limits(0, 0, 1_000);
    granted(limits, 0, 100).settle(0, 1_500);

    assertThat(available(Dimension.OUTPUT_TOKENS)).isEqualTo(-500);
    Admission.Denied denial = denied(limits, 0, 1);
    assertThat(denial.dimension()).isEqualTo(Dimension.OUTPUT_TOKENS);
    // 501 tokens to refill at 60 ms each
    assertThat(denial.retryAfterMillis()).isCloseTo(30_060, within(1L));
    // even a call that expects no output waits until the debt is paid
    assertThat(denied(limits, 0, 0).retryAfterMillis()).isCloseTo(30_000, within(1L));
  }

  @Test
  void settling_or_refunding_twice_changes_nothing_the_second_time() {
    Limits limits = new Limits(10, 1_000, 1_000);
    Permit settled = granted(limits, 100, 100);
    settled.settle(50, 300);
    settled.settle(0, 0);
    settled.refund();
    assertThat(available(Dimension.REQUESTS)).isEqualTo(9);
    assertThat(available(Dimension.INPUT_TOKENS)).isEqualTo(950);
    assertThat(available(Dimension.OUTPUT_TOKENS)).isEqualTo(700);

    Permit refunded = granted(limits, 100, 100);
    refunded.refund();
    refunded.refund();
    refunded.settle(1_000, 1_000);
    assertThat(available(Dimension.REQUESTS)).isEqualTo(9);
    assertThat(available(Dimension.INPUT_TOKENS)).isEqualTo(950);
    assertThat(available(Dimension.OUTPUT_TOKENS)).isEqualTo(700);
  }

  @Test
  void refunding_gives_back_the_request_and_all_its_tokens_but_never_past_the_limit() {
    Limits limits = new Limits(10, 1_000, 1_000);
    Permit permit = granted(limits, 400, 300);
    advanceMillis(60_000);

    permit.refund();

    assertThat(available(Dimension.REQUESTS)).isEqualTo(10);
    assertThat(available(Dimension.INPUT_TOKENS)).isEqualTo(1_000);
    assertThat(available(Dimension.OUTPUT_TOKENS)).isEqualTo(1_000);
  }

  @Test
  void a_call_larger_than_the_limit_passes_only_when_the_bucket_is_full() {
    Limits limits = new Limits(0, 1_000, 0);
    granted(limits, 1_500, 0);
    assertThat(available(Dimension.INPUT_TOKENS)).isEqualTo(-500);

    // from -500 to full: 1 500 tokens at 60 ms each
    assertThat(denied(limits, 1_500, 0).retryAfterMillis()).isCloseTo(90_000, within(1L));
    advanceMillis(89_999);
    denied(limits, 1_500, 0);
    advanceMillis(1);
    granted(limits, 1_500, 0);
  }

  @Test
  void an_oversize_call_waits_for_a_full_bucket_even_when_partly_refilled() {
    Limits limits = new Limits(0, 1_000, 0);
    granted(limits, 500, 0);

    assertThat(denied(limits, 5_000, 0).retryAfterMillis()).isCloseTo(30_000, within(1L));
    granted(limits, 500, 0);
  }

  @Test
  void unlimited_scopes_are_granted_a_shared_permit_and_get_no_buckets() {
    Admission first = acquire(Limits.NONE, 1_000_000, 1_000_000);
    Admission second = acquire(Limits.NONE, 1, 1);

    assertThat(first).isEqualTo(new Admission.Granted(Permit.NONE));
    assertThat(((Admission.Granted) second).permit()).isSameAs(Permit.NONE);
    for (Dimension dimension : Dimension.values()) {
      assertThat(limiter.available(SCOPE, dimension)).isEmpty();
    }
  }

  @Test
  void scopes_are_independent() {
    Limits limits = new Limits(1, 0, 0);
    granted(limits, 0, 0);
    denied(limits, 0, 0);

    assertThat(limiter.acquire("key:openai:team-a", limits, 0, 0).result()).isInstanceOf(Admission.Granted.class);
  }

  @Test
  void a_reload_changes_capacity_and_refill_rate() {
    granted(new Limits(0, 1_000, 0), 0, 0);

    Limits lower = new Limits(0, 100, 0);
    granted(lower, 100, 0);
    assertThat(available(Dimension.INPUT_TOKENS)).isZero();
    // 100 tokens per minute: one token per 600 ms
    assertThat(denied(lower, 1, 0).retryAfterMillis()).isEqualTo(600);

    Limits higher = new Limits(0, 6_000, 0);
    assertThat(denied(higher, 60, 0).retryAfterMillis()).isEqualTo(600);
    advanceMillis(60_000);
    assertThat(available(Dimension.INPUT_TOKENS)).isEqualTo(6_000);
  }

  @Test
  void a_reload_adds_and_drops_dimensions() {
    granted(new Limits(1, 0, 0), 0, 0);

    Limits tokensOnly = new Limits(0, 100, 0);
    granted(tokensOnly, 100, 0);
    assertThat(limiter.available(SCOPE, Dimension.REQUESTS)).isEmpty();
    assertThat(denied(tokensOnly, 1, 0).dimension()).isEqualTo(Dimension.INPUT_TOKENS);
  }

  @Test
  void limits_and_estimates_are_checked() {
    assertThatThrownBy(() -> new Limits(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limits(0, Limits.MAX_PER_MINUTE + 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.acquire(SCOPE, Limits.NONE, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Admission.Denied(Dimension.REQUESTS, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void the_largest_limits_and_calls_neither_overflow_nor_lose_tokens() {
    Limits limits = new Limits(Limits.MAX_PER_MINUTE, Limits.MAX_PER_MINUTE, Limits.MAX_PER_MINUTE);
    granted(limits, Limits.MAX_PER_MINUTE, Long.MAX_VALUE).settle(Long.MAX_VALUE, 0);

    assertThat(available(Dimension.INPUT_TOKENS)).isEqualTo(-Limits.MAX_PER_MINUTE);
    assertThat(available(Dimension.OUTPUT_TOKENS)).isEqualTo(Limits.MAX_PER_MINUTE);
    advanceMillis(Long.MAX_VALUE / 2_000_000);
    assertThat(available(Dimension.INPUT_TOKENS)).isEqualTo(Limits.MAX_PER_MINUTE);
  }

  @Test
  void concurrent_callers_on_a_frozen_clock_are_admitted_exactly_the_limit() throws Exception {
    Limits limits = new Limits(1_000, 0, 0);
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> counts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<Integer> caller = () -> {
          start.await();
          int admitted = 0;
          for (int i = 0; i < 10_000; i++) {
            Admission admission = limiter.acquire(SCOPE, limits, 0, 0).result();
            if (admission instanceof Admission.Granted) {
              admitted++;
            }
          }
          return admitted;
        };
        counts.add(pool.submit(caller));
      }
      start.countDown();
      int admitted = 0;
      for (Future<Integer> count : counts) {
        admitted += count.get();
      }
      assertThat(admitted).isEqualTo(1_000);
      assertThat(available(Dimension.REQUESTS)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }
}
