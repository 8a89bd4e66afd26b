package io.switchboard.ledger;

import io.switchboard.testkit.TempDirs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.switchboard.testkit.FakeProvider.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The ledger contract of the gateway on its embedded store: a SQLite file in a fresh directory. */
class SqliteLedgerGatewayTest extends LedgerGatewayContract {

  @Override
  protected void useStore(JsonObject config) {
    JsonObject analytics = config.getJsonObject("analytics", new JsonObject());
    config.put("analytics", analytics.put("ledger", "sqlite").put("data_dir", TempDirs.fresh("ledger").toString()));
  }

  @Override
  protected LedgerStore reopen(Vertx vertx, JsonObject config) {
    return await(SqliteLedgerStore.open(vertx, file(config)));
  }

  /** Besides the query, the bytes of the file and its write-ahead log hold no trace of the prompt. */
  @Override
  protected void assertNoPromptStored(String text) {
    super.assertNoPromptStored(text);
    Path dir = file(config).getParent();
    try (Stream<Path> files = Files.list(dir)) {
      byte[] needle = text.getBytes(StandardCharsets.UTF_8);
      for (Path file : files.toList()) {
        assertThat(indexOf(Files.readAllBytes(file), needle)).as(file.toString()).isEqualTo(-1);
      }
      assertThat(Files.list(dir).map(p -> p.getFileName().toString())).contains(Ledger.SQLITE_FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path file(JsonObject config) {
    return Path.of(config.getJsonObject("analytics").getString("data_dir")).resolve(Ledger.SQLITE_FILE);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
