package io.switchboard.cli;

import io.switchboard.classify.Classification;
import io.switchboard.config.GatewayConfig;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code switchboard classify "TEXT"}: what the configured classifier makes of a prompt, in this process. */
@Command(name = "classify", mixinStandardHelpOptions = true,
  description = "Classify a prompt offline, as POST /v1/classify does: task type, complexity, confidence.")
final class ClassifyCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private OfflineRouting prompt;

  private final Map<String, String> env;

  ClassifyCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Quiet.logs();
    GatewayConfig config = prompt.config(env);
    ChatRequest request = prompt.request(config.routing().defaultPolicy(), 0, System.in);
    Classification classification = OfflineRouting.classify(config, request);
    JsonObject c = classification.toJson();
    PrintWriter out = spec.commandLine().getOut();
    if (prompt.json) {
      out.println(new JsonObject().put("classification", c).encodePrettily());
      return Cli.OK;
    }
    out.println("task type:   " + c.getString("task_type"));
    out.println("complexity:  " + c.getString("complexity"));
    out.println("confidence:  " + c.getValue("confidence"));
    out.println("p_cheap_ok:  " + c.getValue("p_cheap_ok"));
    out.println("code:        " + (classification.involvesCode() ? "yes" : "no") + ", reasoning: "
      + (classification.needsReasoning() ? "yes" : "no"));
    out.println("tokens:      " + classification.features().promptTokens() + " in the prompt");
    out.println("classifier:  " + classification.tier());
    out.println();
    Table probabilities = new Table("TASK TYPE", "PROBABILITY");
    c.getJsonObject("task_type_probabilities").stream()
      .sorted(Comparator.comparingDouble(e -> -((Number) e.getValue()).doubleValue()))
      .forEach(e -> probabilities.row(e.getKey(),
        String.format(Locale.ROOT, "%.3f", ((Number) e.getValue()).doubleValue())));
    probabilities.print(out);
    return Cli.OK;
  }
}
