package io.switchboard.execute;

import io.switchboard.auth.Caller;
import io.switchboard.bus.Addresses;
import io.switchboard.classify.Classification;
import io.switchboard.classify.ClassifyRequest;
import io.switchboard.classify.PromptText;
import io.switchboard.classify.RequestFeatures;
import io.switchboard.classify.Scenario;
import io.switchboard.classify.ScenarioDetector;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.PolicyConfig;
import io.switchboard.experiment.Assignment;
import io.switchboard.learn.Learning;
import io.switchboard.ledger.DecisionRouted;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ChatRequest;
import io.switchboard.route.CachePin;
import io.switchboard.route.DecisionCache;
import io.switchboard.route.NoRouteException;
import io.switchboard.route.RouteDecision;
import io.switchboard.route.RouteRequest;
import io.switchboard.route.RouteVerticle;
import io.switchboard.route.Router;
import io.switchboard.session.SessionKeys;
import io.switchboard.session.SessionPins;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Asks the classify and route verticles, over the bus, where a request goes. Each question has its own
 * timeout; a classifier that does not answer routes by the policy default, a router that does not answer is
 * replaced by the same routing code run locally, so a slow verticle degrades routing, never the request.
 * A request identical to a recent one (see {@link DecisionCache}) reuses its classification and decision.
 * Before classification a request is fitted to its policy's context budget ({@link ContextFit}); after it, its
 * scenario is read from its shape ({@link ScenarioDetector}) and its session's pin looked up ({@link SessionPins}),
 * both routing inputs; the decision then renews the pin.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final String DECIDED_IN_PLACE = "decided in place";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus bus;
  private final GatewayConfig config;
  private final Router localRouter;
  private final DeliveryOptions classifyOptions;
  private final DeliveryOptions routeOptions;
  private final DoubleSupplier budgetUtilization;
  private final DecisionCache<Routed> decisions;
  private final Learning learning;
  private final SessionPins sessions;
  private final ContextFit context;

  /**
   * @param localRouter decides in place when the route service does not answer
   * @param budgetUtilization the spent share of the tightest global budget, for economy mode
   * @param learning where decisions are announced, and the experiments that may swap the requested policy
   */
  public Dispatcher(EventBus bus, GatewayConfig config, Router localRouter, DoubleSupplier budgetUtilization,
                    Learning learning) {
    this(bus, config, localRouter, budgetUtilization, learning, SessionPins.OFF,
      new ContextFit(config, ContextFit.Observer.NONE));
  }

  /**
   * @param sessions where session pins are kept ({@link SessionPins#OFF}: requests are never pinned)
   * @param context fits requests to their policy's context budget
   */
  public Dispatcher(EventBus bus, GatewayConfig config, Router localRouter, DoubleSupplier budgetUtilization,
                    Learning learning, SessionPins sessions, ContextFit context) {
    this.bus = bus;
    this.sessions = sessions;
    this.context = context;
    this.config = config;
    this.localRouter = localRouter;
    this.budgetUtilization = budgetUtilization;
    this.learning = learning;
    this.decisions = new DecisionCache<>(config.routing().decisionCache(), System::nanoTime);
    this.classifyOptions = new DeliveryOptions().setLocalOnly(true).setSendTimeout(config.routing().classifyTimeoutMillis());
    this.routeOptions = new DeliveryOptions().setLocalOnly(true).setSendTimeout(config.routing().routeTimeoutMillis());
  }

  public Future<Routed> dispatch(ChatRequest request) {
    return dispatch(request, Caller.ANONYMOUS, null);
  }

  /** How requests are fitted to their policy's context budget; the execution path fits them alike. */
  public ContextFit context() {
    return context;
  }

  /**
   * Routes {@code request} for {@code caller}: an experiment on the requested name first swaps in its arm's policy.
   * With a {@code decisionId} the request is about to be answered and is announced to learning; a dry run has none.
   */
  public Future<Routed> dispatch(ChatRequest request, Caller caller, String decisionId) {
    Optional<Assignment> assignment = learning.experiments().assign(request, caller);
    if (decisionId != null) {
      learning.announce(bus, request, caller, decisionId, assignment);
    }
    String model = assignment.map(Assignment::policy).orElse(request.model());
    Future<Routed> routed = decide(request, model).map(decided -> assignment.map(arm -> new Routed(
      decided.classification(), decided.decision().withReason(arm.reason()), decided.model())).orElse(decided));
    if (decisionId != null && config.analytics().enabled()) {
      routed.onSuccess(done -> bus.publish(Addresses.DECISION_ROUTED, new DecisionRouted(decisionId, caller.tenant(),
        caller.keyId(), done.classification().confidence(), done.classification().pCheapOk(),
        assignment.map(Assignment::experiment).orElse(""), assignment.map(Assignment::arm).orElse(""),
        config.analytics().storePrompts() ? lastUserMessage(request, config.analytics().promptMaxChars()) : "",
        System.currentTimeMillis()), LOCAL));
    }
    return routed;
  }

  /** The text of the request's last user message, at most {@code maxChars} of it: what the ledger may keep. */
  private static String lastUserMessage(ChatRequest request, int maxChars) {
    for (int i = request.messages().size() - 1; i >= 0; i--) {
      if (request.messages().getValue(i) instanceof JsonObject message && "user".equals(message.getString("role"))) {
        String text = PromptText.text(message);
        return text.length() <= maxChars ? text : text.substring(0, maxChars);
      }
    }
    return "";
  }

  /** Routes {@code request} as if it asked for {@code model}, reusing a recent identical decision when allowed. */
  private Future<Routed> decide(ChatRequest original, String model) {
    return context.trimmed(original, model).compose(trimmed -> decide(original, trimmed, model));
  }

  private Future<Routed> decide(ChatRequest original, ContextFit.Trimmed trimmed, String model) {
    double utilization = budgetUtilization.getAsDouble();
    ChatRequest request = trimmed.request();
    if (!config.routing().decisionCache().enabled() || config.model(model).isPresent()
      || request.bodyBytes() > DecisionCache.MAX_BODY_BYTES) {
      return classifyAndRoute(original, trimmed, model, utilization);
    }
    // a request asking for thinking has its own scenario: the same messages without it must not share its decision
    String routedAs = ScenarioDetector.thinkingRequested(original) ? model + "\u0000thinking" : model;
    String key = DecisionCache.key(routedAs, request.messages(), request.toolsChars(), request.maxOutputTokens(),
      request.options().constraints(), config.routing().economyActive(utilization));
    Routed reused = decisions.get(key);
    if (reused != null) {
      return Future.succeededFuture(new Routed(reused.classification(),
        reused.decision().withReason("decision reused: same prompt, policy and constraints within "
          + config.routing().decisionCache().ttlSeconds() + " s"), reused.model()));
    }
    return classifyAndRoute(original, trimmed, model, utilization).onSuccess(routed -> {
      // only whole decisions: not one made without a classifier or in place of the route service
      if ("unavailable".equals(routed.classification().tier())
        || routed.decision().reasons().stream().anyMatch(r -> r.startsWith(DECIDED_IN_PLACE))) {
        return;
      }
      decisions.put(key, routed);
    });
  }

  private Future<Routed> classifyAndRoute(ChatRequest original, ContextFit.Trimmed trimmed, String model,
                                          double utilization) {
    ChatRequest request = trimmed.request();
    ClassifyRequest question = new ClassifyRequest(request.messages(), request.toolsPresent(), request.toolsChars(),
      request.bodyBytes());
    return bus.<Classification>request(Addresses.CLASSIFY, question, classifyOptions)
      .map(Message::body)
      .recover(err -> {
        LOG.debug("classifier did not answer ({}); routing without a classification", err.toString());
        return Future.succeededFuture(Classification.unavailable(roughFeatures(request)));
      })
      .compose(classification -> {
        Optional<PolicyConfig> policy = context.policyOf(model);
        if (policy.isEmpty() || !sessions.enabled()) {
          return route(original, trimmed, model, classification, utilization, null, SessionPins.Known.NOTHING);
        }
        // the conversation's identity is its original opening: trimming may have removed its first messages
        SessionKeys keys = SessionKeys.of(original);
        return sessions.lookup(keys, policy.get().name())
          .compose(known -> route(original, trimmed, model, classification, utilization, keys, known)
            .onSuccess(routed -> remember(keys, known, policy.get(), routed)));
      });
  }

  private Future<Routed> route(ChatRequest original, ContextFit.Trimmed trimmed, String model,
                               Classification classification, double utilization, SessionKeys keys,
                               SessionPins.Known known) {
    ChatRequest request = trimmed.request();
    long promptTokens = classification.features().promptTokens();
    boolean otherSystem = keys != null && known.mainSystem().isPresent()
      && !known.mainSystem().get().equals(keys.systemDigest());
    ScenarioDetector.Detected scenario = ScenarioDetector.detect(original, promptTokens, otherSystem,
      config.scenarios().longContextTokens(), config.scenarios().backgroundMaxTokens());
    long cap = context.cap(model, scenario.scenario(), classification.taskType());
    boolean capped = ContextFit.lowers(request, cap);
    context.observe(model, trimmed, capped);
    // background calls neither follow nor move a pin: their prefix is not the conversation's
    CachePin pin = scenario.scenario() == Scenario.BACKGROUND ? null : known.pin()
      .map(p -> new CachePin(p.model(), trimmed.removedTurns() > 0 ? 0 : cacheable(p.promptTokens(), promptTokens)))
      .orElse(null);
    RouteRequest question = new RouteRequest(model, classification, capped ? cap : request.maxOutputTokens(),
      request.options().constraints(), utilization, scenario.scenario(), pin);
    return bus.<RouteDecision>request(Addresses.ROUTE, question, routeOptions)
      .map(Message::body)
      .recover(err -> {
        if (err instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && reply.failureCode() == RouteVerticle.NO_ROUTE) {
          return Future.failedFuture(noRoute(reply.getMessage()));
        }
        return decideLocally(question, err);
      })
      .map(decision -> {
        RouteDecision explained = decision;
        if (scenario.scenario() != Scenario.DEFAULT) {
          explained = explained.withReason("scenario " + scenario.scenario().wireName() + ": " + scenario.why());
        }
        if (trimmed.reason().isPresent()) {
          explained = explained.withReason(trimmed.reason().get());
        }
        if (capped) {
          explained = explained.withReason("max_tokens capped at " + cap + " for "
            + context.capSource(model, scenario.scenario(), classification.taskType()));
        }
        return new Routed(classification, explained, config.models().get(explained.model()));
      });
  }

  /** Prompt tokens a provider would read from its cache: the prefix shared with the last request, if long enough. */
  private long cacheable(long lastPromptTokens, long promptTokens) {
    long shared = Math.min(lastPromptTokens, promptTokens);
    return shared >= config.sessions().minCacheableTokens() ? shared : 0;
  }

  /** Pins the session to the decision's model (not a background call's; not a decision made without a policy). */
  private void remember(SessionKeys keys, SessionPins.Known known, PolicyConfig policy, Routed routed) {
    RouteDecision decision = routed.decision();
    if (decision.policy().isEmpty() || Scenario.BACKGROUND.wireName().equals(decision.scenario())) {
      return;
    }
    sessions.remember(keys, policy.name(), known, routed.classification().features().toolsPresent(), decision.model(),
      routed.classification().features().promptTokens());
  }

  private Future<RouteDecision> decideLocally(RouteRequest question, Throwable cause) {
    try {
      return Future.succeededFuture(localRouter.decide(question)
        .withReason(DECIDED_IN_PLACE + " (the route service did not answer: " + cause.getClass().getSimpleName() + ")"));
    } catch (NoRouteException e) {
      return Future.failedFuture(toApiError(e.code(), e.getMessage()).exception());
    }
  }

  private static Throwable noRoute(String replyMessage) {
    int bar = replyMessage.indexOf('|');
    return toApiError(replyMessage.substring(0, Math.max(0, bar)), replyMessage.substring(bar + 1)).exception();
  }

  private static ApiError toApiError(String code, String message) {
    if (NoRouteException.MODEL_NOT_FOUND.equals(code)) {
      return new ApiError(404, ApiError.INVALID_REQUEST, code, "model", message, 0);
    }
    if (NoRouteException.CONSTRAINT_NOT_SATISFIABLE.equals(code)) {
      return ApiError.invalid(code, "switchboard", message);
    }
    return ApiError.invalid(code, "messages", message);
  }

  /** Without a classifier: about four bytes of JSON per token, on the generous side for the context check. */
  private static RequestFeatures roughFeatures(ChatRequest request) {
    long tokens = request.bodyBytes() / 4;
    return new RequestFeatures(tokens, request.messages().size(), request.toolsPresent(), 0, 0,
      tokens > RequestFeatures.LONG_CONTEXT_TOKENS);
  }
}
