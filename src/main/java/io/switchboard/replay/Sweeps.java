package io.switchboard.replay;

import io.switchboard.route.NoRouteException;
import io.switchboard.route.RouteRequest;
import io.switchboard.route.Router;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The routing knobs a replay sweeps, each a list of settings from cheapest to most expensive. */
final class Sweeps {

  /** One value of a knob and the routing it gives. */
  record Setting(String knob, Assigner assigner) {
  }

  /** A knob: {@code method} names it in the report and the CSV. */
  record Family(String method, String description, List<Setting> settings) {
  }

  /** Name under which generated decision tables are handed to the router. */
  static final String GENERATED_POLICY = "replay:calibrated";
  private static final int FLOOR_STEPS = 50;
  private static final int RANDOM_STEPS = 20;

  private Sweeps() {
  }

  /** Weak when p_cheap_ok >= t, over every value the classifier gave plus one above them all (all strong). */
  static Family threshold(List<Replayed> prompts, String strong, String weak) {
    TreeSet<Double> values = new TreeSet<>();
    prompts.forEach(p -> values.add(p.classification().pCheapOk()));
    List<Setting> settings = new ArrayList<>();
    for (double t : values) {
      settings.add(new Setting("p_cheap_ok>=" + fmt(t), new PCheapOkThreshold(strong, weak, t)));
    }
    settings.add(new Setting("all strong", new PCheapOkThreshold(strong, weak, Double.POSITIVE_INFINITY)));
    return new Family("threshold", "the heuristic classifier's p_cheap_ok >= t goes to " + weak + ", the rest to "
      + strong, settings);
  }

  /** A fair coin per prompt (a hash of its id): share s of the prompts to the strong model. */
  static Family random(String strong, String weak) {
    List<Setting> settings = new ArrayList<>();
    for (int i = 0; i <= RANDOM_STEPS; i++) {
      double share = (double) i / RANDOM_STEPS;
      settings.add(new Setting("share=" + fmt(share), p -> Split.coin(p.item().id()) < share ? strong : weak));
    }
    return new Family("random", "each prompt to " + strong + " with probability s (a hash of its id)", settings);
  }

  /**
   * Per group, the cheapest model whose calibration mean is >= q x the best one's, for q from 0.50 to 1.00, then all
   * strong. Groups are the data's categories when every prompt has one (handled here), else the classifier's task
   * types, handed to the router as a generated decision table.
   */
  static Family qualityFloor(List<Replayed> calibration, List<Replayed> all, List<String> models, Costs costs,
                             String strong, ReplayConfig config) {
    boolean byCategory = all.stream().allMatch(p -> p.item().category() != null);
    QualityFloor floor = new QualityFloor(calibration,
      byCategory ? p -> p.item().category() : p -> p.classification().taskType().wireName(), models, costs);
    List<Setting> settings = new ArrayList<>();
    if (models.size() == 2) {
      // the all-weak end of the curve, which q = 0.50 need not reach
      String weak = models.stream().filter(m -> !m.equals(strong)).findFirst().orElseThrow();
      settings.add(new Setting("all weak", p -> weak));
    }
    for (int i = 0; i <= FLOOR_STEPS; i++) {
      double q = 0.5 + 0.5 * i / FLOOR_STEPS;
      Map<String, String> table = floor.table(q);
      settings.add(new Setting("q=" + fmt(q), byCategory
        ? p -> table.getOrDefault(p.item().category(), table.get(QualityFloor.ALL))
        : policy(config, table)));
    }
    settings.add(new Setting("all strong", p -> strong));
    return new Family(byCategory ? "per-category" : "per-task-type",
      "per " + (byCategory ? "category" : "task type (a decision table routed by the router)")
        + ", the cheapest model whose calibration mean is >= q x the best model's", settings);
  }

  /**
   * Not a router but the bound on any router with these models and prices: per prompt, the cheapest model whose own
   * outcome on it is >= q x the strong model's, knowing every outcome.
   */
  static Family oracle(List<String> models, Costs costs, String strong) {
    List<Setting> settings = new ArrayList<>();
    for (int i = 0; i <= FLOOR_STEPS; i++) {
      double q = 0.5 + 0.5 * i / FLOOR_STEPS;
      settings.add(new Setting("q=" + fmt(q), p -> {
        double floor = q * p.item().outcomes().get(strong) - 1e-9;
        return models.stream().filter(m -> p.item().outcomes().get(m) >= floor)
          .min(Comparator.comparingLong(m -> costs.picoUsd(p, m))).orElse(strong);
      }));
    }
    return new Family("oracle", "not a router, the bound for any: per prompt, the cheapest model scoring >= q x "
      + strong + " on that prompt, knowing every score", settings);
  }

  /** Each model alone. */
  static Family single(List<String> models) {
    return new Family("single", "every prompt to one model",
      models.stream().map(m -> new Setting(m, p -> m)).toList());
  }

  /** The router deciding with a decision table: {@code table} maps task types to models, {@code ""} the default. */
  static Assigner policy(ReplayConfig config, Map<String, String> table) {
    JsonObject taskTypes = new JsonObject();
    table.forEach((type, model) -> {
      if (!type.equals(QualityFloor.ALL)) {
        taskTypes.put(type, new JsonObject().put("primary", model));
      }
    });
    JsonObject policy = new JsonObject()
      .put("description", "generated by replay from the calibration split")
      .put("default", new JsonObject().put("primary", table.get(QualityFloor.ALL)))
      .put("task_types", taskTypes);
    return byRouter(new Router(config.withPolicy(GENERATED_POLICY, policy).config()), GENERATED_POLICY);
  }

  /** What {@link Router#decide} picks for the request's classification under {@code policy}. */
  static Assigner byRouter(Router router, String policy) {
    return p -> {
      try {
        return router.decide(new RouteRequest(policy, p.classification(), p.item().maxTokens())).model();
      } catch (NoRouteException e) {
        throw new ReplayException("prompt " + p.item().id() + ": " + e.getMessage());
      }
    };
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
