package io.switchboard.execute;

import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.openai.ChatRequest;
import io.switchboard.route.EscalationRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.Optional;

/**
 * Escalation: while an answer fails the {@link QualityCheck}, the same request is asked of the next model of the
 * decision's escalation order. The first answer that passes is returned; when none does, the last answer is.
 * A model of the order that cannot answer (its tries failed) is passed over. Every escalation is published, and
 * every answer not returned is charged to the request.
 */
final class Escalation {

  /** Asks one model of the order, through the usual tries (retries, breakers, rate limits, keys). */
  @FunctionalInterface
  interface Asker {
    Future<Answer> ask(ModelConfig model);
  }

  private final GatewayConfig config;
  private final QualityCheck check;
  private final Accountant accountant;

  Escalation(GatewayConfig config, QualityCheck check, Accountant accountant) {
    this.config = config;
    this.check = check;
    this.accountant = accountant;
  }

  Future<Answered> run(ChatRequest request, String decisionId, Answer first, Cancellation cancellation, Asker asker) {
    Run run = new Run(request, decisionId, cancellation, asker);
    run.checked(first, 0, first.upstreamNanos());
    return run.result.future();
  }

  /** The state of one request's escalation. */
  private final class Run {
    final ChatRequest request;
    final String decisionId;
    final Cancellation cancellation;
    final Asker asker;
    final Promise<Answered> result = Promise.promise();
    int escalations;

    Run(ChatRequest request, String decisionId, Cancellation cancellation, Asker asker) {
      this.request = request;
      this.decisionId = decisionId;
      this.cancellation = cancellation;
      this.asker = asker;
    }

    /** {@code answer} arrived: return it if it passes, else ask the order from {@code next} on. */
    void checked(Answer answer, int next, long upstreamNanos) {
      Routed routed = answer.servedBy();
      Optional<QualityFailure> failure = check.failure(request.body(), routed.classification().taskType(),
        answer.completion().json());
      if (failure.isEmpty()) {
        result.complete(new Answered(answer, AnswerSteps.checked(escalations, failure), upstreamNanos));
      } else {
        escalate(answer, failure.get(), next, upstreamNanos);
      }
    }

    void escalate(Answer failed, QualityFailure failure, int next, long upstreamNanos) {
      Routed routed = failed.servedBy();
      List<String> order = routed.decision().escalation();
      int index = next;
      while (index < order.size() && order.get(index).equals(routed.model().id())) {
        index++;   // the model that gave the failed answer is not asked again
      }
      if (index >= order.size()) {
        result.complete(new Answered(failed, AnswerSteps.checked(escalations, Optional.of(failure)), upstreamNanos));
        return;
      }
      ModelConfig to = config.models().get(order.get(index));
      escalations++;
      accountant.escalated(new EscalationRecord(decisionId, routed.decision().policy(),
        routed.classification().taskType().wireName(), routed.model().id(), to.id(), failure.wireName(),
        System.currentTimeMillis()));
      int following = index + 1;
      asker.ask(to).onComplete(asked -> {
        if (asked.succeeded()) {
          accountant.charge(decisionId, failed);
          checked(asked.result(), following, upstreamNanos + asked.result().upstreamNanos());
        } else if (cancellation.cancelled()) {
          accountant.charge(decisionId, failed);
          result.fail(asked.cause());
        } else {
          escalate(failed, failure, following, upstreamNanos);
        }
      });
    }
  }
}
