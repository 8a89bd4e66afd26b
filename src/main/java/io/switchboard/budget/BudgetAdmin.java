package io.switchboard.budget;

import io.switchboard.auth.Caller;
import io.switchboard.auth.VirtualKey;
import io.switchboard.auth.VirtualKeys;
import io.switchboard.config.BudgetsConfig;
import io.switchboard.cost.Money;
import io.switchboard.limit.Limits;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /admin/budgets}: every configured or overridden budget with its spend in the current day and month;
 * {@code PUT /admin/budgets}: sets (or with {@code limit_usd: null} removes) a limit that overrides the
 * configuration on every instance sharing the store.
 */
public final class BudgetAdmin {

  private static final Pattern SCOPE = Pattern.compile("global|(key|user|team):[\\x21-\\x7e&&[^:|]]{1,64}");
  private static final Set<String> PUT_FIELDS = Set.of("scope", "period", "limit_usd");

  private final Budgets budgets;
  private final VirtualKeys keys;
  private final Clock clock;

  public BudgetAdmin(Budgets budgets, VirtualKeys keys, Clock clock) {
    this.budgets = budgets;
    this.keys = keys;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/admin/budgets").handler(this::list);
    router.put("/admin/budgets").handler(BodyHandler.create(false).setBodyLimit(16 * 1024)).handler(this::put);
  }

  private void list(RoutingContext ctx) {
    Set<String> asked = new LinkedHashSet<>(ctx.queryParam("scope"));
    for (String scope : asked) {
      requireScope(scope);
    }
    budgets.store().limitOverrides()
      .compose(overrides -> {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(Budgets.GLOBAL);
        BudgetsConfig config = budgets.config();
        config.users().keySet().stream().filter(u -> !u.equals("default")).forEach(u -> scopes.add("user:" + u));
        config.teams().keySet().stream().filter(t -> !t.equals("default")).forEach(t -> scopes.add("team:" + t));
        overrides.keySet().forEach(field -> scopes.add(field.substring(0, field.lastIndexOf('|'))));
        if (!asked.isEmpty()) {
          scopes.retainAll(asked);
          scopes.addAll(asked);
        }
        return read(new ArrayList<>(scopes), overrides);
      })
      .onSuccess(lines -> json(ctx, 200, new JsonObject()
        .put("budgets", lines)
        .put("global_utilization", Math.round(budgets.globalUtilization() * 10_000) / 10_000.0)))
      .onFailure(ctx::fail);
  }

  private void put(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      throw ApiError.invalid("invalid_json", null, "The request body is empty: send a JSON object").exception();
    }
    JsonObject body = StrictJson.parseObject(raw);
    for (String field : body.fieldNames()) {
      if (!PUT_FIELDS.contains(field)) {
        throw ApiError.invalid("invalid_value", field, "Unknown field '" + field + "' (expected scope, period, limit_usd)")
          .exception();
      }
    }
    if (!(body.getValue("scope") instanceof String scope)) {
      throw ApiError.invalid("missing_required_parameter", "scope", "scope is required: global, key:ID, user:NAME or team:NAME")
        .exception();
    }
    requireScope(scope);
    Period period;
    try {
      period = body.getValue("period") instanceof String p ? Period.fromWireName(p) : null;
    } catch (IllegalArgumentException e) {
      period = null;
    }
    if (period == null) {
      throw ApiError.invalid("invalid_value", "period", "period must be daily or monthly").exception();
    }
    if (!body.containsKey("limit_usd")) {
      throw ApiError.invalid("missing_required_parameter", "limit_usd", "limit_usd is required (null removes the override)")
        .exception();
    }
    Object limit = body.getValue("limit_usd");
    long micros;
    if (limit == null) {
      micros = -1;
    } else if (limit instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1e9) {
      micros = Math.round(n.doubleValue() * 1_000_000);
    } else {
      throw ApiError.invalid("invalid_value", "limit_usd", "limit_usd must be a number of dollars from 0 to 1e9, or null")
        .exception();
    }
    Period chosen = period;
    budgets.store().setLimit(scope, chosen, micros)
      .compose(done -> budgets.store().limitOverrides())
      .compose(overrides -> read(List.of(scope), overrides))
      .onSuccess(lines -> json(ctx, 200, new JsonObject().put("budgets", lines)))
      .onFailure(ctx::fail);
  }

  /** Both periods of each scope, in their current windows. */
  private Future<JsonArray> read(List<String> scopes, Map<String, Long> overrides) {
    Instant now = clock.instant();
    List<Future<List<BudgetLine>>> perScope = new ArrayList<>();
    for (String scope : scopes) {
      perScope.add(scopeCaller(scope).map(caller -> budgets.lines(caller, userOf(scope), now).stream()
        .filter(line -> line.scope().equals(scope)).toList()));
    }
    return Future.all(perScope).compose(all -> {
      List<BudgetLine> lines = new ArrayList<>();
      for (int i = 0; i < scopes.size(); i++) {
        lines.addAll(all.<List<BudgetLine>>resultAt(i));
      }
      return states(lines, overrides);
    });
  }

  private Future<JsonArray> states(List<BudgetLine> lines, Map<String, Long> overrides) {
    return budgets.store().read(lines).map(states -> {
      JsonArray array = new JsonArray();
      for (LineState state : states) {
        BudgetLine line = state.line();
        boolean overridden = overrides.containsKey(line.limitField());
        array.add(new JsonObject()
          .put("scope", line.scope())
          .put("period", line.period().wireName())
          .put("window", line.window())
          .put("limit_usd", state.limited() ? Money.usd(state.limitMicros()) : null)
          .put("limit_source", overridden ? "override" : state.limited() ? "config" : "none")
          .put("spent_usd", Money.usd(state.spentMicros()))
          .put("reserved_usd", Money.usd(state.reservedMicros()))
          .put("utilization", Math.round(state.utilization() * 10_000) / 10_000.0)
          .put("resets_at", line.resetAt().toString()));
      }
      return array;
    });
  }

  /** A caller whose requests spend against {@code scope} (and global): a key's own, with its budget. */
  private Future<Caller> scopeCaller(String scope) {
    String name = scope.substring(scope.indexOf(':') + 1);
    if (scope.startsWith("key:")) {
      return keys.find(name).map(key -> key.map(VirtualKey::toCaller)
        .orElseGet(() -> new Caller(name, "", "", Set.of(), Limits.NONE, 0, 0)));
    }
    return Future.succeededFuture(scope.startsWith("team:")
      ? new Caller("", "", name, Set.of(), Limits.NONE, 0, 0) : Caller.ANONYMOUS);
  }

  private static String userOf(String scope) {
    return scope.startsWith("user:") ? scope.substring("user:".length()) : "";
  }

  private static void requireScope(String scope) {
    if (!SCOPE.matcher(scope).matches()) {
      throw ApiError.invalid("invalid_value", "scope",
        "scope must be global, key:ID, user:NAME or team:NAME (NAME: up to 64 printable characters, no ':' or '|')")
        .exception();
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
