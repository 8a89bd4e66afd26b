package io.switchboard.limit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.config.RedisConfig;
import io.switchboard.store.RedisStore;
import io.switchboard.testkit.RedisServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared limiter against a real redis-server. Redis's clock runs while a test does, so refill between two
 * steps is kept well under one unit by slow limits (a unit per 100 ms or slower) and waits are checked as ranges.
 */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisRateLimiterTest {

  private static final String SCOPE = "model:gpt-4.1";
  private static final long TIMEOUT_MS = 300;
  private static RedisServer redis;

  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<RedisStore> stores = new ArrayList<>();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private RedisStore store;
  private RedisRateLimiter limiter;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void connect() {
    redis.command("FLUSHALL");
    // generous: a cold client's first call (connect, load the script) must not turn into a local decision
    store = store(5_000, 1);
    limiter = new RedisRateLimiter(store, registry);
  }

  @AfterEach
  void disconnect() {
    stores.forEach(s -> s.close().await());
    vertxes.forEach(v -> v.close().await());
  }

  /** A gateway's client of the shared Redis: its own Vert.x and pool, as a separate process would have. */
  private RedisStore store(long timeoutMillis, int instances) {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    RedisStore created = RedisStore.create(vertx, new RedisConfig(redis.url(), "t:", timeoutMillis, 4, instances));
    stores.add(created);
    return created;
  }

  private Admission acquire(Limits limits, long inputTokens, long outputTokens) {
    return limiter.acquire(SCOPE, limits, inputTokens, outputTokens).await();
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

  private String key(String scope, Dimension dimension) {
    return ScopeKeys.of(store, scope).get(dimension.ordinal());
  }

  /** Whole units in the bucket as last written, read behind the limiter's back. */
  private long stored(Dimension dimension) {
    String level = redis.command("HGET", key(SCOPE, dimension), "level");
    assertThat(level).as("bucket of %s", dimension).isNotEmpty();
    return Math.floorDiv(Long.parseLong(level), 60_000L);
  }

  private boolean exists(String key) {
    return redis.command("EXISTS", key).equals("1");
  }

  private double fallbacks() {
    return registry.get("switchboard.ratelimit.fallbacks").counter().count();
  }

  /** For writes the limiter does not wait for (a permit's correction): retries the check for a while. */
  private static void eventually(Runnable check) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Test
  void requests_per_minute_admit_exactly_the_limit_then_ask_to_wait_for_one_refill() {
    Limits limits = new Limits(10, 0, 0);
    for (int i = 0; i < 10; i++) {
      granted(limits, 0, 0);
    }

    Admission.Denied denial = denied(limits, 0, 0);
    assertThat(denial.dimension()).isEqualTo(Dimension.REQUESTS);
    // one request refills in 60 000 ms / 10, less the time the test has run
    assertThat(denial.retryAfterMillis()).isBetween(5_000L, 6_000L);
    assertThat(fallbacks()).isZero();
  }

  @Test
  void token_dimensions_move_by_tokens_not_by_requests() {
    Limits limits = new Limits(0, 600, 0);
    for (int i = 0; i < 4; i++) {
      granted(limits, 150, 10_000);
    }

    Admission.Denied denial = denied(limits, 150, 0);
    assertThat(denial.dimension()).isEqualTo(Dimension.INPUT_TOKENS);
    // 150 tokens at 100 ms each
    assertThat(denial.retryAfterMillis()).isBetween(14_000L, 15_000L);
    assertThat(exists(key(SCOPE, Dimension.REQUESTS))).isFalse();
    assertThat(exists(key(SCOPE, Dimension.OUTPUT_TOKENS))).isFalse();
  }

  @Test
  void a_denial_takes_nothing_from_any_dimension() {
    Limits limits = new Limits(10, 600, 100);
    granted(limits, 100, 60);

    Admission.Denied denial = denied(limits, 100, 60);
    assertThat(denial.dimension()).isEqualTo(Dimension.OUTPUT_TOKENS);
    assertThat(stored(Dimension.REQUESTS)).isEqualTo(9);
    assertThat(stored(Dimension.INPUT_TOKENS)).isEqualTo(500);
    assertThat(stored(Dimension.OUTPUT_TOKENS)).isEqualTo(40);
  }

  @Test
  void a_denial_names_the_dimension_with_the_longest_wait() {
    Limits limits = new Limits(1, 600, 0);
    granted(limits, 500, 0);

    // the request refills in 60 s, the 100 missing input tokens in 10 s
    Admission.Denied denial = denied(limits, 200, 0);
    assertThat(denial.dimension()).isEqualTo(Dimension.REQUESTS);
    assertThat(denial.retryAfterMillis()).isBetween(59_000L, 60_000L);
  }

  @Test
  void settling_gives_back_unused_output_tokens_so_another_call_fits() {
    Limits limits = new Limits(0, 0, 600);
    Permit first = granted(limits, 0, 400);
    denied(limits, 0, 400);

    first.settle(0, 100);

    eventually(() -> assertThat(stored(Dimension.OUTPUT_TOKENS)).isBetween(500L, 505L));
    granted(limits, 0, 400);
  }

  @Test
  void settling_more_than_estimated_puts_the_scope_in_debt() {
    Limits limits = new Limits(0, 0, 600);
    granted(limits, 0, 100).settle(0, 1_500);

    eventually(() -> assertThat(stored(Dimension.OUTPUT_TOKENS)).isBetween(-900L, -895L));
    Admission.Denied denial = denied(limits, 0, 1);
    assertThat(denial.dimension()).isEqualTo(Dimension.OUTPUT_TOKENS);
    // 901 tokens to refill at 100 ms each; even a call that expects no output waits for the debt
    assertThat(denial.retryAfterMillis()).isBetween(89_000L, 90_100L);
    assertThat(denied(limits, 0, 0).retryAfterMillis()).isBetween(89_000L, 90_000L);
  }

  @Test
  void settling_or_refunding_twice_changes_nothing_the_second_time() {
    Limits limits = new Limits(10, 600, 600);
    Permit settled = granted(limits, 100, 100);
    settled.settle(50, 300);
    settled.settle(0, 0);
    settled.refund();
    eventually(() -> {
      assertThat(stored(Dimension.INPUT_TOKENS)).isBetween(550L, 555L);
      assertThat(stored(Dimension.OUTPUT_TOKENS)).isBetween(300L, 305L);
    });

    Permit refunded = granted(limits, 100, 100);
    refunded.refund();
    refunded.refund();
    refunded.settle(1_000, 1_000);
    eventually(() -> assertThat(stored(Dimension.REQUESTS)).isEqualTo(9));
    assertThat(stored(Dimension.INPUT_TOKENS)).isBetween(550L, 560L);
    assertThat(stored(Dimension.OUTPUT_TOKENS)).isBetween(300L, 310L);
  }

  @Test
  void refunding_gives_back_the_request_and_all_its_tokens_but_never_past_the_limit() {
    Limits limits = new Limits(10, 600, 600);
    Permit permit = granted(limits, 400, 300);

    permit.refund();

    eventually(() -> {
      assertThat(stored(Dimension.REQUESTS)).isEqualTo(10);
      assertThat(stored(Dimension.INPUT_TOKENS)).isEqualTo(600);
      assertThat(stored(Dimension.OUTPUT_TOKENS)).isEqualTo(600);
    });
  }

  @Test
  void a_call_larger_than_the_limit_passes_only_when_the_bucket_is_full() {
    Limits limits = new Limits(0, 600, 0);
    granted(limits, 900, 0);
    assertThat(stored(Dimension.INPUT_TOKENS)).isBetween(-300L, -298L);

    // from -300 to full: 900 tokens at 100 ms each
    assertThat(denied(limits, 900, 0).retryAfterMillis()).isBetween(89_000L, 90_000L);
    // even after some refill, an oversize call waits for a full bucket
    assertThat(denied(limits, 6_000, 0).retryAfterMillis()).isBetween(89_000L, 90_000L);
  }

  @Test
  void a_reload_changes_capacity_and_refill_rate() {
    granted(new Limits(0, 600, 0), 0, 0);

    Limits lower = new Limits(0, 60, 0);
    granted(lower, 60, 0);
    // 60 tokens per minute: one token per second
    assertThat(denied(lower, 1, 0).retryAfterMillis()).isBetween(900L, 1_000L);

    // 6 000 tokens per minute: 60 tokens in 600 ms
    Limits higher = new Limits(0, 6_000, 0);
    assertThat(denied(higher, 60, 0).retryAfterMillis()).isBetween(400L, 600L);
  }

  @Test
  void a_reload_adds_and_drops_dimensions() {
    granted(new Limits(1, 0, 0), 0, 0);
    assertThat(exists(key(SCOPE, Dimension.REQUESTS))).isTrue();

    Limits tokensOnly = new Limits(0, 100, 0);
    granted(tokensOnly, 100, 0);
    assertThat(exists(key(SCOPE, Dimension.REQUESTS))).isFalse();
    assertThat(denied(tokensOnly, 1, 0).dimension()).isEqualTo(Dimension.INPUT_TOKENS);
  }

  @Test
  void buckets_expire_a_minute_after_they_would_be_full_again() {
    granted(new Limits(10, 600, 0), 0, 0);

    // one request refills in 6 s; the input bucket, untouched, is full already
    assertThat(Long.parseLong(redis.command("PTTL", key(SCOPE, Dimension.REQUESTS)))).isBetween(65_000L, 66_000L);
    assertThat(Long.parseLong(redis.command("PTTL", key(SCOPE, Dimension.INPUT_TOKENS)))).isBetween(59_000L, 60_000L);
    assertThat(redis.command("PTTL", key(SCOPE, Dimension.OUTPUT_TOKENS))).isEqualTo("-2");
  }

  @Test
  void unlimited_scopes_are_granted_a_shared_permit_without_asking_redis() {
    Admission admission = acquire(Limits.NONE, 1_000_000, 1_000_000);

    assertThat(((Admission.Granted) admission).permit()).isSameAs(Permit.NONE);
    assertThat(redis.command("DBSIZE")).isEqualTo("0");
  }

  @Test
  void any_scope_string_is_its_own_set_of_keys() {
    Limits limits = new Limits(1, 0, 0);
    List<String> scopes = List.of("vkey:a%41", "vkey:aA", "vkey:{x}\n ä", "vkey:}{", "vkey:a}:requests");
    for (String scope : scopes) {
      assertThat(limiter.acquire(scope, limits, 0, 0).await()).as(scope).isInstanceOf(Admission.Granted.class);
      assertThat(exists(key(scope, Dimension.REQUESTS))).as(scope).isTrue();
    }
    for (String scope : scopes) {
      assertThat(limiter.acquire(scope, limits, 0, 0).await()).as(scope).isInstanceOf(Admission.Denied.class);
      // the braces of the key are the only ones: its hash tag is the whole scope
      assertThat(key(scope, Dimension.REQUESTS)).matches("t:ratelimit:\\{[^{}]+}:requests");
    }
    assertThat(redis.command("DBSIZE")).isEqualTo(Integer.toString(scopes.size()));
  }

  @Test
  void the_largest_limits_and_calls_are_admitted() {
    Limits limits = new Limits(Limits.MAX_PER_MINUTE, Limits.MAX_PER_MINUTE, Limits.MAX_PER_MINUTE);
    granted(limits, Limits.MAX_PER_MINUTE, Long.MAX_VALUE).settle(Long.MAX_VALUE, 0);

    eventually(() -> assertThat(stored(Dimension.INPUT_TOKENS)).isNegative());
    assertThat(acquire(limits, 1, 1)).isInstanceOf(Admission.Denied.class);
  }

  @Test
  void estimates_are_checked() {
    assertThatThrownBy(() -> limiter.acquire(SCOPE, new Limits(1, 0, 0), 0, -1))
      .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void answers_arrive_on_the_callers_event_loop_from_redis_and_from_the_fallback() throws Exception {
    Vertx vertx = vertxes.get(0);
    Context caller = vertx.getOrCreateContext();
    Limits limits = new Limits(10, 0, 0);
    CompletableFuture<Boolean> fromRedis = new CompletableFuture<>();
    caller.runOnContext(v -> limiter.acquire(SCOPE, limits, 0, 0)
      .onComplete(answer -> fromRedis.complete(Vertx.currentContext() == caller)));
    assertThat(fromRedis.get(10, TimeUnit.SECONDS)).isTrue();

    redis.kill();
    try {
      CompletableFuture<Boolean> fromFallback = new CompletableFuture<>();
      caller.runOnContext(v -> limiter.acquire(SCOPE, limits, 0, 0)
        .onComplete(answer -> fromFallback.complete(Vertx.currentContext() == caller && fallbacks() == 1)));
      assertThat(fromFallback.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      redis.restart();
    }
  }

  @Test
  void two_gateways_sharing_one_redis_admit_exactly_the_limit_between_them() {
    RedisRateLimiter first = new RedisRateLimiter(store(5_000, 2), registry);
    RedisRateLimiter second = new RedisRateLimiter(store(5_000, 2), registry);
    Limits limits = new Limits(50, 0, 0);

    List<Future<Admission>> answers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      answers.add(first.acquire(SCOPE, limits, 0, 0));
      answers.add(second.acquire(SCOPE, limits, 0, 0));
    }
    Future.all(answers).await();

    assertThat(answers.stream().filter(answer -> answer.result() instanceof Admission.Granted)).hasSize(50);
    assertThat(fallbacks()).isZero();
  }

  @Test
  void a_frozen_redis_is_answered_for_within_its_timeout_by_this_instance_s_share() {
    RedisStore quick = store(TIMEOUT_MS, 2);
    // connected before the test starts, so that only the freeze can make it miss its timeout
    eventually(() -> assertThat(quick.send(Request.cmd(Command.PING)).otherwiseEmpty().await()).isNotNull());
    RedisRateLimiter shared = new RedisRateLimiter(quick, registry);
    Limits limits = new Limits(10, 0, 0);
    assertThat(shared.acquire(SCOPE, limits, 0, 0).await()).isInstanceOf(Admission.Granted.class);
    assertThat(fallbacks()).isZero();

    redis.freeze();
    try {
      // this instance's share: 10 / 2 instances
      for (int i = 0; i < 6; i++) {
        long start = System.nanoTime();
        Admission admission = shared.acquire(SCOPE, limits, 0, 0).await();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(TIMEOUT_MS + 1_000);
        assertThat(admission).isInstanceOf(i < 5 ? Admission.Granted.class : Admission.Denied.class);
      }
      assertThat(fallbacks()).isEqualTo(6);
    } finally {
      redis.thaw();
    }
  }

  @Test
  void a_restarted_redis_is_used_again_without_a_new_limiter() {
    Limits limits = new Limits(2, 0, 0);
    granted(limits, 0, 0);

    redis.kill();
    try {
      // one instance of one: the whole limit, counted here from zero
      Permit local = granted(limits, 0, 0);
      granted(limits, 0, 0);
      denied(limits, 0, 0);
      // a call admitted locally settles locally
      local.refund();
      granted(limits, 0, 0);
      assertThat(fallbacks()).isEqualTo(4);
    } finally {
      redis.restart();
    }
    eventually(() -> {
      double before = fallbacks();
      acquire(limits, 0, 0);
      assertThat(fallbacks()).isEqualTo(before);
    });
    assertThat(stored(Dimension.REQUESTS)).isEqualTo(1);
  }
}
