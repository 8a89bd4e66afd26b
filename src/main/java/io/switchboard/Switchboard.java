package io.switchboard;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.classify.train.TrainCommand;
import io.switchboard.replay.ReplayCommand;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Entry point: {@code java -jar switchboard.jar [serve] [--conf FILE] [--key.path=value ...]} runs the gateway;
 * exits 2 on a configuration that cannot be read, 1 when the gateway cannot start, each with a one-line reason on
 * stderr. {@code java -jar switchboard.jar replay ...} replays a workload offline (see {@link ReplayCommand});
 * {@code java -jar switchboard.jar train-classifier ...} trains the tier-1 classifier (see {@link TrainCommand}).
 */
public final class Switchboard {

  private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);

  private Switchboard() {
  }

  public static void main(String[] args) {
    List<String> arguments = List.of(args);
    if (!arguments.isEmpty() && arguments.get(0).equals("replay")) {
      System.exit(ReplayCommand.run(arguments.subList(1, arguments.size()), System.getenv(), System.out, System.err));
      return;
    }
    if (!arguments.isEmpty() && arguments.get(0).equals("train-classifier")) {
      System.exit(TrainCommand.run(arguments.subList(1, arguments.size()), System.out, System.err));
      return;
    }
    if (!arguments.isEmpty() && arguments.get(0).equals("serve")) {
      arguments = arguments.subList(1, arguments.size());
    }
    JsonObject config;
    try {
      config = ConfigLoader.load(arguments, System.getenv());
    } catch (ConfigException e) {
      System.err.println("switchboard: " + e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    // one event loop per core, as many as HTTP instances: bus hops between verticles then rarely wake a
    // second thread, which on a small machine costs more than the hop itself
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    MainVerticle main = new MainVerticle(System.getenv(), registry);
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config))
      .onSuccess(id -> LOG.info("Switchboard listening on http://{}:{} ({} HTTP instances, {} models)",
        main.gatewayConfig().server().host(), main.httpPort(), main.gatewayConfig().server().effectiveInstances(),
        main.gatewayConfig().models().size()))
      .onFailure(failure -> {
        System.err.println("switchboard: cannot start: " + oneLine(failure));
        vertx.close();
        System.exit(1);
      });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("shutdown did not finish cleanly: {}", e.toString());
      }
    }, "switchboard-shutdown"));
  }

  private static String oneLine(Throwable failure) {
    String message = failure instanceof ConfigException ? failure.getMessage() : failure.toString();
    return message == null ? failure.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }
}
