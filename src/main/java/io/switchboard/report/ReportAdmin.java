package io.switchboard.report;

import io.switchboard.config.InsightsConfig;
import io.switchboard.ledger.Ledger;
import io.switchboard.ledger.LedgerStore;
import io.switchboard.ledger.Migrations;
import io.switchboard.openai.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.switchboard.report.ReportNumbers.savingsPct;
import static io.switchboard.report.ReportNumbers.usd;
import static io.switchboard.report.ReportNumbers.whole;

/**
 * The {@code /admin/reports/*} endpoints over the analytics ledger. Every report takes {@code period} or
 * {@code from}/{@code to} ({@link ReportPeriod}); a bad parameter is a 400 naming it. Without a ledger
 * ({@code analytics.ledger: none}) every one answers 404 {@code ledger_disabled}.
 */
public final class ReportAdmin {

  private static final ApiError DISABLED = new ApiError(404, ApiError.INVALID_REQUEST, "ledger_disabled", null,
    "Reports need the analytics ledger, which is off (analytics.ledger: none): set it to sqlite or postgres", 0);

  private final Optional<LedgerStore> store;
  private final InsightsConfig insights;
  private final Clock clock;
  private final Instant started;

  /** @param ledger absent when {@code analytics.ledger} is {@code none} */
  public ReportAdmin(Optional<Ledger> ledger, InsightsConfig insights, Clock clock) {
    this.store = ledger.map(Ledger::store);
    this.insights = insights;
    this.clock = clock;
    this.started = clock.instant();
  }

  public void mount(Router router) {
    router.get("/admin/reports/status").handler(ledger(this::status));
    router.get("/admin/reports/stats").handler(ledger((ctx, s) ->
      new StatsReport(s).report(period(ctx), ctx.request().getParam("by"))));
    router.get("/admin/reports/cost").handler(ledger((ctx, s) -> new CostReport(s).report(period(ctx), today())));
    router.get("/admin/reports/fallbacks").handler(ledger((ctx, s) -> new FallbackReport(s).report(period(ctx))));
    router.get("/admin/reports/rate-limits").handler(ledger((ctx, s) -> new RateLimitReport(s).report(period(ctx))));
    router.get("/admin/reports/insights").handler(ledger((ctx, s) ->
      new InsightsReport(s, new StatsReport(s), insights).report(period(ctx), today())));
    router.get("/admin/reports/timeseries").handler(ledger((ctx, s) ->
      new TimeseriesReport(s).report(period(ctx), ctx.request().getParam("bucket"), clock.instant())));
    router.get("/admin/reports/export").handler(this::export);
    router.post("/admin/reports/reset").handler(ledger((ctx, s) -> {
      if (!"yes".equals(ctx.request().getParam("confirm"))) {
        throw ApiError.invalid("confirmation_required", "confirm",
          "Resetting deletes every row of the ledger: repeat with confirm=yes").exception();
      }
      return new LedgerTables(s).reset();
    }));
  }

  /** A report that needs the ledger, answered as JSON. */
  private Handler<RoutingContext> ledger(Report report) {
    return ctx -> {
      LedgerStore s = store.orElseThrow(DISABLED::exception);
      report.answer(ctx, s)
        .onSuccess(json -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json.toBuffer()))
        .onFailure(ctx::fail);
    };
  }

  @FunctionalInterface
  private interface Report {
    Future<JsonObject> answer(RoutingContext ctx, LedgerStore store);
  }

  private void export(RoutingContext ctx) {
    LedgerStore s = store.orElseThrow(DISABLED::exception);
    new LedgerTables(s).export(period(ctx), ctx.request().getParam("table"), ctx.request().getParam("format"))
      .onSuccess(file -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, file.contentType())
        .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file.fileName() + "\"")
        .end(file.content()))
      .onFailure(ctx::fail);
  }

  private Future<JsonObject> status(RoutingContext ctx, LedgerStore s) {
    List<Future<List<JsonObject>>> counts = new ArrayList<>();
    for (String table : Migrations.TABLES) {
      counts.add(s.query("SELECT COUNT(*) AS n FROM " + table, List.of()));
    }
    LocalDate today = today();
    Future<Figures> day = new StatsReport(s).figures(new ReportPeriod("day", today, today), null)
      .map(all -> all.getOrDefault("", Figures.of(new JsonObject(), new long[0])));
    List<Future<?>> all = new ArrayList<>(counts);
    all.add(day);
    return Future.all(all).map(done -> {
      JsonObject rows = new JsonObject();
      for (int i = 0; i < counts.size(); i++) {
        rows.put(Migrations.TABLES.get(i), whole(counts.get(i).result().get(0), "n"));
      }
      Figures f = day.result();
      String version = ReportAdmin.class.getPackage().getImplementationVersion();
      return new JsonObject()
        .put("status", "ok")
        .put("ledger", s.backend())
        .put("uptime_s", clock.instant().getEpochSecond() - started.getEpochSecond())
        .put("version", version == null ? "development build" : version)
        .put("rows", rows)
        .put("today", new JsonObject()
          .put("requests", f.requests())
          .put("cost_usd", usd(f.costMicros()))
          .put("baseline_cost_usd", usd(f.baselineMicros()))
          .put("savings_usd", usd(f.baselineMicros() - f.costMicros()))
          .put("savings_pct", savingsPct(f.costMicros(), f.baselineMicros())));
    });
  }

  private ReportPeriod period(RoutingContext ctx) {
    return ReportPeriod.parse(ctx.request().getParam("period"), ctx.request().getParam("from"),
      ctx.request().getParam("to"), today());
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
