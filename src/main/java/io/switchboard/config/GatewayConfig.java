package io.switchboard.config;

import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole, validated configuration. Built once at start; a problem fails start-up with a message that
 * names the key. Immutable and shared by every verticle of the process.
 */
public record GatewayConfig(ServerConfig server, Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                            Map<String, String> aliases, RoutingConfig routing, ResilienceConfig resilience,
                            Optional<RedisConfig> redis, BudgetsConfig budgets, AuthConfig auth,
                            AdminConfig admin, CacheConfig cache, EscalationConfig escalation,
                            LearningConfig learning, Map<String, ExperimentConfig> experiments,
                            ResponsesConfig responses, ScenariosConfig scenarios, SessionsConfig sessions,
                            ClassifierConfig classifier, AnalyticsConfig analytics) {

  public GatewayConfig {
    providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    aliases = Map.copyOf(aliases);
    experiments = Collections.unmodifiableMap(new LinkedHashMap<>(experiments));
  }

  public static GatewayConfig from(JsonObject json, Map<String, String> env) {
    ConfigReader root = new ConfigReader(json, "");
    root.allowOnly(Set.of("server", "providers", "models", "aliases", "routing", "resilience", "redis", "budgets",
      "auth", "admin", "cache", "escalation", "learning", "experiments", "responses", "scenarios", "sessions",
      "classifier", "analytics"));

    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    root.sections("providers").forEach((name, r) -> providers.put(name, ProviderConfig.from(name, r, env)));

    Map<String, ModelConfig> models = new LinkedHashMap<>();
    root.sections("models").forEach((id, r) -> {
      ModelConfig model = ModelConfig.from(id, r);
      if (!providers.containsKey(model.provider())) {
        throw new ConfigException(r.key("provider") + ": '" + model.provider() + "' is not defined under providers");
      }
      models.put(id, model);
    });
    if (models.isEmpty()) {
      throw new ConfigException("models: at least one model is required");
    }
    models.values().forEach(m -> m.fallbacks().forEach(f -> requireModel(models, "models." + m.id() + ".fallbacks", f)));

    Map<String, String> aliases = root.stringMap("aliases");
    aliases.forEach((alias, target) -> {
      requireModel(models, "aliases." + alias, target);
      if (models.containsKey(alias)) {
        throw new ConfigException("aliases." + alias + ": an alias cannot have the name of a model");
      }
    });

    RoutingConfig routing = RoutingConfig.from(root.section("routing"));
    requireModel(models, "routing.baseline_model", routing.baselineModel());
    routing.policies().values().forEach(policy -> {
      String at = "routing.policies." + policy.name();
      if (models.containsKey(policy.name()) || aliases.containsKey(policy.name())) {
        throw new ConfigException(at + ": a policy cannot have the name of a model or alias");
      }
      policy.modelReferences().forEach((key, model) -> requireModel(models, at + "." + key, model));
    });
    Map<String, ExperimentConfig> experiments = experiments(root, models, aliases, routing);
    return new GatewayConfig(ServerConfig.from(root.section("server")), providers, models, aliases, routing,
      ResilienceConfig.from(root.section("resilience")),
      root.has("redis") ? Optional.of(RedisConfig.from(root.section("redis"), env)) : Optional.empty(),
      BudgetsConfig.from(root.section("budgets")), AuthConfig.from(root.section("auth")),
      AdminConfig.from(root.section("admin"), env), CacheConfig.from(root.section("cache")),
      EscalationConfig.from(root.section("escalation")), LearningConfig.from(root.section("learning")), experiments,
      ResponsesConfig.from(root.section("responses")), ScenariosConfig.from(root.section("scenarios")),
      SessionsConfig.from(root.section("sessions")), ClassifierConfig.from(root.section("classifier")),
      AnalyticsConfig.from(root.section("analytics"), env));
  }

  /** Each experiment intercepts a name clients can ask for, one experiment per name, and splits it over policies. */
  private static Map<String, ExperimentConfig> experiments(ConfigReader root, Map<String, ModelConfig> models,
                                                           Map<String, String> aliases, RoutingConfig routing) {
    Map<String, ExperimentConfig> experiments = new LinkedHashMap<>();
    Map<String, String> intercepted = new LinkedHashMap<>();
    root.sections("experiments").forEach((name, r) -> {
      ExperimentConfig experiment = ExperimentConfig.from(name, r);
      String model = experiment.model();
      if (!model.equals("auto") && !routing.policies().containsKey(model) && !models.containsKey(model)
        && !aliases.containsKey(model)) {
        throw new ConfigException(r.key("model") + ": '" + model + "' is not a policy, model or alias");
      }
      experiment.arms().forEach(arm -> {
        if (!routing.policies().containsKey(arm.policy())) {
          throw new ConfigException(r.key("arms") + "." + arm.name() + ".policy: '" + arm.policy()
            + "' is not a policy under routing.policies");
        }
      });
      if (experiment.enabled() && intercepted.putIfAbsent(model, name) != null) {
        throw new ConfigException(r.key("model") + ": experiment '" + intercepted.get(model) + "' already splits '"
          + model + "'");
      }
      experiments.put(name, experiment);
    });
    return experiments;
  }

  private static void requireModel(Map<String, ModelConfig> models, String key, String id) {
    if (!models.containsKey(id)) {
      throw new ConfigException(key + ": '" + id + "' is not a model under models");
    }
  }

  public Optional<ModelConfig> model(String idOrAlias) {
    ModelConfig direct = models.get(idOrAlias);
    return direct != null ? Optional.of(direct) : Optional.ofNullable(aliases.get(idOrAlias)).map(models::get);
  }

  public ProviderConfig providerOf(ModelConfig model) {
    return providers.get(model.provider());
  }

  public ModelConfig baseline() {
    return models.get(routing.baselineModel());
  }
}
