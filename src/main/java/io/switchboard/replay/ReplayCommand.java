package io.switchboard.replay;

import io.switchboard.classify.Classification;
import io.switchboard.classify.Classifier;
import io.switchboard.classify.PromptText;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.GatewayConfig;
import io.switchboard.route.RouteDecision;
import io.switchboard.route.Router;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code switchboard replay}: runs a workload through classification and routing, offline, and reports where it
 * went, what it cost against the baseline model and, when the input carries per-model outcomes, how much quality
 * was kept along the cost/quality curve of the policy's knob. No upstream is called.
 */
public final class ReplayCommand {

  /** The policy name that means "the swept knob at the setting chosen on the calibration split". */
  static final String CALIBRATED = "calibrated";

  private ReplayCommand() {
  }

  /** Runs a replay; returns the exit code: 0, or 2 with one line on {@code err} naming what is wrong. */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      ReplayOptions options = ReplayOptions.parse(args);
      Progress progress = new Progress(err,
        options.progress() != null ? options.progress() : Progress.stderrIsTerminal());
      ReplayResult result = replay(options, env, progress);
      out.print(ReplayReport.text(result));
      out.flush();
      if (options.csv() != null) {
        try {
          Files.writeString(options.csv(), ReplayReport.csv(result), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new ReplayException(options.csv() + ": cannot be written (" + e.getClass().getSimpleName() + ")");
        }
      }
      return 0;
    } catch (ReplayException | ConfigException e) {
      err.println("switchboard replay: " + e.getMessage());
      return 2;
    }
  }

  static ReplayResult replay(ReplayOptions options, Map<String, String> env, Progress progress) {
    try (ReplayClassifier classifier = ReplayClassifier.load(options.classifier(), options.model())) {
      return replay(options, env, progress, classifier);
    }
  }

  private static ReplayResult replay(ReplayOptions options, Map<String, String> env, Progress progress,
                                     ReplayClassifier classifier) {
    Workload read = Workloads.read(options.input(), options.keepContaminated());
    // prompts of the MMLU subjects that trained p_cheap_ok would flatter it: an honest replay leaves them out
    List<ReplayItem> kept = read.items().stream()
      .filter(i -> i.category() == null || !classifier.trainingSubjects().contains(i.category())).toList();
    Workload workload = new Workload(read.name(), kept, read.excluded(), read.strong(), read.outcomeModels(),
      read.outputNote());
    String classifierNote = classifier.note() + (kept.size() < read.items().size()
      ? "; " + (read.items().size() - kept.size()) + " prompts of the MMLU subjects that trained it left out" : "");
    if (kept.isEmpty()) {
      throw new ReplayException("every prompt of " + read.name() + " trained the p_cheap_ok head");
    }
    boolean dataSet = !workload.outcomeModels().isEmpty();
    ReplayConfig replayConfig;
    String origin;
    String strong;
    if (dataSet) {
      if (!options.configArgs().isEmpty()) {
        throw new ReplayException(options.configArgs().get(0) + ": the gateway configuration is for request "
          + "workloads; the shared data's models and prices come from --prices");
      }
      PriceList prices = PriceList.load(options.prices());
      strong = options.baseline() != null ? options.baseline()
        : workload.strong() != null ? workload.strong() : bestOnCalibration(workload);
      if (!workload.outcomeModels().contains(strong)) {
        throw new ReplayException("--baseline: '" + strong + "' has no outcomes in " + workload.name());
      }
      replayConfig = ReplayConfig.fromPrices(prices, workload.outcomeModels(), strong);
      origin = "prices " + prices.origin();
    } else {
      replayConfig = ReplayConfig.fromGateway(ConfigLoader.load(options.configArgs(), env),
        options.prices() == null ? null : PriceList.load(options.prices()));
      strong = options.baseline() != null ? options.baseline() : replayConfig.config().routing().baselineModel();
      if (replayConfig.config().model(strong).isEmpty()) {
        throw new ReplayException("--baseline: '" + strong + "' is not a model of the configuration");
      }
      origin = "gateway configuration" + (options.prices() == null ? "" : " with prices from " + options.prices());
    }
    GatewayConfig config = replayConfig.config();
    long assumed = options.outputTokens() > 0 ? options.outputTokens() : config.routing().defaultOutputTokens();
    Costs costs = new Costs(config, assumed);

    List<Replayed> prompts = classify(workload, classifier.classifier(), options.split(), progress);
    List<String> outcomeModels = dataSet ? workload.outcomeModels() : commonOutcomes(prompts, config);
    if (options.weak() != null) {
      if (!outcomeModels.contains(options.weak()) || options.weak().equals(strong)) {
        throw new ReplayException("--weak: '" + options.weak() + "' has no outcomes in " + workload.name()
          + " or is the baseline");
      }
      outcomeModels = List.of(options.weak(), strong);
    }
    boolean scored = outcomeModels.size() >= 2 && outcomeModels.contains(strong);
    String weak = scored && outcomeModels.size() == 2
      ? outcomeModels.stream().filter(m -> !m.equals(strong)).findFirst().orElseThrow() : null;
    boolean split = scored && options.split();
    List<Replayed> calibration = split ? prompts.stream().filter(Replayed::calibration).toList() : prompts;
    List<Replayed> reported = split ? prompts.stream().filter(p -> !p.calibration()).toList() : prompts;
    if (scored && (calibration.isEmpty() || reported.isEmpty())) {
      throw new ReplayException("the split leaves " + calibration.size() + " calibration and " + reported.size()
        + " held-out prompts; use --split none for so few");
    }

    List<ReplayResult.FamilyResult> families = new ArrayList<>();
    if (scored) {
      List<Sweeps.Family> knobs = weak != null
        ? List.of(Sweeps.threshold(prompts, strong, weak, replayConfig, classifier.name()),
          Sweeps.random(strong, weak),
          Sweeps.qualityFloor(calibration, prompts, outcomeModels, costs, strong, replayConfig))
        : List.of(Sweeps.qualityFloor(calibration, prompts, outcomeModels, costs, strong, replayConfig),
          Sweeps.oracle(outcomeModels, costs, strong), Sweeps.single(outcomeModels));
      families = sweep(knobs, calibration, reported, costs, strong, options.target(), progress);
    }

    String policy = options.policy() != null ? options.policy() : dataSet ? CALIBRATED : "auto";
    Assigner assigner;
    String note;
    // decisions that may call more models: escalation tiers, review steps (without answers, not replayed)
    int[] followUps = new int[2];
    if (policy.equals(CALIBRATED)) {
      if (families.isEmpty()) {
        throw new ReplayException("--policy calibrated needs per-model outcomes for the baseline and one more model");
      }
      ReplayResult.FamilyResult first = families.get(0);
      Sweeps.Setting chosen = first.family().settings().get(first.chosen());
      assigner = chosen.assigner();
      note = first.family().method() + " at " + chosen.knob() + ", chosen on the "
        + (split ? "calibration split" : "same prompts (--split none)") + " as the cheapest setting keeping >= "
        + ReplayReport.percent(options.target()) + " of " + strong + "'s quality";
    } else {
      if (config.model(policy).isEmpty() && !config.routing().policies().containsKey(policy) && !policy.equals("auto")) {
        throw new ReplayException("--policy: '" + policy + "' is not a policy or model of the " + origin);
      }
      Router router = new Router(config);
      assigner = p -> {
        RouteDecision decision = Sweeps.decide(router, policy, p);
        followUps[0] += decision.escalation().isEmpty() ? 0 : 1;
        followUps[1] += decision.pipeline() == null ? 0 : 1;
        return decision.model();
      };
      note = config.model(policy).isPresent() ? "every prompt to this model" : "policy of the " + origin;
    }
    Map<String, Integer> taskTypes = new TreeMap<>();
    reported.forEach(p -> taskTypes.merge(p.classification().taskType().wireName(), 1, Integer::sum));
    Tally tally = Tally.of(reported, assigner, costs, strong);
    return new ReplayResult(workload, origin, strong, weak, scored ? outcomeModels : List.of(), split,
      calibration.size(), reported.size(), assumed, options.target(), taskTypes, policy, note, tally, followUps[0],
      followUps[1], families, classifier.name(), classifierNote);
  }

  /** Each knob's settings on both splits; the operating point is chosen on the calibration split. */
  private static List<ReplayResult.FamilyResult> sweep(List<Sweeps.Family> knobs, List<Replayed> calibration,
                                                       List<Replayed> reported, Costs costs, String strong,
                                                       double target, Progress progress) {
    List<ReplayResult.FamilyResult> families = new ArrayList<>();
    progress.start("sweeping", knobs.stream().mapToLong(k -> k.settings().size()).sum());
    for (Sweeps.Family knob : knobs) {
      List<Curve.Point> onCalibration = new ArrayList<>();
      List<Curve.Point> onHeldOut = new ArrayList<>();
      for (Sweeps.Setting setting : knob.settings()) {
        onCalibration.add(new Curve.Point(setting.knob(), Tally.of(calibration, setting.assigner(), costs, strong)));
        onHeldOut.add(new Curve.Point(setting.knob(), Tally.of(reported, setting.assigner(), costs, strong)));
        progress.step();
      }
      double floor = target * onCalibration.get(0).tally().strongQuality();
      families.add(new ReplayResult.FamilyResult(knob, onCalibration, onHeldOut,
        Curve.operatingPoint(onCalibration, floor)));
    }
    progress.finish();
    return families;
  }

  private static List<Replayed> classify(Workload workload, Classifier classifier, boolean split,
                                         Progress progress) {
    List<Replayed> prompts = new ArrayList<>(workload.items().size());
    progress.start("classifying", workload.items().size());
    for (ReplayItem item : workload.items()) {
      Classification c = classifier.classify(PromptText.of(item.request()));
      long promptTokens = item.promptTokens() >= 0 ? item.promptTokens() : c.features().promptTokens();
      prompts.add(new Replayed(item, c, promptTokens, !split || Split.calibration(item.id())));
      progress.step();
    }
    progress.finish();
    return prompts;
  }

  /** Models of the configuration that every prompt has an outcome for (chat workloads). */
  private static List<String> commonOutcomes(List<Replayed> prompts, GatewayConfig config) {
    return config.models().keySet().stream()
      .filter(m -> prompts.stream().allMatch(p -> p.item().outcomes().containsKey(m)))
      .toList();
  }

  /** The model with the highest mean outcome on the calibration split. */
  private static String bestOnCalibration(Workload workload) {
    List<ReplayItem> calibration = workload.items().stream().filter(i -> Split.calibration(i.id())).toList();
    return workload.outcomeModels().stream()
      .max(Comparator.comparingDouble(m -> calibration.stream().mapToDouble(i -> i.outcomes().get(m)).sum()))
      .orElseThrow();
  }
}
