package io.switchboard.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.Map;

/**
 * Parses request bodies strictly: valid UTF-8 only, one JSON object, no duplicate keys (a gateway that
 * routes on one {@code model} while the upstream reads another is a hole), bounded nesting and number length.
 */
public final class StrictJson {

  static final int MAX_DEPTH = 64;
  static final int MAX_NUMBER_LENGTH = 100;

  private static final JsonMapper MAPPER = JsonMapper.builder()
    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
    .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
      .maxNestingDepth(MAX_DEPTH)
      .maxNumberLength(MAX_NUMBER_LENGTH)
      .build());
  }

  private StrictJson() {
  }

  @SuppressWarnings("unchecked")
  public static JsonObject parseObject(Buffer body) {
    byte[] bytes = body.getBytes();
    if (!Utf8.isValid(bytes)) {
      throw invalid("invalid_json", "The request body is not valid UTF-8");
    }
    Object tree;
    try {
      tree = MAPPER.readValue(bytes, Object.class);
    } catch (StreamConstraintsException e) {
      if (e.getMessage() != null && e.getMessage().contains("nesting depth")) {
        throw invalid("too_deeply_nested", "The request body nests deeper than " + MAX_DEPTH + " levels");
      }
      throw invalid("invalid_value", "The request body has a number longer than " + MAX_NUMBER_LENGTH + " digits");
    } catch (JsonProcessingException e) {
      String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
      if (reason.startsWith("Duplicate field")) {
        throw invalid("duplicate_key", "The request body repeats the key "
          + abbreviate(reason.substring("Duplicate field ".length())));
      }
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr();
      throw invalid("invalid_json", "The request body is not valid JSON" + where);
    } catch (IOException e) {
      throw invalid("invalid_json", "The request body is not valid JSON");
    }
    if (!(tree instanceof Map)) {
      throw invalid("invalid_json", "The request body must be a JSON object");
    }
    return new JsonObject((Map<String, Object>) tree);
  }

  private static ApiException invalid(String code, String message) {
    return ApiError.invalid(code, null, message).exception();
  }

  private static String abbreviate(String reason) {
    String firstLine = reason.lines().findFirst().orElse("");
    return firstLine.length() > 64 ? firstLine.substring(0, 64) + "…" : firstLine;
  }
}
