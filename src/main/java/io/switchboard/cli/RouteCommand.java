package io.switchboard.cli;

import io.switchboard.classify.Classification;
import io.switchboard.config.GatewayConfig;
import io.switchboard.cost.Money;
import io.switchboard.openai.ChatRequest;
import io.switchboard.route.RouteDecision;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code switchboard route "TEXT"}: where the gateway would send a prompt and why, decided in this process. */
@Command(name = "route", mixinStandardHelpOptions = true,
  description = "Classify and route a prompt offline, as POST /v1/route does; nothing is called upstream.")
final class RouteCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private OfflineRouting prompt;

  @Option(names = "--model", paramLabel = "NAME",
    description = "A policy, model or alias to route for (default: routing.default_policy)")
  private String model;

  @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "0", description = "The request's max_tokens")
  private long maxTokens;

  private final Map<String, String> env;

  RouteCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Quiet.logs();
    GatewayConfig config = prompt.config(env);
    ChatRequest request = prompt.request(model != null ? model : config.routing().defaultPolicy(), maxTokens,
      System.in);
    Classification classification = OfflineRouting.classify(config, request);
    RouteDecision decision = OfflineRouting.route(config, request, classification);
    PrintWriter out = spec.commandLine().getOut();
    if (prompt.json) {
      out.println(new JsonObject()
        .put("requested_model", request.model())
        .put("classification", classification.toJson())
        .mergeIn(decision.toJson())
        .put("estimated_savings_micros", decision.baselineCostMicros() - decision.estimatedCostMicros())
        .encodePrettily());
      return Cli.OK;
    }
    JsonObject c = classification.toJson();
    out.println("model:       " + decision.model() + " (provider " + decision.provider() + ")");
    out.println("policy:      " + (decision.policy() == null || decision.policy().isEmpty() ? "none: " + request.model() + " was named"
      : decision.policy() + " (" + decision.policyKind() + ")"));
    out.println("task:        " + c.getString("task_type") + ", " + c.getString("complexity") + ", confidence "
      + c.getValue("confidence") + ", p_cheap_ok " + c.getValue("p_cheap_ok") + " (" + classification.tier()
      + " classifier)");
    out.println("cost:        $" + Money.usd(decision.estimatedCostMicros()) + " estimated vs $"
      + Money.usd(decision.baselineCostMicros()) + " on " + config.routing().baselineModel() + " (baseline), "
      + decision.estimatedOutputTokens() + " output tokens assumed");
    out.println("fallbacks:   " + (decision.fallbacks().isEmpty() ? "none" : String.join(", ", decision.fallbacks())));
    if (!decision.escalation().isEmpty()) {
      out.println("escalation:  " + String.join(", ", decision.escalation()));
    }
    out.println("reasons:");
    decision.reasons().forEach(reason -> out.println("  - " + reason));
    if (!decision.ranked().isEmpty()) {
      Table alternatives = new Table("ALTERNATIVE", "SCORE", "QUALITY", "EST. COST", "FITS", "EXCLUDED BY");
      decision.ranked().forEach(candidate -> alternatives.row(candidate.model(),
        String.format(Locale.ROOT, "%.3f", candidate.score()), candidate.quality(),
        "$" + Money.usd(candidate.estimatedCostMicros()), candidate.fits() ? "yes" : "no", candidate.excludedBy()));
      out.println();
      alternatives.print(out);
    }
    out.flush();
    return Cli.OK;
  }
}
