package io.switchboard.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigReader;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A replay prices file: {@code models: {ID: {input, output, basis, source}}}, USD per million tokens, where
 * {@code basis} says what the price is ({@code list}: the maker's own API price; {@code hosting}: a third party's
 * published price for the open weights; {@code estimate}) and {@code source} where it comes from.
 */
final class PriceList {

  static final Path DEFAULT_FILE = Path.of("conf", "replay", "prices.yaml");
  static final String BUNDLED_RESOURCE = "replay/prices.yaml";
  private static final Set<String> BASES = Set.of("list", "hosting", "estimate");

  /** One model's prices and their provenance. */
  record ModelPrice(double input, double output, String basis, String source) {
  }

  private final String origin;
  private final Map<String, ModelPrice> models;

  private PriceList(String origin, Map<String, ModelPrice> models) {
    this.origin = origin;
    this.models = models;
  }

  /** {@code file}, or {@link #DEFAULT_FILE}, or the copy inside the jar. */
  static PriceList load(Path file) {
    Path path = file != null ? file : Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
    if (path != null) {
      if (!Files.isRegularFile(path)) {
        throw new ReplayException("prices file " + path + ": not found");
      }
      try (InputStream in = Files.newInputStream(path)) {
        return parse(in, path.toString());
      } catch (IOException e) {
        throw new ReplayException("prices file " + path + ": cannot be read (" + e.getClass().getSimpleName() + ")");
      }
    }
    try (InputStream in = PriceList.class.getClassLoader().getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new ReplayException("no prices: " + DEFAULT_FILE + " is missing and the jar carries none");
      }
      return parse(in, "bundled " + BUNDLED_RESOURCE);
    } catch (IOException e) {
      throw new ReplayException("bundled prices: cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  @SuppressWarnings("unchecked")
  private static PriceList parse(InputStream in, String origin) {
    Object tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
    } catch (IOException e) {
      throw new ReplayException(origin + ": invalid YAML");
    }
    if (!(tree instanceof Map)) {
      throw new ReplayException(origin + ": the top level must be a mapping");
    }
    Map<String, ModelPrice> models = new LinkedHashMap<>();
    try {
      ConfigReader root = new ConfigReader(new JsonObject((Map<String, Object>) tree), "");
      root.allowOnly(Set.of("models"));
      root.sections("models").forEach((id, r) -> {
        r.allowOnly(Set.of("input", "output", "basis", "source"));
        for (String key : new String[] {"input", "output", "source"}) {
          if (!r.has(key)) {
            throw new ConfigException(r.key(key) + ": is required");
          }
        }
        String basis = r.string("basis", "list");
        if (!BASES.contains(basis)) {
          throw new ConfigException(r.key("basis") + ": must be list, hosting or estimate");
        }
        models.put(id, new ModelPrice(r.doubleValue("input", 0, 0, 10_000), r.doubleValue("output", 0, 0, 10_000),
          basis, r.requiredString("source")));
      });
    } catch (ConfigException e) {
      throw new ReplayException(origin + ": " + e.getMessage());
    }
    if (models.isEmpty()) {
      throw new ReplayException(origin + ": lists no models");
    }
    return new PriceList(origin, models);
  }

  String origin() {
    return origin;
  }

  Map<String, ModelPrice> models() {
    return models;
  }

  ModelPrice price(String model) {
    ModelPrice price = models.get(model);
    if (price == null) {
      throw new ReplayException(origin + ": has no price for model '" + model + "'");
    }
    return price;
  }
}
