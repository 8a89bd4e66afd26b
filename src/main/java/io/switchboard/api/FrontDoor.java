package io.switchboard.api;

import io.switchboard.cache.CacheLookup;
import io.switchboard.cache.CachedAnswer;
import io.switchboard.cost.UsageRecord;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Routed;
import io.switchboard.execute.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * What one request's wire dialect adds to the flow the front doors share ({@link FrontDoorFlow}): the bodies it
 * answers with and how it streams. Made per request, after the request was parsed and translated.
 */
interface FrontDoor {

  /**
   * A cached answer in the dialect: the whole body, or every event of its stream with the cost comment; resolves
   * when it may be sent.
   */
  Future<Buffer> replayed(CachedAnswer answer, UsageRecord record, boolean stream);

  /** A whole answer's body in the dialect; resolves when it may be sent. */
  Future<Buffer> answered(ChatService.ChatResult result);

  /** One try of a stream, by the model failover picked; each try starts its events afresh. */
  StreamTry streamTry(Routed servedBy, UpstreamCall call);

  /** Serves a routed stream its own way (true), or lets it be relayed (false). */
  default boolean tookOver(Routed routed, CacheLookup lookup) {
    return false;
  }
}
