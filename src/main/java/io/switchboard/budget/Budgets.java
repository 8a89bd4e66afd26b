package io.switchboard.budget;

import io.switchboard.auth.Caller;
import io.switchboard.classify.TokenCounter;
import io.switchboard.config.BudgetLimit;
import io.switchboard.config.BudgetsConfig;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.cost.Money;
import io.switchboard.cost.Pricing;
import io.switchboard.execute.Routed;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ChatRequest;
import io.switchboard.route.Pipeline;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Keeps spend within the configured budgets. Before a request goes upstream it reserves the request's worst-case
 * cost (prompt plus the most output it may produce, at the priciest model of its fallback chain, plus the models
 * it may be escalated to and its reviewer) on every budget the request spends against: global, its virtual key,
 * user, team and conversation, daily and monthly. When the
 * request ends, the reservation is settled to what it really cost. So however many instances share the store,
 * spend can pass a limit only by what admitted requests cost beyond their reservation (nothing, when they set
 * {@code max_tokens}).
 */
public final class Budgets {

  private static final Logger LOG = LoggerFactory.getLogger(Budgets.class);
  public static final String EXCEEDED = "budget_exceeded";
  public static final String STORE_UNAVAILABLE = "budget_store_unavailable";

  /** What a request holds from reservation to settlement. */
  public record Hold(BudgetStore store, String id, List<BudgetLine> lines, long reservedMicros) {
    public static final Hold NONE = new Hold(null, "", List.of(), 0);
  }

  private final GatewayConfig gateway;
  private final BudgetsConfig config;
  private final BudgetStore store;
  private final Optional<BudgetStore> outageStore;
  private final int instances;
  private final BudgetAlerts alerts;
  private final Clock clock;
  private volatile double globalUtilization;
  // read and written by every event loop: a stale or recomputed entry is harmless, both are correct windows
  private final Period.Window[] windows = new Period.Window[Period.values().length];

  /**
   * @param outageStore where requests reserve while {@code store} fails, when budgets fail open
   * @param instances   gateway instances sharing {@code store}: each gets this share of a limit during an outage
   */
  public Budgets(GatewayConfig gateway, BudgetStore store, Optional<BudgetStore> outageStore, int instances,
                 BudgetAlerts alerts, Clock clock) {
    this.gateway = gateway;
    this.config = gateway.budgets();
    this.store = store;
    this.outageStore = outageStore;
    this.instances = instances;
    this.alerts = alerts;
    this.clock = clock;
  }

  public BudgetStore store() {
    return store;
  }

  public BudgetsConfig config() {
    return config;
  }

  /** Spent share of the tightest global budget seen by this node's last settlement (0 without global limits). */
  public double globalUtilization() {
    return globalUtilization;
  }

  /** Reserves the request's worst case; fails with 429 {@code budget_exceeded} when a budget has no room. */
  public Future<Hold> reserve(Caller caller, ChatRequest request, Routed routed, String requestId) {
    long worst = worstCase(request, routed);
    if (config.maxRequestMicros() > 0 && worst > config.maxRequestMicros()) {
      return Future.failedFuture(new ApiError(429, ApiError.RATE_LIMIT, EXCEEDED, "max_tokens",
        "This request could cost up to $" + Money.usd(worst) + ", above the per-request budget of $"
          + Money.usd(config.maxRequestMicros()) + "; lower max_tokens or shorten the prompt", 0).exception());
    }
    Instant now = clock.instant();
    String user = !caller.user().isEmpty() ? caller.user() : requestUser(request);
    List<BudgetLine> lines = lines(caller, user, now);
    return store.reserve(requestId, lines, worst, config.reservationTtlMillis())
      .map(answer -> new Answer(store, lines, answer))
      .recover(failure -> {
        if (lines.stream().allMatch(line -> line.limitMicros() < 0)) {
          // nothing configured to enforce: the store only tracks this request's spend, so it need not wait for it
          return Future.succeededFuture(new Answer(null, lines, new BudgetStore.Reserved()));
        }
        if (outageStore.isEmpty()) {
          LOG.warn("Budget store unreachable ({}): request refused", failure.getClass().getSimpleName());
          return Future.failedFuture(new ApiError(503, ApiError.API_ERROR, STORE_UNAVAILABLE, null,
            "Budgets cannot be checked right now; retry shortly", 1).exception());
        }
        List<BudgetLine> shares = lines.stream().map(this::localShare).toList();
        return outageStore.get().reserve(requestId, shares, worst, config.reservationTtlMillis())
          .map(answer -> new Answer(outageStore.get(), shares, answer));
      })
      .compose(answer -> {
        if (answer.reservation() instanceof BudgetStore.Refused refused) {
          alerts.refused(refused.line());
          return Future.failedFuture(exceeded(refused.line(), worst, now).exception());
        }
        return Future.succeededFuture(answer.store() == null ? Hold.NONE
          : new Hold(answer.store(), requestId, answer.lines(), worst));
      });
  }

  /** Settles a request's reservation to its actual cost, raising the alerts it triggers. Never fails the caller. */
  public void settle(Hold hold, long actualMicros) {
    if (hold.store() == null) {
      return;
    }
    hold.store().settle(hold.id(), hold.lines(), actualMicros, config.alertPercents())
      .onSuccess(states -> {
        double global = 0;
        for (LineState state : states) {
          if (state.line().scope().equals(GLOBAL)) {
            global = Math.max(global, state.utilization());
          }
          state.crossedPercents().forEach(percent -> alerts.raise(state, percent));
        }
        globalUtilization = global;
      })
      .onFailure(failure -> LOG.warn("Budget settlement of ${} lost ({}); the reservation expires by itself",
        Money.usd(actualMicros), failure.getClass().getSimpleName()));
  }

  private record Answer(BudgetStore store, List<BudgetLine> lines, BudgetStore.Reservation reservation) {
  }

  static final String GLOBAL = "global";

  /** The budgets a request of {@code caller} for {@code user} spends against, in the windows that hold {@code now}. */
  List<BudgetLine> lines(Caller caller, String user, Instant now) {
    List<BudgetLine> lines = new ArrayList<>(10);
    add(lines, GLOBAL, config.global(), now);
    if (!caller.keyId().isEmpty()) {
      add(lines, "key:" + caller.keyId(), new BudgetLimit(caller.dailyBudgetMicros(), caller.monthlyBudgetMicros()), now);
    }
    if (!user.isEmpty()) {
      add(lines, "user:" + scopeId(user), config.user(user), now);
    }
    if (!caller.team().isEmpty()) {
      add(lines, "team:" + scopeId(caller.team()), config.team(caller.team()), now);
    }
    if (!caller.conversationId().isEmpty()) {
      // conversation ids are the client's free text: only their digest names the scope
      add(lines, "conversation:" + digest(caller.conversationId()), config.conversation(), now);
    }
    return lines;
  }

  private void add(List<BudgetLine> lines, String scope, BudgetLimit limit, Instant now) {
    for (Period period : Period.values()) {
      Period.Window window = window(period, now);
      long micros = period == Period.DAILY ? limit.dailyMicros() : limit.monthlyMicros();
      lines.add(new BudgetLine(scope, period, window.id(), window.end(), micros > 0 ? micros : BudgetLine.UNLIMITED));
    }
  }

  /** The current window of a period; time-zone arithmetic only when a window ends. */
  private Period.Window window(Period period, Instant now) {
    Period.Window window = windows[period.ordinal()];
    if (window == null || !now.isBefore(window.end())) {
      window = period.window(now, config.timezone());
      windows[period.ordinal()] = window;
    }
    return window;
  }

  private BudgetLine localShare(BudgetLine line) {
    long share = line.limitMicros() < 0 ? BudgetLine.UNLIMITED : line.limitMicros() / instances;
    return new BudgetLine(line.scope(), line.period(), line.window(), line.resetAt(), share);
  }

  /**
   * The most this request can cost: on the priciest model of its chain, plus every model of its escalation order
   * (each may be asked after a failed answer), plus its pipeline's review (asked with the draft in its prompt).
   */
  long worstCase(ChatRequest request, Routed routed) {
    long promptTokens = routed.classification().features().promptTokens();
    long worst = cost(routed.model(), request, promptTokens);
    for (String fallback : routed.decision().fallbacks()) {
      ModelConfig model = gateway.models().get(fallback);
      if (model != null) {
        worst = Math.max(worst, cost(model, request, promptTokens));
      }
    }
    for (String escalation : routed.decision().escalation()) {
      worst += cost(gateway.models().get(escalation), request, promptTokens);
    }
    Pipeline pipeline = routed.decision().pipeline();
    if (pipeline != null) {
      ModelConfig reviewer = gateway.models().get(pipeline.reviewer());
      long reviewPrompt = promptTokens + outputTokens(routed.model(), request)
        + TokenCounter.count(pipeline.reviewPrompt()) + 2L * TokenCounter.PER_MESSAGE_OVERHEAD;
      long review = cost(reviewer, request, reviewPrompt);
      for (String fallback : reviewer.fallbacks()) {
        review = Math.max(review, cost(gateway.models().get(fallback), request, reviewPrompt));
      }
      worst += review;
    }
    return worst;
  }

  private long cost(ModelConfig model, ChatRequest request, long promptTokens) {
    return Pricing.estimate(model.prices(), promptTokens, outputTokens(model, request));
  }

  private long outputTokens(ModelConfig model, ChatRequest request) {
    if (request.maxOutputTokens() > 0) {
      return Math.min(request.maxOutputTokens(), model.maxOutput());
    }
    return config.defaultOutputTokens() > 0 ? config.defaultOutputTokens() : model.maxOutput();
  }

  private ApiError exceeded(LineState state, long worst, Instant now) {
    BudgetLine line = state.line();
    long retryAfter = Math.max(1, line.resetAt().getEpochSecond() - now.getEpochSecond());
    return new ApiError(429, ApiError.RATE_LIMIT, EXCEEDED, null,
      "Budget exceeded: " + line.scope() + " " + line.period().wireName() + " limit $" + Money.usd(state.limitMicros())
        + ", spent $" + Money.usd(state.spentMicros()) + ", reserved by requests in flight $"
        + Money.usd(state.reservedMicros()) + ", this request needs up to $" + Money.usd(worst) + "; resets at "
        + line.resetAt(), retryAfter);
  }

  private static String requestUser(ChatRequest request) {
    return request.body().getValue("user") instanceof String user ? user : "";
  }

  /** A name fit for a store key and an error message: short printable ones as they are, others by digest. */
  static String scopeId(String name) {
    boolean plain = name.length() <= 64 && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':' && c != '|');
    return plain ? name : digest(name);
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
