package io.switchboard.execute;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/** Reads a whole upstream body, but never more than a limit: past it the request is reset and the read fails. */
final class BoundedBody {

  /** The body was larger than allowed. */
  static final class TooLargeException extends RuntimeException {
    TooLargeException(long limit) {
      super("upstream body larger than " + limit + " bytes", null, false, false);
    }
  }

  private BoundedBody() {
  }

  static Future<Buffer> read(HttpClientResponse response, long limit) {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        if (promise.tryFail(new TooLargeException(limit))) {
          response.request().reset();
        }
        return;
      }
      body.appendBuffer(chunk);
    });
    response.exceptionHandler(promise::tryFail);
    response.endHandler(v -> promise.tryComplete(body));
    response.resume();
    return promise.future();
  }
}
