package io.switchboard.execute;

/**
 * The answer a request returns, what the gateway did to get it, and the upstream time of every answer it read
 * (the rest of the request's time is the gateway's own).
 */
record Answered(Answer answer, AnswerSteps steps, long upstreamNanos) {
}
