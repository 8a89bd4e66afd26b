package io.switchboard.execute;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

import java.util.concurrent.TimeoutException;

/**
 * Reads a whole upstream body, but never more than a limit (past it the request is reset and the read fails) and
 * never through a silence longer than the provider's idle timeout.
 */
final class BoundedBody {

  /** The body was larger than allowed. */
  static final class TooLargeException extends RuntimeException {
    TooLargeException(long limit) {
      super("upstream body larger than " + limit + " bytes", null, false, false);
    }
  }

  private BoundedBody() {
  }

  static Future<Buffer> read(Vertx vertx, HttpClientResponse response, long limit, long idleMillis) {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    IdleWatch idle = new IdleWatch(vertx, idleMillis, () -> {
      if (promise.tryFail(new TimeoutException("upstream body silent for " + idleMillis + " ms"))) {
        response.request().reset();
      }
    });
    promise.future().onComplete(done -> idle.stop());
    response.handler(chunk -> {
      idle.touch();
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
    idle.start();
    response.resume();
    return promise.future();
  }
}
