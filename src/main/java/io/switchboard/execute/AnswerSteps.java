package io.switchboard.execute;

import java.util.Optional;

/**
 * What the gateway did for an answer beyond one call, for headers and reasons.
 *
 * @param checked whether the answer went through the quality check (its decision has an escalation order)
 * @param escalations how many times a failed answer was asked of the next model
 * @param failure why the returned answer still fails the check (every model of the order was asked), if it does
 * @param pipeline what the review pipeline did, or {@link PipelineStep#NONE}
 * @param draftModel the model that drafted, when a pipeline ran
 */
public record AnswerSteps(boolean checked, int escalations, Optional<QualityFailure> failure, PipelineStep pipeline,
                          String draftModel) {

  /** The review step of a pipeline. */
  public enum PipelineStep {
    NONE,
    /** The reviewer's answer is returned. */
    REVIEWED,
    /** The draft is returned: the reviewer could not answer, or the draft was a tool call. */
    UNREVIEWED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final AnswerSteps NONE = new AnswerSteps(false, 0, Optional.empty(), PipelineStep.NONE, "");

  static AnswerSteps checked(int escalations, Optional<QualityFailure> failure) {
    return new AnswerSteps(true, escalations, failure, PipelineStep.NONE, "");
  }

  public static AnswerSteps pipeline(PipelineStep step, String draftModel) {
    return new AnswerSteps(false, 0, Optional.empty(), step, draftModel);
  }

  /** The steps in words, for the decision's reasons; empty when there were none. */
  Optional<String> reason(String answeredBy) {
    if (pipeline != PipelineStep.NONE) {
      return Optional.of(pipeline == PipelineStep.REVIEWED
        ? "pipeline: '" + draftModel + "' drafted, '" + answeredBy + "' reviewed the draft"
        : "pipeline: the draft of '" + draftModel + "' is returned unreviewed");
    }
    if (!checked) {
      return Optional.empty();
    }
    String escalated = escalations == 0 ? ""
      : "after " + escalations + (escalations == 1 ? " escalation" : " escalations") + ", ";
    String answer = escalated + "the answer of '" + answeredBy + "'";
    return Optional.of(failure
      .map(f -> answer + " still fails the quality check (" + f.wireName() + "): no model of the order passed")
      .orElse(answer + " passed the quality check"));
  }

  /** Whether the answer may be kept by the response cache: not one that failed its quality check. */
  public boolean cacheable() {
    return failure.isEmpty();
  }
}
