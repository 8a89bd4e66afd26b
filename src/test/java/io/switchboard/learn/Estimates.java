package io.switchboard.learn;

import io.switchboard.testkit.TestClient;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the gateway's success estimates from {@code GET /admin/learning}. */
final class Estimates {

  private Estimates() {
  }

  static Optional<JsonObject> of(TestClient admin, String model, String task) {
    TestClient.Result result = admin.get("/admin/learning");
    assertThat(result.status()).isEqualTo(200);
    return result.json().getJsonArray("estimates").stream().map(JsonObject.class::cast)
      .filter(e -> e.getString("model").equals(model) && e.getString("task_type").equals(task))
      .findFirst();
  }

  /** The estimate's evidence, or zeros when it has none. */
  static double successes(TestClient admin, String model, String task) {
    return of(admin, model, task).map(e -> e.getDouble("successes")).orElse(0.0);
  }

  static double failures(TestClient admin, String model, String task) {
    return of(admin, model, task).map(e -> e.getDouble("failures")).orElse(0.0);
  }

  static double success(TestClient admin, String model, String task) {
    return of(admin, model, task).map(e -> e.getDouble("success")).orElse(0.5);
  }
}
