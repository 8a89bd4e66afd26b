package io.switchboard.learn;

import io.switchboard.cost.AttemptRecord;
import io.switchboard.execute.UpstreamCall;

import java.util.Set;

/**
 * Which failed upstream calls say something about the model's answers, as opposed to its availability. A model
 * that started answering and then broke (the stream was cut or its connection dropped once output had come, it went
 * silent, never finished in time, or the body was not a completion at all) gave a bad answer. Refusals before any
 * answer (429, 5xx, refused connections, connect and first-byte timeouts, open breakers, auth and key problems) and
 * request problems (the provider's 4xx, the client leaving, even mid-answer) are not about answer quality: retries,
 * fallbacks, breakers and rate limits already route around them, they pass within minutes, and counting them in an
 * estimate that fades over days would keep punishing a model for an outage long after it ended.
 */
public final class BrokenAnswers {

  private static final Set<String> BROKEN = Set.of("upstream_invalid_response", "upstream_stream_cut",
    "upstream_idle_timeout", "upstream_total_timeout");

  private BrokenAnswers() {
  }

  private static final String CLIENT_CLOSED = UpstreamCall.CLIENT_CLOSED.code();

  /**
   * Whether the call broke while answering: a broken outcome, or any failure after output had come, except the
   * client leaving (its reasons are its own).
   */
  public static boolean isBroken(AttemptRecord attempt) {
    String outcome = attempt.outcome();
    return BROKEN.contains(outcome)
      || !outcome.equals("ok") && !outcome.equals(CLIENT_CLOSED) && attempt.usage().completionTokens() > 0;
  }
}
