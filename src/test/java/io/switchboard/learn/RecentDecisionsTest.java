package io.switchboard.learn;

import io.switchboard.classify.TaskType;
import io.switchboard.cost.Outcome;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Random;

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
  void a_decision_keeps_what_was_written_to_it_until_its_slot_is_reused() {
    DecisionIndex index = new DecisionIndex(2, 1_000);
    Decision first = index.getOrCreate("first", 0);
    first.started("tenant-a", "exp", "arm-b");
    first.markRouted();
    first.finished("gpt-4.1-mini", TaskType.DEBUGGING, Outcome.OK, 42, 7);
    first.feedback(0.25, 5, 0.5, 1.5);
    first.broke("gpt-4.1");

    Decision again = index.get("first", 10);
    assertThat(again.tenant()).isEqualTo("tenant-a");
    assertThat(again.arm()).isEqualTo("arm-b");
    assertThat(again.routed()).isTrue();
    assertThat(again.model()).isEqualTo("gpt-4.1-mini");
    assertThat(again.task()).isEqualTo(TaskType.DEBUGGING);
    assertThat(again.costMicros()).isEqualTo(42);
    assertThat(again.feedbackScore()).isEqualTo(0.25);
    assertThat(again.succeeded()).as("scored below one half").isFalse();
    assertThat(again.takeBroken()).containsExactly("gpt-4.1");
    assertThat(again.takeBroken()).isEmpty();

    index.getOrCreate("second", 20);
    Decision third = index.getOrCreate("third", 30);
    assertThat(index.get("first", 30)).as("evicted").isNull();
    assertThat(third.finished()).as("a reused slot starts empty").isFalse();
    assertThat(Double.isNaN(third.feedbackScore())).isTrue();
    assertThat(third.routed()).isFalse();
    assertThat(index.get(DecisionIndex.digest("second"), 30)).isNotNull();
  }

  @Test
  void an_expired_id_seen_again_starts_a_new_decision_and_the_old_slot_does_not_take_its_key_when_evicted() {
    DecisionIndex index = new DecisionIndex(3, 100);
    index.getOrCreate("a", 0).markRouted();
    Decision renewed = index.getOrCreate("a", 500);
    assertThat(renewed.routed()).isFalse();
    index.getOrCreate("b", 510);
    index.getOrCreate("c", 520);   // full: the first "a" slot goes, the renewed one stays
    assertThat(index.get("a", 530)).isNotNull();
    assertThat(index.size()).isEqualTo(3);
  }

  @Test
  void many_decisions_through_a_small_index_are_found_exactly_while_they_are_among_the_newest() {
    int capacity = 5_000;
    DecisionIndex index = new DecisionIndex(capacity, Long.MAX_VALUE / 2);
    Random random = new Random(7);
    for (int i = 0; i < 60_000; i++) {
      index.getOrCreate("req_" + Long.toHexString(random.nextLong()) + i, i).finished("m" + (i % 5),
        TaskType.FACTUAL, Outcome.OK, i, 0);
    }
    random = new Random(7);
    int found = 0;
    for (int i = 0; i < 60_000; i++) {
      Decision decision = index.get("req_" + Long.toHexString(random.nextLong()) + i, 60_000);
      if (decision != null) {
        assertThat(decision.costMicros()).isEqualTo(i);
        assertThat(i).isGreaterThanOrEqualTo(60_000 - capacity);
        found++;
      }
    }
    assertThat(found).isEqualTo(capacity);
  }

  @Test
  void a_digest_seen_again_within_the_window_names_the_decision_it_repeats() {
    RetryWatch watch = new RetryWatch(10, 1_000);

    assertThat(watch.seen(42, 1, 0)).isEmpty();
    assertThat(watch.seen(42, 2, 500)).hasValue(1);
    assertThat(watch.seen(42, 3, 1_600)).as("past the window of the second").isEmpty();
    assertThat(watch.seen(7, 4, 1_700)).isEmpty();
  }

  @Test
  void the_watch_stays_bounded_and_remembers_recent_prompts_when_far_more_are_seen_than_it_holds() {
    RetryWatch watch = new RetryWatch(1_000, 1_000_000);
    Random random = new Random(11);
    long[] prompts = new long[50_000];
    for (int i = 0; i < prompts.length; i++) {
      prompts[i] = random.nextLong();
      watch.seen(prompts[i], i + 1, i);
    }
    int recentFound = 0;
    for (int i = prompts.length - 100; i < prompts.length; i++) {
      if (watch.seen(prompts[i], -1, prompts.length).isPresent()) {
        recentFound++;
      }
    }
    // 100 prompts among 4,096 places: a handful may have been displaced by a later one landing on the same place
    assertThat(recentFound).isGreaterThan(90);
    assertThat(watch.seen(prompts[0], -1, prompts.length)).as("long displaced").isEmpty();
  }
}
