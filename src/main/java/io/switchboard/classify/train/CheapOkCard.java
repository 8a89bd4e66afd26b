package io.switchboard.classify.train;

import io.switchboard.classify.CheapOkHead;
import io.switchboard.classify.TaskType;
import io.switchboard.replay.Evaluation;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The model card's {@code p_cheap_ok} section, from the training step's measurements. */
final class CheapOkCard {

  /** Data sets evaluated, with the replay arguments that reproduce each (besides {@code --classifier}). */
  private static final Map<String, String> SETS = Map.of(
    "mmlu", "--input mmlu",
    "gsm8k", "--input gsm8k",
    "arena-bench-v1", "--input arena-bench-v1 --baseline " + CheapOkTraining.STRONG + " \\\n    --weak "
      + CheapOkTraining.WEAK);
  private static final List<String> ORDER = List.of("mmlu", "gsm8k", "arena-bench-v1");

  private CheapOkCard() {
  }

  static String section(CheapOkTraining.Result r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, """

      ## p_cheap_ok

      `static/cheap-ok.json` holds a logistic regression that estimates `p_cheap_ok`, the probability that a cheap
      model's answer is as good as the strong model's, from %d features of the request: the tier-1 model's 17
      task-type and 4 complexity probabilities, ln(1 + prompt tokens) and ln(1 + fenced code blocks). The gateway
      reads it at start next to the model file (`CheapOkHead`); without it, `p_cheap_ok` is the heuristic rule.
      The tier-1 graph is unchanged: its pooled vector is not a feature.

      **Training rows** (%,d in all, %.1f %% "cheap ok"):

      - RouteLLM's MMLU outcomes (`../shared/data/routellm-evals/mmlu`, contaminated prompts left out): %,d prompts
        of the %d subjects whose name hashes even (SHA-256 of `p_cheap_ok subject:<name>`, first byte); label
        "cheap ok" when Mixtral-8x7B was right or gpt-4-1106-preview was wrong.
      - arena-bench-v1 judge scores, replay's calibration half (SHA-256 of the question id, first byte even): one
        row per prompt and cheap model, %,d rows; label "cheap ok" when the cheap model's score is at least
        gpt-4-1106-preview's (margin 0). Cheap models: those of `conf/replay/prices.yaml` whose mean of input and
        output price is at most %.0f %% of gpt-4-1106-preview's:
      %s.
      - GSM8K: not used for training nor for the gate (evaluation only).

      Fitted like the task head (standardized inputs, full-batch Adam from zeros, classes weighted to equal
      totals, L2 %s by %d-fold cross-validation with folds by MMLU subject or arena question); the intercept is
      then moved back by ln(positives / negatives), so the output is a probability at the data's own rate.

      **The per-category rule and the gate.** The rule gives each predicted task type the share of cheap-ok training
      rows of that type (types with fewer than %d rows: the overall share). Inside one task type the rule cannot
      rank prompts, so its curve is the straight line from all-weak to all-strong (APGR 0.5). The learned score is
      used for a task type only where, on held-out prompts of that type (replay's calibration half of the MMLU
      subjects that did not train the head; weak Mixtral-8x7B, strong gpt-4-1106-preview), its APGR exceeds 0.5 by
      %.2f on at least %d prompts; everywhere else the router gets the rule's value. Replay's held-out halves are not
      read by the gate.

      | predicted task type | held-out prompts | APGR of the learned score | rule value | router uses |
      |---|---|---|---|---|
      """, CheapOkHead.FEATURES.size(), r.mmluRows() + r.arenaRows(), 100 * r.positiveShare(), r.mmluRows(),
      r.trainingSubjects().size(), r.arenaRows(), 100 * CheapOkTraining.CHEAP_PRICE_SHARE,
      wrap(String.join(", ", r.cheapModels()), "  "), r.l2().best(), TrainCommand.FOLDS, CheapOkTraining.MIN_RULE_ROWS,
      CheapOkGate.MARGIN, CheapOkGate.MIN_PROMPTS));
    for (TaskType type : TaskType.values()) {
      CheapOkGate.Decision d = r.gate().get(type);
      s.append(String.format(Locale.ROOT, "| %s | %d | %s | %.3f | %s |%n", type.wireName(),
        d == null ? 0 : d.prompts(), d == null || Double.isNaN(d.apgr()) ? "n/a" : String.format(Locale.ROOT,
          "%.3f", d.apgr()), r.rule().get(type), r.head().learnedTaskTypes().contains(type) ? "learned" : "rule"));
    }
    s.append("""

      APGR is n/a where the strong model was not better than the weak one on those prompts. With few prompts the
      figure is noise (PGR divides by a small gap), which is why the gate also needs a count.

      ### Held-out evaluation

      Measured by `replay` on prompts the head never saw: the MMLU subjects that did not train it (replay leaves
      the training subjects out), GSM8K, and arena-bench-v1 (its calibration half trained the head; the figures are
      on the held-out half). Each knob's curve is measured on replay's held-out half; "at 95 %" is where the curve
      first reaches 95 % of gpt-4-1106-preview's quality (premium-call share, and cost saved against always
      gpt-4-1106-preview). `learned` is the head's score for every prompt (`--classifier learned`), `router` the
      gated score the gateway uses (`--classifier static`), `random` a coin per prompt, `per-category` replay's
      per-category rule (per MMLU subject, calibrated on the subject's own calibration prompts; per tier-1 task
      type elsewhere).

      | held-out set | prompts | method | APGR | premium calls at 95 % | cost saved at 95 % |
      |---|---|---|---|---|---|
      """);
    for (String set : ORDER) {
      Evaluation.Result learned = r.evaluations().get(set + " learned");
      Evaluation.Result router = r.evaluations().get(set + " static");
      row(s, set, figure(learned, "threshold"), "learned");
      row(s, set, figure(router, "threshold"), "router");
      row(s, set, figure(learned, "random"), "random");
      row(s, set, learned.figures().get(2), "per-category");
    }
    s.append("\nWhere the learned score does not beat the per-category rule (APGR, held-out):\n\n");
    for (String set : ORDER) {
      Evaluation.Result learned = r.evaluations().get(set + " learned");
      double mine = figure(learned, "threshold").apgr();
      double rule = learned.figures().get(2).apgr();
      double coin = figure(learned, "random").apgr();
      String verdict = mine > rule + CheapOkGate.MARGIN ? "the learned score is ahead"
        : mine > rule ? String.format(Locale.ROOT, "ahead by less than the gate's margin (%.2f) on %d prompts, not"
          + " counted as beating the rule", CheapOkGate.MARGIN, learned.heldOut())
        : "**the learned score does not beat the rule**";
      s.append(String.format(Locale.ROOT, "- %s: learned %.3f vs per-category %.3f (random %.3f):%n  %s.%n", set,
        mine, rule, coin, verdict));
    }
    s.append("""

      So the router relies on the learned score only for the task types marked `learned` in the gate table above;
      a threshold policy elsewhere ranks by the rule, i.e. by task type. The rows come from these commands
      (`--classifier learned` for the ungated score):

      ```
      """);
    for (String set : ORDER) {
      s.append("java -jar target/switchboard.jar replay ").append(SETS.get(set)).append(" --classifier static\n");
    }
    s.append("```\n");
    return s.toString();
  }

  /** Lines of at most 116 characters, each starting with {@code indent}. */
  static String wrap(String text, String indent) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > 116) {
        out.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      line.append(line.length() > indent.length() ? " " : "").append(word);
    }
    return out.append(line).toString();
  }

  private static Evaluation.Figure figure(Evaluation.Result result, String method) {
    return result.figures().stream().filter(f -> f.method().equals(method)).findFirst().orElseThrow();
  }

  private static void row(StringBuilder s, String set, Evaluation.Figure f, String method) {
    s.append(String.format(Locale.ROOT, "| %s | %d | %s | %.3f | %s | %s |%n", set, f.prompts(), method, f.apgr(),
      percent(Optional.ofNullable(f.premiumAtTarget())), percent(Optional.ofNullable(f.costReductionAtTarget()))));
  }

  private static String percent(Optional<Double> share) {
    return share.map(v -> String.format(Locale.ROOT, "%.1f %%", 100 * v)).orElse("never");
  }
}
