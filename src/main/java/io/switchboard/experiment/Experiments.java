package io.switchboard.experiment;

import io.switchboard.auth.Caller;
import io.switchboard.config.ArmConfig;
import io.switchboard.config.ExperimentConfig;
import io.switchboard.openai.ChatRequest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Puts requests into experiment arms. The arm is a pure function of the experiment's name and the subject (the
 * virtual key, the user or the conversation): SHA-256 of both, read as a number in [0, 1), against the arms'
 * cumulative weights. So a subject stays in its arm on every instance and across restarts, and experiments with
 * different names split the same subjects independently. Immutable and thread-safe.
 */
public final class Experiments {

  public static final Experiments NONE = new Experiments(Map.of());

  private final Map<String, ExperimentConfig> byModel;

  private Experiments(Map<String, ExperimentConfig> byModel) {
    this.byModel = Map.copyOf(byModel);
  }

  public static Experiments of(Map<String, ExperimentConfig> experiments) {
    Map<String, ExperimentConfig> byModel = new HashMap<>();
    experiments.values().stream().filter(ExperimentConfig::enabled).forEach(e -> byModel.put(e.model(), e));
    return new Experiments(byModel);
  }

  /**
   * The arm of the experiment on the requested model, if any. A request without the experiment's assignment key
   * is left out ({@code unkeyed: exclude}) or given an arm at random ({@code unkeyed: random}).
   */
  public Optional<Assignment> assign(ChatRequest request, Caller caller) {
    ExperimentConfig experiment = byModel.get(request.model());
    if (experiment == null) {
      return Optional.empty();
    }
    String subject = subject(experiment, request, caller);
    double point;
    if (!subject.isEmpty()) {
      point = unit(experiment.name() + "\n" + experiment.assignBy() + "\n" + subject);
    } else if (experiment.unkeyed() == ExperimentConfig.Unkeyed.RANDOM) {
      point = ThreadLocalRandom.current().nextDouble();
    } else {
      return Optional.empty();
    }
    ArmConfig arm = pick(experiment, point);
    return Optional.of(new Assignment(experiment.name(), arm.name(), arm.policy()));
  }

  private static String subject(ExperimentConfig experiment, ChatRequest request, Caller caller) {
    return switch (experiment.assignBy()) {
      case KEY -> caller.keyId();
      case USER -> !caller.user().isEmpty() ? caller.user()
        : request.body().getValue("user") instanceof String user ? user : "";
      case CONVERSATION -> caller.conversationId();
    };
  }

  /** The arm whose share of [0, 1), by weight in configuration order, holds {@code point}. */
  static ArmConfig pick(ExperimentConfig experiment, double point) {
    double total = experiment.arms().stream().mapToDouble(ArmConfig::weight).sum();
    double reached = 0;
    for (ArmConfig arm : experiment.arms()) {
      reached += arm.weight() / total;
      if (point < reached) {
        return arm;
      }
    }
    return experiment.arms().get(experiment.arms().size() - 1);
  }

  /** The first 53 bits of SHA-256 as a number in [0, 1). */
  static double unit(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
