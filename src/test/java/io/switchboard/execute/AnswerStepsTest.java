package io.switchboard.execute;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnswerStepsTest {

  @Test
  void the_steps_are_told_in_the_decisions_reasons() {
    assertThat(AnswerSteps.NONE.reason("m")).isEmpty();
    assertThat(AnswerSteps.checked(0, Optional.empty()).reason("cheap"))
      .contains("the answer of 'cheap' passed the quality check");
    assertThat(AnswerSteps.checked(2, Optional.empty()).reason("premium"))
      .contains("after 2 escalations, the answer of 'premium' passed the quality check");
    assertThat(AnswerSteps.checked(1, Optional.of(QualityFailure.HEDGING)).reason("premium"))
      .contains("after 1 escalation, the answer of 'premium' still fails the quality check (hedging): "
        + "no model of the order passed");
    assertThat(AnswerSteps.pipeline(AnswerSteps.PipelineStep.REVIEWED, "cheap").reason("premium"))
      .contains("pipeline: 'cheap' drafted, 'premium' reviewed the draft");
    assertThat(AnswerSteps.pipeline(AnswerSteps.PipelineStep.UNREVIEWED, "cheap").reason("cheap"))
      .contains("pipeline: the draft of 'cheap' is returned unreviewed");
  }

  @Test
  void only_an_answer_that_failed_its_check_is_kept_from_the_cache() {
    assertThat(AnswerSteps.NONE.cacheable()).isTrue();
    assertThat(AnswerSteps.checked(1, Optional.empty()).cacheable()).isTrue();
    assertThat(AnswerSteps.checked(1, Optional.of(QualityFailure.REFUSAL)).cacheable()).isFalse();
  }
}
