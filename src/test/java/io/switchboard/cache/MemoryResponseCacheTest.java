package io.switchboard.cache;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MemoryResponseCacheTest extends ResponseCacheContract {

  private final AtomicLong now = new AtomicLong();
  private MemoryResponseCache cache;

  @BeforeEach
  void create() {
    cache = new MemoryResponseCache(100, 1024 * 1024, now::get);
  }

  @Override
  ResponseCache cache() {
    return cache;
  }

  @Test
  void an_entry_is_not_served_past_its_ttl() {
    CacheKey key = CacheKey.of("anonymous", request("hello"));
    cache.put(key, answer("Hello!"), Duration.ofSeconds(10)).await();

    now.addAndGet(TimeUnit.SECONDS.toNanos(10) - 1);
    assertThat(cache.get(key).await()).isPresent();
    now.addAndGet(1);
    assertThat(cache.get(key).await()).isEmpty();
    assertThat(cache.size()).isZero();
  }

  @Test
  void past_max_entries_the_least_recently_used_goes_first() {
    MemoryResponseCache small = new MemoryResponseCache(2, 1024 * 1024, now::get);
    CacheKey a = CacheKey.of("anonymous", request("a"));
    CacheKey b = CacheKey.of("anonymous", request("b"));
    CacheKey c = CacheKey.of("anonymous", request("c"));
    small.put(a, answer("a"), HOUR).await();
    small.put(b, answer("b"), HOUR).await();
    small.get(a).await();
    small.put(c, answer("c"), HOUR).await();

    assertThat(small.get(a).await()).isPresent();
    assertThat(small.get(b).await()).isEmpty();
    assertThat(small.get(c).await()).isPresent();
  }

  @Test
  void past_max_bytes_old_entries_go_and_an_answer_larger_than_the_whole_cache_is_not_kept() {
    int size = answer("x".repeat(100)).completion().length();
    MemoryResponseCache small = new MemoryResponseCache(100, 2L * size, now::get);
    CacheKey a = CacheKey.of("anonymous", request("a"));
    CacheKey b = CacheKey.of("anonymous", request("b"));
    CacheKey c = CacheKey.of("anonymous", request("c"));
    small.put(a, answer("x".repeat(100)), HOUR).await();
    small.put(b, answer("y".repeat(100)), HOUR).await();
    small.put(c, answer("z".repeat(100)), HOUR).await();

    assertThat(small.get(a).await()).isEmpty();
    assertThat(small.size()).isEqualTo(2);

    small.put(a, answer("w".repeat(400)), HOUR).await();
    assertThat(small.get(a).await()).isEmpty();
    assertThat(small.size()).isEqualTo(2);
  }

  @Test
  void many_threads_share_one_cache() throws InterruptedException {
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 2_000; i++) {
          CacheKey key = CacheKey.of("anonymous", request(id + ":" + (i % 150)));
          cache.put(key, answer(Integer.toString(i)), HOUR);
          cache.get(key);
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(cache.size()).isEqualTo(100);
  }
}
