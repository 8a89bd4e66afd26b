package io.switchboard.replay;

import java.util.List;

/**
 * What was read from one input.
 *
 * @param excluded prompts left out: RouteLLM's contaminated prompts, or arena-bench questions with a missing score
 * @param strong the data set's strong model where it names one (RouteLLM's second column), else null
 * @param outcomeModels the models the data has outcomes for, in the data's order
 * @param outputNote where answer sizes come from, when the data decides it; null when they are assumed
 */
record Workload(String name, List<ReplayItem> items, int excluded, String strong, List<String> outcomeModels,
                String outputNote) {

  Workload {
    items = List.copyOf(items);
    outcomeModels = List.copyOf(outcomeModels);
  }
}
