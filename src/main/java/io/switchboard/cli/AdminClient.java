package io.switchboard.cli;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * A blocking client of a running gateway's admin API: sends the master key when one is given, and turns every
 * failure into a {@link CliException} whose exit code says whether the gateway could not be reached
 * ({@link Cli#UNREACHABLE}) or answered with an error ({@link Cli#FAILED}, its OpenAI-style message quoted).
 */
final class AdminClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final URI base;
  private final Optional<String> masterKey;
  private final String masterKeyEnv;
  private final Duration timeout;
  private final HttpClient http;

  /** @param masterKeyEnv where the master key was looked for, named when the gateway asks for one */
  AdminClient(URI base, Optional<String> masterKey, String masterKeyEnv, Duration timeout) {
    this.base = base;
    this.masterKey = masterKey;
    this.masterKeyEnv = masterKeyEnv;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
      .build();
  }

  JsonObject get(String pathAndQuery) {
    return json(send("GET", pathAndQuery, null));
  }

  JsonObject put(String path, JsonObject body) {
    return json(send("PUT", path, body));
  }

  JsonObject post(String pathAndQuery, JsonObject body) {
    return json(send("POST", pathAndQuery, body));
  }

  JsonObject delete(String path) {
    return json(send("DELETE", path, null));
  }

  /** The body of a successful GET as it came, for exports written out byte for byte. */
  byte[] download(String pathAndQuery) {
    return send("GET", pathAndQuery, null).body();
  }

  private HttpResponse<byte[]> send(String method, String pathAndQuery, JsonObject body) {
    URI uri = base.resolve(pathAndQuery);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body.toBuffer().getBytes()));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    masterKey.ifPresent(key -> request.header("authorization", "Bearer " + key));
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      throw new CliException(Cli.UNREACHABLE, "cannot connect to " + origin() + ": no connection within "
        + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (HttpTimeoutException e) {
      throw new CliException(Cli.FAILED, origin() + " did not answer " + method + " " + uri.getPath() + " within "
        + timeout.toSeconds() + " s");
    } catch (ConnectException e) {
      throw new CliException(Cli.UNREACHABLE, "cannot connect to " + origin() + ": " + reason(e)
        + " (is the gateway running? --url names its admin API)");
    } catch (IOException e) {
      throw new CliException(Cli.UNREACHABLE, "cannot talk to " + origin() + ": " + reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Cli.FAILED, "interrupted");
    }
    if (response.statusCode() == 401 && masterKey.isEmpty()) {
      throw new CliException(Cli.FAILED, failure(response) + " (" + masterKeyEnv + " is not set)");
    }
    if (response.statusCode() / 100 != 2) {
      throw new CliException(Cli.FAILED, failure(response));
    }
    return response;
  }

  private JsonObject json(HttpResponse<byte[]> response) {
    try {
      return new JsonObject(Buffer.buffer(response.body()));
    } catch (DecodeException | ClassCastException e) {
      throw new CliException(Cli.FAILED, origin() + " answered " + response.request().uri().getPath()
        + " with a body that is not a JSON object");
    }
  }

  /** {@code HTTP 401 invalid_api_key: The admin API needs ...}, or the status alone for a body that is no error. */
  private static String failure(HttpResponse<byte[]> response) {
    String status = "HTTP " + response.statusCode();
    try {
      JsonObject error = new JsonObject(Buffer.buffer(response.body())).getJsonObject("error");
      if (error != null && error.getValue("message") instanceof String message) {
        String code = error.getValue("code") instanceof String c ? " " + c : "";
        return status + code + ": " + message.lines().findFirst().orElse("");
      }
    } catch (DecodeException | ClassCastException e) {
      // not an OpenAI-style error: the status says enough
    }
    return status + " from " + response.request().method() + " " + response.request().uri().getPath();
  }

  private String origin() {
    return base.getScheme() + "://" + base.getRawAuthority();
  }

  private static String reason(IOException e) {
    Throwable cause = e;
    while (cause.getCause() != null && (cause.getMessage() == null || cause.getMessage().isBlank())) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? "connection refused" : message.lines().findFirst().orElse(message);
  }
}
