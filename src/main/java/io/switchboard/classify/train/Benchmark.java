package io.switchboard.classify.train;

import ai.onnxruntime.OrtException;
import io.switchboard.classify.ModelInput;
import io.switchboard.classify.StaticModel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Latency and throughput of a model tier's path as the gateway runs it on a cache miss: tokenize the normalized
 * text, run the ONNX graph (tier 1) or the encoder and its heads (tier 2). Per-prompt latency on one thread;
 * throughput with one and with two threads.
 */
final class Benchmark {

  static final int WARM_UP_PASSES = 3;
  static final int TIMED_PASSES = 5;

  /** Latencies in microseconds, throughput in prompts per second. */
  record Latency(double p50, double p99, double oneThread, double twoThreads, int samples, String loadAverage,
                 int processors) {
  }

  /** One classification of a normalized text, from its characters to probabilities. */
  @FunctionalInterface
  interface Inference {
    void run(String text) throws OrtException;
  }

  private Benchmark() {
  }

  static Latency run(StaticModel model, ModelInput input, List<String> texts, PrintStream log, boolean progress)
    throws OrtException {
    return run(text -> model.predict(input.ids(text)), texts, WARM_UP_PASSES, TIMED_PASSES, log, progress);
  }

  static Latency run(Inference inference, List<String> texts, int warmUpPasses, int timedPasses, PrintStream log,
                     boolean progress) throws OrtException {
    String load = loadAverage();
    for (int pass = 0; pass < warmUpPasses; pass++) {
      for (String text : texts) {
        inference.run(text);
      }
    }
    long[] nanos = new long[texts.size() * timedPasses];
    int k = 0;
    for (int pass = 0; pass < timedPasses; pass++) {
      for (String text : texts) {
        long start = System.nanoTime();
        inference.run(text);
        nanos[k++] = System.nanoTime() - start;
      }
      if (progress) {
        log.printf("\r  latency pass %d / %d", pass + 1, timedPasses);
      }
    }
    if (progress) {
      log.println();
    }
    Arrays.sort(nanos);
    double one = throughput(inference, texts, timedPasses, 1);
    double two = throughput(inference, texts, timedPasses, 2);
    return new Latency(nanos[nanos.length / 2] / 1e3, nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e3, one,
      two, nanos.length, load, Runtime.getRuntime().availableProcessors());
  }

  private static double throughput(Inference inference, List<String> texts, int passes, int threads) {
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          for (int pass = 0; pass < passes; pass++) {
            for (String text : texts) {
              inference.run(text);
            }
          }
        } catch (OrtException | RuntimeException e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }, "benchmark-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("benchmark failed: " + failures.get(0), failures.get(0));
    }
    return threads * (double) passes * texts.size() / ((System.nanoTime() - start) / 1e9);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
