package io.switchboard.cli;

import io.switchboard.classify.Classification;
import io.switchboard.classify.Classifier;
import io.switchboard.classify.ClassifierLoader;
import io.switchboard.classify.ClassifyRequest;
import io.switchboard.classify.PromptText;
import io.switchboard.classify.Scenario;
import io.switchboard.classify.ScenarioDetector;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.GatewayConfig;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.ChatRequest;
import io.switchboard.route.NoRouteException;
import io.switchboard.route.RouteDecision;
import io.switchboard.route.RouteRequest;
import io.switchboard.route.Router;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code route} and {@code classify} share: a prompt on the command line, the gateway's configuration, and the
 * classifier it configures, all in this process. A prompt is classified and routed as {@code POST /v1/classify} and
 * {@code POST /v1/route} do for a gateway without traffic: no learned success estimates, session pins, experiments
 * or budget spend, which only a running gateway has.
 */
final class OfflineRouting {

  @Parameters(index = "0", paramLabel = "TEXT", description = "The user message ('-' reads it from stdin)")
  private String text;

  @Option(names = "--system", paramLabel = "TEXT", description = "A system message before it")
  private String system;

  @Option(names = "--conf", paramLabel = "FILE", description = "Gateway configuration (default: as serve finds it)")
  private String conf;

  @Option(names = "--json", description = "Print the JSON the gateway's endpoint answers")
  boolean json;

  /** The chat-completions request the prompt makes, asking for {@code model}. */
  ChatRequest request(String model, long maxTokens, InputStream stdin) {
    JsonArray messages = new JsonArray();
    if (system != null) {
      messages.add(new JsonObject().put("role", "system").put("content", system));
    }
    messages.add(new JsonObject().put("role", "user").put("content", prompt(stdin)));
    JsonObject body = new JsonObject().put("model", model).put("messages", messages);
    if (maxTokens > 0) {
      body.put("max_tokens", maxTokens);
    }
    try {
      return ChatRequest.from(body, body.toBuffer().length());
    } catch (ApiException e) {
      throw new CliException(Cli.USAGE, e.error().message());
    }
  }

  GatewayConfig config(Map<String, String> env) {
    List<String> args = new ArrayList<>();
    if (conf != null) {
      args.addAll(List.of("--conf", conf));
    }
    return GatewayConfig.from(ConfigLoader.load(args, env), env);
  }

  /** The configured classifier's answer (the heuristic's, with a warning, when a model tier cannot load). */
  static Classification classify(GatewayConfig config, ChatRequest request) {
    Classifier classifier = ClassifierLoader.load(config.classifier());
    return classifier.classify(PromptText.of(new ClassifyRequest(request.messages(), request.toolsPresent(),
      request.toolsChars(), request.bodyBytes())));
  }

  /** The router's decision, with the scenario the gateway would read from the request's shape. */
  static RouteDecision route(GatewayConfig config, ChatRequest request, Classification classification) {
    ScenarioDetector.Detected scenario = ScenarioDetector.detect(request, classification.features().promptTokens(),
      false, config.scenarios().longContextTokens(), config.scenarios().backgroundMaxTokens());
    RouteRequest question = new RouteRequest(request.model(), classification, request.maxOutputTokens(),
      request.options().constraints(), 0, scenario.scenario(), null);
    try {
      RouteDecision decision = new Router(config).decide(question);
      return scenario.scenario() == Scenario.DEFAULT ? decision
        : decision.withReason("scenario " + scenario.scenario().wireName() + ": " + scenario.why());
    } catch (NoRouteException e) {
      throw new CliException(Cli.FAILED, e.getMessage());
    }
  }

  private String prompt(InputStream stdin) {
    if (!"-".equals(text)) {
      return text;
    }
    try {
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(Cli.FAILED, "stdin cannot be read (" + e.getMessage() + ")");
    }
  }
}
