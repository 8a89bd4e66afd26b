package io.switchboard.execute;

/**
 * A whole answer one upstream call gave.
 *
 * @param servedBy the request's routing, with the model that answered
 * @param headLatencyNanos the call's time to its response head
 * @param upstreamNanos the call's time from its start to the last byte of the answer
 */
public record Answer(Routed servedBy, Completion completion, long headLatencyNanos, long upstreamNanos) {
}
