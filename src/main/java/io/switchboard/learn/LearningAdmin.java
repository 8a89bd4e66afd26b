package io.switchboard.learn;

import io.switchboard.config.LearningConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/**
 * {@code GET /admin/learning}: the success estimate of every (model, task type) that has evidence, with the
 * evidence behind it, decayed to now; pairs without any stand at the prior.
 */
public final class LearningAdmin {

  private final SuccessBook book;
  private final LearningConfig config;

  public LearningAdmin(SuccessBook book, LearningConfig config) {
    this.book = book;
    this.config = config;
  }

  public void mount(Router router) {
    router.get("/admin/learning").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    JsonArray estimates = new JsonArray();
    Map<Cell, Posterior> cells = book.cells();
    cells.keySet().stream()
      .sorted(Comparator.comparing(Cell::model).thenComparing(cell -> cell.task().wireName()))
      .forEach(cell -> {
        Posterior now = book.posterior(cell.model(), cell.task());
        estimates.add(new JsonObject()
          .put("model", cell.model())
          .put("task_type", cell.task().wireName())
          .put("success", book.success(cell.model(), cell.task()))
          .put("successes", now.successes())
          .put("failures", now.failures())
          .put("updated_at", Instant.ofEpochMilli(cells.get(cell).updatedMillis()).toString()));
      });
    JsonObject body = new JsonObject()
      .put("enabled", config.enabled())
      .put("half_life_hours", config.halfLife().toMinutes() / 60.0)
      .put("prior", new JsonObject().put("mean", book.priorMean()).put("weight", book.priorWeight()))
      .put("estimates", estimates);
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
