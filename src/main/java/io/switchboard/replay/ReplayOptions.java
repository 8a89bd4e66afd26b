package io.switchboard.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The replay command line. Gateway configuration arguments ({@code --conf FILE}, {@code --key.path=value}) are
 * collected for the configuration loader, exactly as {@code serve} takes them.
 */
record ReplayOptions(Path input, String policy, Path prices, Path csv, double target, long outputTokens,
                     boolean split, String baseline, boolean keepContaminated, Boolean progress,
                     List<String> configArgs, String classifier, Path model, String weak) {

  static final String USAGE = "usage: switchboard replay --input FILE|mmlu|gsm8k|arena-bench-v1 [--policy NAME] "
    + "[--prices FILE] [--csv FILE] [--conf FILE] [--key.path=value] [--data DIR] [--target 0.95] "
    + "[--output-tokens N] [--split hash|none] [--baseline MODEL] [--keep-contaminated] [--progress|--no-progress] "
    + "[--classifier heuristic|static|learned] [--model FILE] [--weak MODEL]";

  /** The classifiers replay can classify with: {@code learned} is the static tier with its p_cheap_ok ungated. */
  static final List<String> CLASSIFIERS = List.of("heuristic", "static", "learned");
  static final Path DEFAULT_MODEL = Path.of("models", "static", "task-classifier.onnx");

  /** Short names of the shared data sets, relative to {@code --data}. */
  static final Map<String, String> DATA_SETS = Map.of(
    "mmlu", "routellm-evals/mmlu",
    "gsm8k", "routellm-evals/gsm8k/gsm8k_responses.csv",
    "arena-bench-v1", "arena-bench-v1");
  static final Path DEFAULT_DATA = Path.of("..", "shared", "data");

  static ReplayOptions parse(List<String> args) {
    String input = null;
    String policy = null;
    Path prices = null;
    Path csv = null;
    Path data = DEFAULT_DATA;
    double target = 0.95;
    long outputTokens = 0;
    boolean split = true;
    String baseline = null;
    boolean keep = false;
    Boolean progress = null;
    List<String> configArgs = new ArrayList<>();
    String classifier = "heuristic";
    Path model = DEFAULT_MODEL;
    String weak = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--input" -> input = value(args, ++i, arg);
        case "--policy" -> policy = value(args, ++i, arg);
        case "--prices" -> prices = Path.of(value(args, ++i, arg));
        case "--csv" -> csv = Path.of(value(args, ++i, arg));
        case "--data" -> data = Path.of(value(args, ++i, arg));
        case "--target" -> target = number(value(args, ++i, arg), arg, 0.01, 1);
        case "--output-tokens" -> outputTokens = (long) number(value(args, ++i, arg), arg, 1, 1_000_000);
        case "--split" -> {
          String mode = value(args, ++i, arg);
          if (!mode.equals("hash") && !mode.equals("none")) {
            throw new ReplayException("--split: must be hash or none");
          }
          split = mode.equals("hash");
        }
        case "--baseline" -> baseline = value(args, ++i, arg);
        case "--keep-contaminated" -> keep = true;
        case "--classifier" -> {
          classifier = value(args, ++i, arg);
          if (!CLASSIFIERS.contains(classifier)) {
            throw new ReplayException("--classifier: must be heuristic, static or learned");
          }
        }
        case "--model" -> model = Path.of(value(args, ++i, arg));
        case "--weak" -> weak = value(args, ++i, arg);
        case "--progress" -> progress = true;
        case "--no-progress" -> progress = false;
        case "--conf", "-conf" -> {
          configArgs.add(arg);
          configArgs.add(value(args, ++i, arg));
        }
        default -> {
          if (arg.startsWith("--") && arg.contains("=")) {
            configArgs.add(arg);
          } else {
            throw new ReplayException("unknown argument '" + arg + "'; " + USAGE);
          }
        }
      }
    }
    if (input == null) {
      throw new ReplayException("--input is required; " + USAGE);
    }
    return new ReplayOptions(resolve(input, data), policy, prices, csv, target, outputTokens, split, baseline, keep,
      progress, configArgs, classifier, model, weak);
  }

  /** A data set's short name resolves under {@code --data} unless a file of that name exists. */
  private static Path resolve(String input, Path data) {
    Path path = Path.of(input);
    String known = DATA_SETS.get(input);
    return known != null && !Files.exists(path) ? data.resolve(known) : path;
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new ReplayException(option + ": needs a value");
    }
    return args.get(i);
  }

  private static double number(String text, String option, double min, double max) {
    try {
      double value = Double.parseDouble(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ReplayException(option + ": '" + text + "' must be a number from " + min + " to " + max);
  }
}
