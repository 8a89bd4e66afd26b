package io.switchboard.auth;

import io.switchboard.limit.Limits;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link VirtualKeyStore} does, whichever the place it keeps keys in. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class VirtualKeyStoreContract {

  private static final Instant EPOCH = Instant.parse("2026-11-22T10:00:00Z");

  abstract VirtualKeyStore store();

  static VirtualKey key(String id, int secondsAfterEpoch) {
    return new VirtualKey(id, "key " + id, "alice", "search", List.of("fake-cheap", "auto"), 5_000_000, 0,
      new Limits(60, 10_000, 0), EPOCH.plusSeconds(secondsAfterEpoch), false);
  }

  @Test
  void a_created_key_is_found_by_the_digest_of_its_secret_with_all_its_metadata() {
    VirtualKey key = key(KeySecrets.newId(), 0);
    String digest = KeySecrets.hash(KeySecrets.newSecret());

    store().create(key, digest).await();

    assertThat(store().findByHash(digest).await()).contains(key);
    assertThat(store().findByHash(KeySecrets.hash("sk-sb-other")).await()).isEmpty();
  }

  @Test
  void a_key_is_found_by_its_id() {
    VirtualKey key = key(KeySecrets.newId(), 0);
    store().create(key, KeySecrets.hash(KeySecrets.newSecret())).await();

    assertThat(store().findById(key.id()).await()).contains(key);
    assertThat(store().findById("vk_missing").await()).isEmpty();
  }

  @Test
  void the_list_holds_every_key_oldest_first() {
    VirtualKey newer = key(KeySecrets.newId(), 2);
    VirtualKey older = key(KeySecrets.newId(), 1);
    store().create(newer, KeySecrets.hash(KeySecrets.newSecret())).await();
    store().create(older, KeySecrets.hash(KeySecrets.newSecret())).await();

    assertThat(store().list().await()).containsExactly(older, newer);
  }

  @Test
  void a_revoked_key_is_still_found_but_flagged_and_no_longer_counted_as_active() {
    VirtualKey kept = key(KeySecrets.newId(), 0);
    VirtualKey revoked = key(KeySecrets.newId(), 1);
    String digest = KeySecrets.hash(KeySecrets.newSecret());
    store().create(kept, KeySecrets.hash(KeySecrets.newSecret())).await();
    store().create(revoked, digest).await();
    assertThat(store().activeCount().await()).isEqualTo(2);

    assertThat(store().revoke(revoked.id()).await()).contains(revoked.asRevoked());

    assertThat(store().findByHash(digest).await()).contains(revoked.asRevoked());
    assertThat(store().findById(revoked.id()).await().map(VirtualKey::revoked)).contains(true);
    assertThat(store().list().await()).containsExactly(kept, revoked.asRevoked());
    assertThat(store().activeCount().await()).isEqualTo(1);
  }

  @Test
  void revoking_twice_keeps_the_key_revoked_and_the_count_right() {
    VirtualKey key = key(KeySecrets.newId(), 0);
    store().create(key, KeySecrets.hash(KeySecrets.newSecret())).await();

    store().revoke(key.id()).await();
    assertThat(store().revoke(key.id()).await()).contains(key.asRevoked());
    assertThat(store().activeCount().await()).isZero();
  }

  @Test
  void revoking_an_unknown_id_changes_nothing() {
    assertThat(store().revoke("vk_missing").await()).isEqualTo(Optional.empty());
    assertThat(store().activeCount().await()).isZero();
  }

  @Test
  void a_second_key_under_the_same_digest_is_refused() {
    String digest = KeySecrets.hash(KeySecrets.newSecret());
    VirtualKey first = key(KeySecrets.newId(), 0);
    store().create(first, digest).await();

    assertThatThrownBy(() -> store().create(key(KeySecrets.newId(), 1), digest).await()).isNotNull();
    assertThat(store().findByHash(digest).await()).contains(first);
    assertThat(store().list().await()).containsExactly(first);
  }
}
