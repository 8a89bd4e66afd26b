package io.switchboard.classify.train;

import java.util.Map;

/** What a training run measured, for the model card. */
final class Report {
  int dims;
  double explained;
  long modelBytes;
  double maxDifference;
  Scores tier1;
  Scores tier1Complexity;
  Scores heuristic;
  Scores heuristicComplexity;
  Benchmark.Latency latency;
  CrossValidation.Choice taskL2;
  CrossValidation.Choice complexityL2;
  /** Tier 2: the full encoder and its heads. */
  EncoderTraining.Result tier2;
  /** "source|task type" to {training, held-out} prompt counts. */
  Map<String, int[]> sources;
  /** The p_cheap_ok step. */
  CheapOkTraining.Result cheapOk;
}
