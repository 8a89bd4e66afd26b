package io.switchboard.budget;

import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.atomic.AtomicLong;

class MemoryBudgetStoreTest extends BudgetStoreContract {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private MemoryBudgetStore store;

  @BeforeEach
  void create() {
    store = new MemoryBudgetStore(clock::get);
  }

  @Override
  BudgetStore store() {
    return store;
  }

  @Override
  void passTime(long millis) {
    clock.addAndGet(millis);
  }
}
