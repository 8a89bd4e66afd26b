package io.switchboard.replay;

import io.switchboard.classify.ClassifyRequest;

import java.util.Map;
import java.util.Objects;

/**
 * One prompt of a workload and what the data says about it.
 *
 * @param id stable identifier; the calibration/held-out split is a hash of it
 * @param category a data set's own grouping (an MMLU subject), or null
 * @param maxTokens the request's {@code max_tokens}, 0 when it set none
 * @param promptTokens prompt size reported by the data ({@code usage.prompt_tokens}), or -1 to count it
 * @param outputTokens answer size reported by the data for whichever model answers, or -1 to assume one
 * @param outputTokensByModel answer sizes per model where the data has each model's answer
 * @param outcomes quality of each model's answer (1/0 for right/wrong, or a judge's score); empty when unknown
 */
record ReplayItem(String id, String category, ClassifyRequest request, long maxTokens, long promptTokens,
                  long outputTokens, Map<String, Long> outputTokensByModel, Map<String, Double> outcomes) {

  ReplayItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    outputTokensByModel = Map.copyOf(outputTokensByModel);
    outcomes = Map.copyOf(outcomes);
  }
}
