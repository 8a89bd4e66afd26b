package io.switchboard.config;

import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Spend limits, enforced before every upstream call by reserving its worst-case cost.
 *
 * @param timezone             where calendar days and months begin and end
 * @param global               the whole gateway's spend
 * @param users                per user (the virtual key's user, else the request's {@code user} field)
 * @param teams                per team (the virtual key's team)
 * @param conversation         per conversation ({@code x-switchboard-conversation-id}), the same limit for each
 * @param maxRequestMicros     the most one request may cost at worst; 0 for no ceiling
 * @param defaultOutputTokens  output assumed for a request without {@code max_tokens}; 0 assumes the model's
 *                             {@code max_output}, the true worst case
 * @param reservationTtlMillis a reservation whose node died is released after this long
 * @param failOpen             whether requests go on, against a local share of each limit, while the store is
 *                             unreachable (false: they are refused with 503)
 * @param alertPercents        utilization percentages that raise an alert once per scope and period window
 * @param webhook              where alerts are also POSTed, if anywhere
 */
public record BudgetsConfig(ZoneId timezone, BudgetLimit global, Map<String, BudgetLimit> users,
                            Map<String, BudgetLimit> teams, BudgetLimit conversation, long maxRequestMicros,
                            long defaultOutputTokens, long reservationTtlMillis, boolean failOpen,
                            List<Integer> alertPercents, Optional<URI> webhook) {

  public BudgetsConfig {
    users = Map.copyOf(users);
    teams = Map.copyOf(teams);
    alertPercents = List.copyOf(alertPercents);
  }

  static BudgetsConfig from(ConfigReader r) {
    r.allowOnly(Set.of("timezone", "global", "users", "teams", "conversation", "max_request_usd",
      "default_output_tokens", "reservation_ttl_seconds", "on_store_failure", "alert_thresholds", "webhook_url"));
    ZoneId zone;
    try {
      zone = ZoneId.of(r.string("timezone", "UTC"));
    } catch (DateTimeException e) {
      throw new ConfigException(r.key("timezone") + ": not a time zone id (e.g. UTC, Europe/Paris)");
    }
    String onFailure = r.string("on_store_failure", "closed");
    if (!onFailure.equals("closed") && !onFailure.equals("open")) {
      throw new ConfigException(r.key("on_store_failure") + ": must be closed or open, got '" + onFailure + "'");
    }
    return new BudgetsConfig(zone, BudgetLimit.from(r.section("global")), limits(r, "users"), limits(r, "teams"),
      BudgetLimit.from(r.section("conversation")), BudgetLimit.micros(r, "max_request_usd"),
      r.longValue("default_output_tokens", 0, 0, 10_000_000),
      r.longValue("reservation_ttl_seconds", 900, 1, 7 * 86_400) * 1_000, onFailure.equals("open"),
      percents(r), webhook(r));
  }

  private static Map<String, BudgetLimit> limits(ConfigReader r, String name) {
    Map<String, BudgetLimit> limits = new LinkedHashMap<>();
    r.sections(name).forEach((id, section) -> limits.put(id, BudgetLimit.from(section)));
    return limits;
  }

  private static List<Integer> percents(ConfigReader r) {
    if (!r.has("alert_thresholds")) {
      return List.of(75, 90, 100);
    }
    return r.longList("alert_thresholds", 1, 1_000).stream().map(Long::intValue).distinct().sorted().toList();
  }

  private static Optional<URI> webhook(ConfigReader r) {
    String url = r.string("webhook_url", null);
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(r.key("webhook_url") + ": not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new ConfigException(r.key("webhook_url") + ": must be an http:// or https:// URL");
    }
    return Optional.of(uri);
  }

  /** The limits of a user: its own entry, else the {@code default} entry, else none. */
  public BudgetLimit user(String user) {
    return users.getOrDefault(user, users.getOrDefault("default", BudgetLimit.NONE));
  }

  /** The limits of a team: its own entry, else the {@code default} entry, else none. */
  public BudgetLimit team(String team) {
    return teams.getOrDefault(team, teams.getOrDefault("default", BudgetLimit.NONE));
  }
}
