package io.switchboard.classify;

import io.switchboard.config.ClassifierConfig;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the configured classifier. A model loads once per process (one ONNX Runtime session, shared by every
 * verticle and gateway instance in it); when it is missing or cannot be loaded the heuristic classifier answers
 * instead, with one log line that says why.
 */
public final class ClassifierLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ClassifierLoader.class);
  private static final Map<String, StaticModel> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, EncoderModel> ENCODERS = new ConcurrentHashMap<>();

  /**
   * What the classify verticle runs: tier 1 (or the heuristic where it is unavailable), and for
   * {@code classifier.tier: encoder} tier 2, which sheds to the first.
   */
  public record Tiers(Classifier first, Optional<EncoderTier> encoder) {
  }

  private ClassifierLoader() {
  }

  /** Blocking (reads and compiles the models): call it off the event loop. */
  public static Tiers tiers(ClassifierConfig config) {
    return new Tiers(load(config),
      config.tier().equals(ClassifierConfig.ENCODER) ? encoder(config) : Optional.empty());
  }

  /**
   * Tier 2 from {@code classifier.encoder}; empty, with one log line, when the encoder or its heads are missing or
   * cannot be loaded (tier 1 then answers every request). Blocking.
   */
  public static Optional<EncoderTier> encoder(ClassifierConfig config) {
    String key = config.encoder().model() + "|" + config.encoder().heads() + "|" + config.device();
    try {
      EncoderModel model = ENCODERS.get(key);
      if (model == null) {
        model = EncoderModel.load(read(config.encoder().model()), read(config.encoder().heads()),
          config.device().equals("cuda"));
        EncoderModel raced = ENCODERS.putIfAbsent(key, model);
        if (raced != null) {
          model.close();
          model = raced;
        }
      }
      ModelInput input = ModelInput.minilm();
      // as for tier 1: the first run initialises the kernels, here rather than inside a request's budget
      model.predict(input.ids("warm up"));
      return Optional.of(new EncoderTier(new EncoderClassifier(model, input, config.cacheEntries())));
    } catch (Exception e) {
      LOG.warn("classifier tier encoder is unavailable, tier 1 answers every request instead: {}", reason(e));
      return Optional.empty();
    }
  }

  /** Blocking (reads and compiles the model): call it off the event loop. */
  public static Classifier load(ClassifierConfig config) {
    if (config.tier().equals(ClassifierConfig.HEURISTIC)) {
      return new HeuristicClassifier();
    }
    try {
      StaticModel model = MODELS.get(config.model() + "|" + config.device());
      if (model == null) {
        model = StaticModel.load(read(config.model()), config.device().equals("cuda"));
        StaticModel raced = MODELS.putIfAbsent(config.model() + "|" + config.device(), model);
        if (raced != null) {
          model.close();
          model = raced;
        }
      }
      ModelInput input = ModelInput.minilm();
      // the first run initialises ONNX Runtime's kernels: pay for it here, not in the first request's time budget
      model.predict(input.ids("warm up"));
      return new StaticModelClassifier(model, input, config.cacheEntries(), cheapOk(config.model()));
    } catch (Exception e) {
      LOG.warn("classifier tier static is unavailable, the heuristic classifier answers instead: {}", reason(e));
      return new HeuristicClassifier();
    }
  }

  /**
   * The trained p_cheap_ok head next to the model file ({@link CheapOkHead#FILE}), or null (with one log line) when
   * there is none or it cannot be read: p_cheap_ok is then the heuristic's rule, as before the head existed.
   */
  static CheapOkHead cheapOk(String model) {
    Path parent = Path.of(model).getParent();
    String head = parent == null ? CheapOkHead.FILE : parent.resolve(CheapOkHead.FILE).toString();
    try {
      return CheapOkHead.parse(new JsonObject(new String(read(head), StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      LOG.warn("classifier: no trained p_cheap_ok ({}: {}); p_cheap_ok is the heuristic rule", head, reason(e));
      return null;
    }
  }

  /** The file at {@code model}, else the class-path resource of the same path (the model travels in the jar). */
  static byte[] read(String model) throws IOException {
    Path file = Path.of(model);
    if (Files.isRegularFile(file)) {
      return Files.readAllBytes(file);
    }
    try (InputStream in = ClassifierLoader.class.getResourceAsStream("/" + model.replaceFirst("^\\./", ""))) {
      if (in == null) {
        throw new NoSuchFileException(model, null, "no such file, nor on the class path");
      }
      return in.readAllBytes();
    }
  }

  private static String reason(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
