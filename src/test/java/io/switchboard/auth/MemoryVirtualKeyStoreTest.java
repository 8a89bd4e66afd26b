package io.switchboard.auth;

class MemoryVirtualKeyStoreTest extends VirtualKeyStoreContract {

  private final MemoryVirtualKeyStore store = new MemoryVirtualKeyStore();

  @Override
  VirtualKeyStore store() {
    return store;
  }
}
