package io.switchboard.classify.train;

import io.switchboard.classify.CheapOkHead;
import io.switchboard.classify.Classification;
import io.switchboard.classify.ClassifyRequest;
import io.switchboard.classify.ModelInput;
import io.switchboard.classify.PromptText;
import io.switchboard.classify.StaticModel;
import io.switchboard.classify.StaticModelClassifier;
import io.switchboard.classify.TaskType;
import io.switchboard.replay.Evaluation;
import io.switchboard.replay.OutcomeData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code p_cheap_ok} step of {@code train-classifier}: a logistic regression over the tier-1 model's outputs and
 * the prompt's size, trained on RouteLLM's MMLU outcomes (half of the subjects) and arena-bench-v1's judge scores
 * (replay's calibration half), gated per task type on held-out prompts ({@link CheapOkGate}), then evaluated by
 * replay on what training never saw: the other MMLU subjects, arena-bench's held-out half and GSM8K.
 */
final class CheapOkTraining {

  static final String HEAD_FILE = "static/" + CheapOkHead.FILE;
  static final String GOLDEN_FILE = "static/cheap-ok-golden.jsonl";
  static final String STRONG = "gpt-4-1106-preview";
  static final String WEAK = "mistralai/Mixtral-8x7B-Instruct-v0.1";
  /** arena-bench's cheap tier: models whose mean of input and output price is at most this share of the strong's. */
  static final double CHEAP_PRICE_SHARE = 0.1;
  /** A task type needs this many training rows for a per-category value of its own, else the overall rate. */
  static final int MIN_RULE_ROWS = 30;
  static final int GOLDEN = 12;

  /** One training row. */
  private record Row(float[] x, int label, String group, TaskType predicted) {
  }

  /** A held-out prompt's classification and outcomes. */
  private record Scored(OutcomeData.Prompt prompt, Classification classification) {
  }

  /** What the step measured, for the model card. */
  record Result(int mmluRows, int arenaRows, List<String> cheapModels, double positiveShare,
                CrossValidation.Choice l2, Set<String> trainingSubjects, Set<String> heldOutSubjects,
                Map<TaskType, CheapOkGate.Decision> gate, Map<TaskType, Double> rule, CheapOkHead head,
                Map<String, Evaluation.Result> evaluations) {
  }

  private CheapOkTraining() {
  }

  /** An MMLU subject trains the head when the first byte of the SHA-256 of its name is even; the rest are held out. */
  static boolean trainingSubject(String subject) {
    return Integer.parseInt(TrainingData.hash("p_cheap_ok subject:" + subject).substring(0, 2), 16) % 2 == 0;
  }

  static Result run(StaticModel model, ModelInput input, Path data, Path seed, Path out, PrintStream log)
    throws IOException {
    StaticModelClassifier classifier = new StaticModelClassifier(model, input, 0);
    List<Scored> mmlu = scored(classifier, OutcomeData.read(data, "mmlu"));
    List<Scored> arena = scored(classifier, OutcomeData.read(data, "arena-bench-v1"));
    List<String> cheap = OutcomeData.cheapModels(STRONG, CHEAP_PRICE_SHARE);

    List<Row> rows = new ArrayList<>();
    Set<String> trainingSubjects = new TreeSet<>();
    Set<String> heldOutSubjects = new TreeSet<>();
    for (Scored s : mmlu) {
      String subject = s.prompt().category();
      if (trainingSubject(subject)) {
        trainingSubjects.add(subject);
        // cheap ok: Mixtral was right, or GPT-4 was wrong too (its answer is no better)
        rows.add(row(s, s.prompt().outcomes().get(WEAK) >= s.prompt().outcomes().get(STRONG), "mmlu:" + subject));
      } else {
        heldOutSubjects.add(subject);
      }
    }
    int mmluRows = rows.size();
    for (Scored s : arena) {
      if (s.prompt().calibration()) {
        for (String cheapModel : cheap) {
          // cheap ok: the judge scored the cheap answer at least as high as the strong model's
          rows.add(row(s, s.prompt().outcomes().get(cheapModel) >= s.prompt().outcomes().get(STRONG),
            "arena:" + s.prompt().id()));
        }
      }
    }
    int arenaRows = rows.size() - mmluRows;
    float[][] x = rows.stream().map(Row::x).toArray(float[][]::new);
    int[] y = rows.stream().mapToInt(Row::label).toArray();
    int[] folds = rows.stream().mapToInt(r -> Integer.parseInt(TrainingData.hash("fold:" + r.group())
      .substring(0, 6), 16) % TrainCommand.FOLDS).toArray();
    long positives = rows.stream().filter(r -> r.label() == 1).count();
    log.printf(Locale.ROOT, "p_cheap_ok: %d rows (%d MMLU of %d subjects, %d arena-bench), %.1f %% cheap ok%n",
      rows.size(), mmluRows, trainingSubjects.size(), arenaRows, 100.0 * positives / rows.size());
    CrossValidation.Choice l2 = CrossValidation.choose(x, y, folds, 2, "p_cheap_ok", log);
    SoftmaxRegression fit = SoftmaxRegression.train(x, y, 2, l2.best(), TrainCommand.EPOCHS);
    float[] w = fit.exportWeights();
    float[] b = fit.exportBias();
    double[] weights = new double[CheapOkHead.FEATURES.size()];
    for (int j = 0; j < weights.length; j++) {
      weights[j] = (double) w[j * 2 + 1] - w[j * 2];
    }
    // the classes were weighted to equal totals in training: move the intercept back to the data's own odds
    double bias = (double) b[1] - b[0] + Math.log(positives / (double) (rows.size() - positives));

    Map<TaskType, Double> rule = rule(rows);
    CheapOkHead ungated = CheapOkHead.of(weights, bias, rule, Set.of(), new JsonObject()).ungated();
    // the gate: the held-out MMLU subjects' calibration half, so replay's held-out half stays unseen (and GSM8K
    // stays evaluation-only)
    Map<TaskType, List<CheapOkGate.Outcome>> byType = new EnumMap<>(TaskType.class);
    for (Scored s : mmlu) {
      if (s.prompt().calibration() && !trainingSubject(s.prompt().category())) {
        Classification c = s.classification();
        byType.computeIfAbsent(c.taskType(), t -> new ArrayList<>()).add(new CheapOkGate.Outcome(
          ungated.learned(c.taskProbabilities(), c.complexityProbabilities(), c.features()),
          s.prompt().outcomes().get(WEAK), s.prompt().outcomes().get(STRONG)));
      }
    }
    Map<TaskType, CheapOkGate.Decision> gate = CheapOkGate.decide(byType);
    Set<TaskType> learned = gate.entrySet().stream().filter(e -> e.getValue().learned()).map(Map.Entry::getKey)
      .collect(Collectors.toCollection(() -> EnumSet.noneOf(TaskType.class)));
    gate.forEach((type, d) -> log.printf(Locale.ROOT, "  gate %s: %d held-out calibration prompts, APGR %.3f -> %s%n",
      type.wireName(), d.prompts(), d.apgr(), d.learned() ? "learned" : "rule"));

    CheapOkHead head = CheapOkHead.of(weights, bias, rule, learned, provenance(l2, trainingSubjects, cheap,
      mmluRows, arenaRows, gate));
    Path headFile = out.resolve(HEAD_FILE);
    Files.createDirectories(headFile.getParent());
    Files.writeString(headFile, head.toJson().encodePrettily() + "\n", StandardCharsets.UTF_8);
    Files.write(out.resolve(GOLDEN_FILE), golden(seed, classifier, head), StandardCharsets.UTF_8);
    log.printf("wrote %s%n", headFile);

    Map<String, Evaluation.Result> evaluations = new LinkedHashMap<>();
    String modelFile = out.resolve(TrainCommand.MODEL_FILE).toString();
    for (String set : List.of("mmlu", "gsm8k", "arena-bench-v1")) {
      for (String tier : List.of("learned", "static")) {
        List<String> args = new ArrayList<>(List.of("--input", set, "--data", data.toString(), "--classifier", tier,
          "--model", modelFile, "--no-progress"));
        if (set.equals("arena-bench-v1")) {
          args.addAll(List.of("--baseline", STRONG, "--weak", WEAK));
        }
        Evaluation.Result result = Evaluation.run(args);
        evaluations.put(set + " " + tier, result);
        result.figures().forEach(f -> log.printf(Locale.ROOT, "  %s --classifier %s: %s APGR %.3f%n", set, tier,
          f.method(), f.apgr()));
      }
    }
    return new Result(mmluRows, arenaRows, cheap, positives / (double) rows.size(), l2, trainingSubjects,
      heldOutSubjects, gate, rule, head, evaluations);
  }

  private static List<Scored> scored(StaticModelClassifier classifier, List<OutcomeData.Prompt> prompts) {
    return prompts.stream().map(p -> new Scored(p, classifier.classify(PromptText.of(p.request())))).toList();
  }

  private static Row row(Scored s, boolean cheapOk, String group) {
    Classification c = s.classification();
    double[] features = CheapOkHead.features(c.taskProbabilities(), c.complexityProbabilities(), c.features());
    float[] x = new float[features.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) features[i];
    }
    return new Row(x, cheapOk ? 1 : 0, group, c.taskType());
  }

  /** The per-category rule: the share of cheap-ok rows per predicted task type, the overall share for rare types. */
  private static Map<TaskType, Double> rule(List<Row> rows) {
    double overall = rows.stream().mapToInt(Row::label).average().orElse(0.5);
    Map<TaskType, Double> rule = new EnumMap<>(TaskType.class);
    for (TaskType type : TaskType.values()) {
      List<Row> of = rows.stream().filter(r -> r.predicted() == type).toList();
      rule.put(type, of.size() >= MIN_RULE_ROWS ? of.stream().mapToInt(Row::label).average().orElseThrow() : overall);
    }
    return rule;
  }

  private static JsonObject provenance(CrossValidation.Choice l2, Set<String> subjects, List<String> cheap,
                                       int mmluRows, int arenaRows, Map<TaskType, CheapOkGate.Decision> gate) {
    JsonObject gateJson = new JsonObject();
    gate.forEach((type, d) -> gateJson.put(type.wireName(), new JsonObject().put("held_out_prompts", d.prompts())
      .put("apgr_learned", Double.isNaN(d.apgr()) ? null : d.apgr()).put("apgr_rule", CheapOkGate.RULE_APGR)
      .put("use", d.learned() ? "learned" : "rule")));
    return new JsonObject()
      .put("description", "p_cheap_ok: logistic regression over the tier-1 model's outputs; written by"
        + " train-classifier, see models/MODEL_CARD.md")
      .put("training", new JsonObject()
        .put("mmlu_rows", mmluRows)
        .put("mmlu_label", "Mixtral-8x7B right, or gpt-4-1106-preview wrong")
        .put("mmlu_subjects", new JsonArray(List.copyOf(subjects)))
        .put("arena_bench_rows", arenaRows)
        .put("arena_bench_label", "the cheap model's judge score >= gpt-4-1106-preview's, replay's calibration half")
        .put("arena_bench_cheap_models", new JsonArray(cheap))
        .put("l2", l2.best()))
      .put("gate", gateJson);
  }

  /** The first seed prompt of each of {@link #GOLDEN} task types with the head's answers: the golden test's fixture. */
  private static List<String> golden(Path seed, StaticModelClassifier plain, CheapOkHead head) throws IOException {
    List<String> lines = new ArrayList<>();
    Set<String> types = new TreeSet<>();
    for (String line : Files.readAllLines(seed, StandardCharsets.UTF_8)) {
      if (line.isBlank() || lines.size() >= GOLDEN) {
        continue;
      }
      JsonObject row = new JsonObject(line);
      if (!types.add(row.getString("task_type"))) {
        continue;
      }
      String text = row.getString("prompt");
      Classification c = plain.classify(PromptText.of(new ClassifyRequest(new JsonArray().add(new JsonObject()
        .put("role", "user").put("content", text)), false, 0, text.length())));
      lines.add(new JsonObject().put("id", row.getString("id")).put("text", text)
        .put("task_type", c.taskType().wireName())
        .put("p_cheap_ok_learned", head.learned(c.taskProbabilities(), c.complexityProbabilities(), c.features()))
        .put("p_cheap_ok", head.pCheapOk(c.taskType(), c.taskProbabilities(), c.complexityProbabilities(),
          c.features()))
        .encode());
    }
    return lines;
  }
}
