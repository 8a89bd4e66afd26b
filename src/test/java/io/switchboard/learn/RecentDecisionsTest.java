package io.switchboard.learn;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The learner's memory of recent decisions and prompts is bounded in size and in time. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecentDecisionsTest {

  @Test
  void the_index_forgets_the_oldest_decision_when_full_and_any_decision_past_its_ttl() {
    DecisionIndex index = new DecisionIndex(3, 1_000);
    for (int i = 0; i < 4; i++) {
      index.getOrCreate("d" + i, 100 + i);
    }
    assertThat(index.size()).isEqualTo(3);
    assertThat(index.get("d0", 200)).isNull();
    assertThat(index.get("d3", 200)).isNotNull();

    assertThat(index.get("d3", 103 + 1_001)).as("past its TTL").isNull();
    index.sweep(2_000);
    assertThat(index.size()).isZero();
  }

  @Test
  void a_digest_seen_again_within_the_window_names_the_decision_it_repeats() {
    RetryWatch watch = new RetryWatch(10, 1_000);

    assertThat(watch.seen(42, "first", 0)).isEmpty();
    assertThat(watch.seen(42, "second", 500)).contains("first");
    assertThat(watch.seen(42, "third", 1_600)).as("past the window of the second").isEmpty();
    assertThat(watch.seen(7, "other", 1_700)).isEmpty();
  }

  @Test
  void the_watch_forgets_the_least_recently_seen_digest_when_full() {
    RetryWatch watch = new RetryWatch(2, 1_000);
    watch.seen(1, "a", 0);
    watch.seen(2, "b", 0);
    watch.seen(3, "c", 0);

    assertThat(watch.seen(1, "a2", 10)).isEmpty();
    assertThat(watch.seen(3, "c2", 10)).contains("c");
  }
}
