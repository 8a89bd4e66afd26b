package io.switchboard.cli;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.MainVerticle;
import io.switchboard.Switchboard;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard [serve] [--conf FILE] [--key.path=value ...]}: runs the gateway until the process is stopped.
 * Exits 2 on a configuration that cannot be read, 1 when the gateway cannot start, each with a one-line reason.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
  description = {"Run the gateway (the default command).",
    "Arguments: --conf FILE (else $SWITCHBOARD_CONF, conf/switchboard.yaml, the copy in the jar), then any"
      + " --key.path=value override, e.g. --server.port=9090."})
final class ServeCommand implements Callable<Integer> {

  /** The entry point's name, as before the command line had subcommands, so log filters keep working. */
  private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);

  @Spec
  private CommandSpec spec;

  /** The configuration loader's own arguments, read by it as before the command line had subcommands. */
  @Unmatched
  private List<String> arguments = new ArrayList<>();

  private final Map<String, String> env;
  private volatile boolean started;

  ServeCommand(Map<String, String> env) {
    this.env = env;
  }

  boolean started() {
    return started;
  }

  @Override
  public Integer call() {
    JsonObject config;
    try {
      config = ConfigLoader.load(arguments, env);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("switchboard: " + e.getMessage());
      return Cli.USAGE;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    // one event loop per core, as many as HTTP instances: bus hops between verticles then rarely wake a
    // second thread, which on a small machine costs more than the hop itself
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    MainVerticle main = new MainVerticle(env, registry);
    try {
      // the main thread, not an event loop: waiting here blocks nothing the gateway needs
      vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).toCompletionStage().toCompletableFuture()
        .get();
    } catch (ExecutionException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable failure = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      spec.commandLine().getErr().println("switchboard: cannot start: " + oneLine(failure));
      vertx.close();
      return Cli.FAILED;
    }
    LOG.info("Switchboard listening on http://{}:{} ({} HTTP instances, {} models)",
      main.gatewayConfig().server().host(), main.httpPort(), main.gatewayConfig().server().effectiveInstances(),
      main.gatewayConfig().models().size());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("shutdown did not finish cleanly: {}", e.toString());
      }
    }, "switchboard-shutdown"));
    started = true;
    return Cli.OK;
  }

  private static String oneLine(Throwable failure) {
    String message = failure instanceof ConfigException ? failure.getMessage() : failure.toString();
    return message == null ? failure.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }
}
