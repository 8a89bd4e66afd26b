package io.switchboard.auth;

import io.switchboard.cost.Money;
import io.switchboard.limit.Limits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A virtual key as stored: everything but its secret, which is kept only as a digest (see {@link KeySecrets}).
 *
 * @param id                  public id ({@code vk_...}): names the key in lists, logs and {@link Caller#keyId()}
 * @param user                the key's user, "" when none
 * @param team                the key's team, "" when none
 * @param models              model ids, aliases or policies the key may ask for; empty allows all
 * @param dailyBudgetMicros   daily budget in micro-dollars, 0 when none
 * @param monthlyBudgetMicros monthly budget in micro-dollars, 0 when none
 */
public record VirtualKey(String id, String name, String user, String team, List<String> models, long dailyBudgetMicros,
                         long monthlyBudgetMicros, Limits limits, Instant createdAt, boolean revoked) {

  public VirtualKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    models = List.copyOf(models);
  }

  public VirtualKey asRevoked() {
    return new VirtualKey(id, name, user, team, models, dailyBudgetMicros, monthlyBudgetMicros, limits, createdAt, true);
  }

  public Caller toCaller() {
    return new Caller(id, user, team, new LinkedHashSet<>(models), limits, dailyBudgetMicros, monthlyBudgetMicros);
  }

  /** The admin API's view: the key's metadata in the shape it was created with, amounts in exact dollars. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id)
      .put("name", name)
      .put("user", user.isEmpty() ? null : user)
      .put("team", team.isEmpty() ? null : team)
      .put("models", new JsonArray(models))
      .put("budget", new JsonObject()
        .put("daily_usd", dailyBudgetMicros == 0 ? null : Money.usd(dailyBudgetMicros))
        .put("monthly_usd", monthlyBudgetMicros == 0 ? null : Money.usd(monthlyBudgetMicros)))
      .put("limits", new JsonObject()
        .put("requests_per_minute", orNull(limits.requestsPerMinute()))
        .put("input_tokens_per_minute", orNull(limits.inputTokensPerMinute()))
        .put("output_tokens_per_minute", orNull(limits.outputTokensPerMinute())))
      .put("created_at", createdAt.toString())
      .put("revoked", revoked);
  }

  /** The stored form, without the revocation, which stores keep apart so that revoking never rewrites this. */
  public JsonObject toStorageJson() {
    return new JsonObject()
      .put("id", id)
      .put("name", name)
      .put("user", user)
      .put("team", team)
      .put("models", new JsonArray(models))
      .put("daily_budget_micros", dailyBudgetMicros)
      .put("monthly_budget_micros", monthlyBudgetMicros)
      .put("requests_per_minute", limits.requestsPerMinute())
      .put("input_tokens_per_minute", limits.inputTokensPerMinute())
      .put("output_tokens_per_minute", limits.outputTokensPerMinute())
      .put("created_at", createdAt.toString());
  }

  public static VirtualKey fromStorageJson(JsonObject json, boolean revoked) {
    List<String> models = json.getJsonArray("models", new JsonArray()).stream().map(String.class::cast).toList();
    return new VirtualKey(json.getString("id"), json.getString("name"), json.getString("user", ""),
      json.getString("team", ""), models, json.getLong("daily_budget_micros", 0L),
      json.getLong("monthly_budget_micros", 0L),
      new Limits(json.getLong("requests_per_minute", 0L), json.getLong("input_tokens_per_minute", 0L),
        json.getLong("output_tokens_per_minute", 0L)),
      Instant.parse(json.getString("created_at")), revoked);
  }

  private static Long orNull(long perMinute) {
    return perMinute == 0 ? null : perMinute;
  }
}
