package io.switchboard.replay;

import io.switchboard.classify.ClassifyRequest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The shared outcome data as replay reads it, for training {@code p_cheap_ok} on exactly the prompts, ids and split
 * that replay later evaluates on: RouteLLM's MMLU and GSM8K outcomes (contaminated prompts left out) and
 * arena-bench-v1's judge scores.
 */
public final class OutcomeData {

  /**
   * One prompt with every model's outcome on it.
   *
   * @param category the MMLU subject, else null
   * @param calibration true in replay's calibration split, false in its held-out split
   */
  public record Prompt(String id, String category, ClassifyRequest request, Map<String, Double> outcomes,
                       boolean calibration) {
  }

  private OutcomeData() {
  }

  /** {@code name} is {@code mmlu}, {@code gsm8k} or {@code arena-bench-v1}, read under {@code data}. */
  public static List<Prompt> read(Path data, String name) {
    String relative = ReplayOptions.DATA_SETS.get(name);
    if (relative == null) {
      throw new IllegalArgumentException("unknown data set " + name);
    }
    Workload workload = Workloads.read(data.resolve(relative), false);
    return workload.items().stream()
      .map(i -> new Prompt(i.id(), i.category(), i.request(), i.outcomes(), Split.calibration(i.id())))
      .toList();
  }

  /**
   * Models of the replay price list whose mean of input and output price is at most {@code share} of
   * {@code strong}'s: the cheap tier a router would send a prompt to instead.
   */
  public static List<String> cheapModels(String strong, double share) {
    PriceList prices = PriceList.load(null);
    PriceList.ModelPrice reference = prices.price(strong);
    double limit = share * (reference.input() + reference.output()) / 2;
    return prices.models().entrySet().stream()
      .filter(e -> (e.getValue().input() + e.getValue().output()) / 2 <= limit)
      .map(Map.Entry::getKey).sorted().toList();
  }
}
