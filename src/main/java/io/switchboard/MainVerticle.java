package io.switchboard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.analytics.AnalyticsVerticle;
import io.switchboard.analytics.GatewayMeters;
import io.switchboard.api.AdminServerVerticle;
import io.switchboard.api.ExecutionVerticle;
import io.switchboard.api.HttpServerVerticle;
import io.switchboard.auth.KeyAdmin;
import io.switchboard.auth.VirtualKeys;
import io.switchboard.budget.BudgetAdmin;
import io.switchboard.budget.BudgetAlerts;
import io.switchboard.budget.BudgetStore;
import io.switchboard.budget.Budgets;
import io.switchboard.budget.MemoryBudgetStore;
import io.switchboard.bus.Codecs;
import io.switchboard.classify.ClassifyVerticle;
import io.switchboard.classify.ClassifierLoader;
import io.switchboard.classify.TokenCounter;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.LearningConfig;
import io.switchboard.config.Prices;
import io.switchboard.config.RedisConfig;
import io.switchboard.cost.CostVerticle;
import io.switchboard.execute.Breakers;
import io.switchboard.execute.CallGuards;
import io.switchboard.experiment.ExperimentAdmin;
import io.switchboard.experiment.Experiments;
import io.switchboard.learn.EstimateStore;
import io.switchboard.learn.FileEstimates;
import io.switchboard.learn.Learning;
import io.switchboard.learn.LearningAdmin;
import io.switchboard.learn.LearningVerticle;
import io.switchboard.learn.SharedDecisions;
import io.switchboard.learn.SharedEstimates;
import io.switchboard.learn.SuccessBook;
import io.switchboard.ledger.Ledger;
import io.switchboard.ledger.LedgerVerticle;
import io.switchboard.limit.LocalRateLimiter;
import io.switchboard.limit.RateLimiter;
import io.switchboard.limit.RedisRateLimiter;
import io.switchboard.limit.ReportingRateLimiter;
import io.switchboard.report.ReportAdmin;
import io.switchboard.route.RouteVerticle;
import io.switchboard.route.Router;
import io.switchboard.route.SuccessEstimates;
import io.switchboard.store.Stores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Validates the configuration (its deployment config), then deploys the consumers of the bus (classify, route,
 * cost, analytics, execution), the admin API, and the HTTP front door last, so no request reaches an address with
 * no handler.
 * A bad configuration fails the deployment with a message that names the key.
 */
public final class MainVerticle extends VerticleBase {

  private final Map<String, String> env;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicInteger httpPort = new AtomicInteger();
  private final AtomicInteger adminPort = new AtomicInteger();
  private GatewayConfig gateway;
  private Stores stores;
  private BudgetAlerts alerts;
  private Router router;
  private volatile Optional<Ledger> ledger = Optional.empty();

  public MainVerticle(Map<String, String> env, PrometheusMeterRegistry registry) {
    this.env = env;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    GatewayConfig cfg = GatewayConfig.from(config(), env);
    gateway = cfg;
    Codecs.register(vertx.eventBus());
    GatewayMeters meters = new GatewayMeters(registry);
    stores = Stores.create(vertx, cfg);
    alerts = new BudgetAlerts(vertx, registry, cfg.budgets().webhook());
    // failing open, requests spend against this node's share of each limit while the shared store is unreachable
    Optional<BudgetStore> outageStore = stores.redis().isPresent() && cfg.budgets().failOpen()
      ? Optional.of(new MemoryBudgetStore()) : Optional.empty();
    Budgets budgets = new Budgets(cfg, stores.budgets(), outageStore,
      cfg.redis().map(RedisConfig::instances).orElse(1), alerts, Clock.systemUTC());
    Gauge.builder("switchboard.budget.global.utilization", budgets, Budgets::globalUtilization)
      .description("Spent share of the tightest global budget, as of this node's last settlement")
      .register(registry);
    RateLimiter counting = stores.redis().<RateLimiter>map(redis -> new RedisRateLimiter(redis, registry))
      .orElseGet(LocalRateLimiter::new);
    // with a ledger on, every refusal of the gateway's own limits is kept for the rate-limit reports
    RateLimiter limiter = cfg.analytics().enabled() ? new ReportingRateLimiter(counting, vertx.eventBus()) : counting;
    CallGuards guards = CallGuards.of(cfg, new Breakers(vertx, registry, cfg.resilience()), limiter, budgets);
    VirtualKeys keys = new VirtualKeys(stores.virtualKeys(), cfg.auth().requireKeys());
    LearningConfig learningConfig = cfg.learning();
    SuccessBook book = new SuccessBook(learningConfig, System::currentTimeMillis);
    Learning learning = new Learning(book, Experiments.of(cfg.experiments()), learningConfig.enabled(),
      !learningConfig.retryWindow().isZero());
    // with Redis every instance learns together; without it the estimates are this process's, snapshotted to a file
    Optional<EstimateStore> estimateStore = stores.redis().<EstimateStore>map(redis -> new SharedEstimates(redis,
        learningConfig.halfLife().toMillis(), learningConfig.refreshInterval().toMillis()))
      .or(() -> learningConfig.snapshotFile().map(file -> new FileEstimates(file,
        learningConfig.snapshotInterval().toMillis())));
    // one classify and one route consumer per HTTP instance: the bus spreads questions over them, so routing
    // scales with the cores instead of queueing on one event loop
    int perCore = cfg.server().effectiveInstances();
    return stores.warmUp().compose(warm -> keys.prime())
      .compose(primed -> Ledger.open(vertx, cfg.analytics()).onSuccess(opened -> ledger = opened))
      .compose(opened -> vertx.executeBlocking(() -> {
        TokenCounter.warmUp();
        return ClassifierLoader.tiers(cfg.classifier());
      }))
      .compose(tiers -> deploy(() -> new ClassifyVerticle(tiers, cfg.classifier(), registry), perCore)
        .map(id -> tiers.first()))
      // one router for the node (thread-safe); threshold policies calibrate on construction, reading files, with
      // the classifier that answers requests (tier 1 stands in for tier 2, whose answers it takes when shed)
      .compose(classifier -> vertx.executeBlocking(() -> new Router(cfg, book, meters::economyShift, classifier)))
      .compose(built -> {
        router = built;
        return deploy(() -> new RouteVerticle(router), perCore);
      })
      .compose(id -> deploy(() -> new LearningVerticle(learningConfig, book, estimateStore,
        stores.redis().map(redis -> new SharedDecisions(redis, learningConfig.decisionTtl().toMillis())),
        cfg.experiments(), registry), 1))
      .compose(id -> deploy(() -> new CostVerticle(Clock.systemUTC(), prices(cfg)), 1))
      .compose(id -> deploy(() -> new AnalyticsVerticle(meters, prices(cfg)), 1))
      .compose(id -> ledger.map(opened -> deploy(() -> new LedgerVerticle(opened, cfg, registry), 1))
        .orElse(Future.succeededFuture()))
      .compose(id -> deploy(() -> new ExecutionVerticle(cfg, guards, meters, router, learning), 1))
      .compose(id -> deploy(() -> new AdminServerVerticle(cfg,
        List.of(new KeyAdmin(keys, cfg, Clock.systemUTC())::mount, new BudgetAdmin(budgets, keys, Clock.systemUTC())::mount,
          new ExperimentAdmin(vertx.eventBus())::mount, new LearningAdmin(book, learningConfig)::mount,
          new ReportAdmin(ledger, cfg.analytics().insights(), Clock.systemUTC())::mount),
        meters, adminPort), 1))
      .compose(id -> deploy(() -> new HttpServerVerticle(cfg, stores, keys, guards, meters, registry, ready,
        httpPort, router, learning), perCore))
      .onSuccess(id -> ready.set(true))
      .onFailure(failed -> ledger.ifPresent(Ledger::close));   // a failed start is never stopped
  }

  @Override
  public Future<?> stop() {
    ready.set(false);
    // the ledger verticle, a child, has written what it held by now: the store can close
    return Future.join(stores == null ? Future.succeededFuture() : stores.close(),
      alerts == null ? Future.succeededFuture() : alerts.close(),
      ledger.map(Ledger::close).orElse(Future.succeededFuture())).mapEmpty();
  }

  private static Map<String, Prices> prices(GatewayConfig cfg) {
    Map<String, Prices> prices = new HashMap<>();
    cfg.models().forEach((id, model) -> prices.put(id, model.prices()));
    return prices;
  }

  private Future<String> deploy(Supplier<? extends Deployable> verticle, int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances));
  }

  /** The port the HTTP server bound, once started (tests listen on port 0). */
  public int httpPort() {
    return httpPort.get();
  }

  /** The port the admin API bound, once started. */
  public int adminPort() {
    return adminPort.get();
  }

  /** The analytics ledger, for the admin API's reports; empty when {@code analytics.ledger} is {@code none}. */
  public Optional<Ledger> ledger() {
    return ledger;
  }

  public GatewayConfig gatewayConfig() {
    return gateway;
  }
}
