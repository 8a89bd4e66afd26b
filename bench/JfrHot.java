import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording of the gateway under load (JDK 17's {@code jfr} has no {@code view hot-methods}).
 * Run with the source launcher, no build step:
 *
 * <pre>java bench/JfrHot.java FILE.jfr [--from EPOCH_MS] [--to EPOCH_MS] [--requests N] [--top N]</pre>
 *
 * Only events inside [from, to] count (the measured window, warm-up excluded). Prints: CPU by thread, hot methods
 * (top frame of jdk.ExecutionSample, i.e. self time of Java code), inclusive time per method and per subsystem
 * (JSON, regex, jtokkit, logging, metrics, event bus, Vert.x web, Netty, ...), native-method samples (threads in
 * JNI: socket I/O, epoll), allocation by top frame, GC pauses and JIT activity in the window.
 */
public final class JfrHot {

  /** Subsystems, matched on a frame's class name prefix; the first match wins. */
  private static final Map<String, List<String>> CATEGORIES = new LinkedHashMap<>();

  static {
    CATEGORIES.put("jtokkit token counting", List.of("com.knuddels.jtokkit."));
    CATEGORIES.put("regex (java.util.regex)", List.of("java.util.regex."));
    CATEGORIES.put("JSON (Jackson, Vert.x JsonObject)", List.of("com.fasterxml.jackson.", "io.vertx.core.json."));
    CATEGORIES.put("logging (logback/slf4j)", List.of("ch.qos.logback.", "org.slf4j."));
    CATEGORIES.put("metrics (Micrometer)", List.of("io.micrometer."));
    CATEGORIES.put("event bus (Vert.x)", List.of("io.vertx.core.eventbus."));
    CATEGORIES.put("Vert.x web router/body", List.of("io.vertx.ext.web."));
    CATEGORIES.put("Vert.x HTTP client", List.of("io.vertx.core.http.impl.HttpClient", "io.vertx.core.http.impl.Http1xClient",
      "io.vertx.core.net.impl.pool.", "io.vertx.core.http.impl.pool", "io.vertx.core.http.impl.Endpoint",
      "io.vertx.core.http.impl.SharedHttpClientConnectionGroup", "io.vertx.core.http.impl.http1x.Http1xClient"));
    CATEGORIES.put("Vert.x HTTP server", List.of("io.vertx.core.http.impl.Http1xServer", "io.vertx.core.http.impl.http1x.Http1xServer",
      "io.vertx.core.http.impl.HttpServer"));
    CATEGORIES.put("Vert.x futures/context", List.of("io.vertx.core.impl.future.", "io.vertx.core.impl.ContextInternal",
      "io.vertx.core.impl.EventLoopContext", "io.vertx.core.impl.ContextImpl", "io.vertx.core.impl.DuplicatedContext",
      "io.vertx.core.internal.", "io.vertx.core.impl."));
    CATEGORIES.put("Netty HTTP codec", List.of("io.netty.handler.codec."));
    CATEGORIES.put("Netty buffers", List.of("io.netty.buffer."));
    CATEGORIES.put("Netty channel/event loop", List.of("io.netty.channel.", "io.netty.util."));
    CATEGORIES.put("NIO / socket I/O", List.of("sun.nio.", "java.nio.", "sun.net."));
    CATEGORIES.put("Switchboard code", List.of("io.switchboard."));
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: java JfrHot.java FILE.jfr [--from EPOCH_MS] [--to EPOCH_MS] [--requests N] [--top N]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    Instant from = Instant.MIN;
    Instant to = Instant.MAX;
    long requests = 0;
    int top = 25;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--from" -> from = Instant.ofEpochMilli(Long.parseLong(args[i + 1]));
        case "--to" -> to = Instant.ofEpochMilli(Long.parseLong(args[i + 1]));
        case "--requests" -> requests = Long.parseLong(args[i + 1]);
        case "--top" -> top = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }

    Map<String, Long> selfByMethod = new HashMap<>();
    Map<String, Long> totalByMethod = new HashMap<>();
    Map<String, Long> selfByCategory = new HashMap<>();
    Map<String, Long> totalByCategory = new HashMap<>();
    Map<String, Long> samplesByThread = new HashMap<>();
    Map<String, Long> selfByOwnFrame = new HashMap<>();
    Map<String, Long> nativeTop = new HashMap<>();
    Map<String, Long> allocByTop = new HashMap<>();
    Map<String, Long> allocByApp = new HashMap<>();
    Map<String, double[]> cpuByThread = new HashMap<>();   // sum user, sum system, count
    double[] jvmCpu = new double[3];                          // jvmUser, jvmSystem, count
    long samples = 0;
    long nativeSamples = 0;
    long allocBytes = 0;
    long gcCount = 0;
    Duration gcPause = Duration.ZERO;
    Duration gcLongest = Duration.ZERO;
    long compilations = 0;
    Duration compileTime = Duration.ZERO;
    Instant first = null;
    Instant last = null;

    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        Instant t = e.getStartTime();
        if (t.isBefore(from) || t.isAfter(to)) {
          continue;
        }
        if (first == null || t.isBefore(first)) {
          first = t;
        }
        if (last == null || t.isAfter(last)) {
          last = t;
        }
        switch (e.getEventType().getName()) {
          case "jdk.ExecutionSample" -> {
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
              continue;
            }
            samples++;
            samplesByThread.merge(threadName(e.getThread("sampledThread")), 1L, Long::sum);
            List<RecordedFrame> frames = st.getFrames();
            String topMethod = name(frames.get(0));
            selfByMethod.merge(topMethod, 1L, Long::sum);
            selfByCategory.merge(categoryOfSelf(frames), 1L, Long::sum);
            selfByOwnFrame.merge(nearestOwnFrame(frames), 1L, Long::sum);
            Set<String> seenMethods = new LinkedHashSet<>();
            Set<String> seenCategories = new LinkedHashSet<>();
            for (RecordedFrame f : frames) {
              if (!f.isJavaFrame()) {
                continue;
              }
              seenMethods.add(name(f));
              String c = category(f);
              if (c != null) {
                seenCategories.add(c);
              }
            }
            seenMethods.forEach(m -> totalByMethod.merge(m, 1L, Long::sum));
            seenCategories.forEach(c -> totalByCategory.merge(c, 1L, Long::sum));
          }
          case "jdk.NativeMethodSample" -> {
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
              continue;
            }
            nativeSamples++;
            List<RecordedFrame> frames = st.getFrames();
            String key = name(frames.get(0)) + (frames.size() > 1 ? "  <- " + name(frames.get(1)) : "");
            nativeTop.merge(threadName(e.getThread("sampledThread")) + ": " + key, 1L, Long::sum);
          }
          case "jdk.ObjectAllocationSample" -> {
            long w = e.getLong("weight");
            allocBytes += w;
            RecordedStackTrace st = e.getStackTrace();
            if (st != null && !st.getFrames().isEmpty()) {
              List<RecordedFrame> frames = st.getFrames();
              allocByTop.merge(name(frames.get(0)) + " (" + e.getClass("objectClass").getName() + ")", w, Long::sum);
              for (RecordedFrame f : frames) {
                String cls = f.getMethod().getType().getName();
                if (!cls.startsWith("java.") && !cls.startsWith("jdk.") && !cls.startsWith("sun.")) {
                  allocByApp.merge(name(f), w, Long::sum);
                  break;
                }
              }
            }
          }
          case "jdk.ThreadCPULoad" -> {
            double[] a = cpuByThread.computeIfAbsent(threadName(e.getThread("eventThread")), k -> new double[3]);
            a[0] += e.getFloat("user");
            a[1] += e.getFloat("system");
            a[2]++;
          }
          case "jdk.CPULoad" -> {
            jvmCpu[0] += e.getFloat("jvmUser");
            jvmCpu[1] += e.getFloat("jvmSystem");
            jvmCpu[2]++;
          }
          case "jdk.GarbageCollection" -> {
            gcCount++;
            Duration d = e.getDuration("sumOfPauses");
            gcPause = gcPause.plus(d);
            if (d.compareTo(gcLongest) > 0) {
              gcLongest = d;
            }
          }
          case "jdk.Compilation" -> {
            compilations++;
            compileTime = compileTime.plus(e.getDuration());
          }
          default -> {
          }
        }
      }
    }

    double windowS = first == null ? 0 : Duration.between(first, last).toMillis() / 1000.0;
    System.out.printf(Locale.ROOT, "JFR %s, window %.1f s%s%n", file.getFileName(), windowS,
      requests > 0 ? String.format(Locale.ROOT, ", %d requests (%.0f req/s)", requests, requests / Math.max(windowS, 1e-9)) : "");
    if (jvmCpu[2] > 0) {
      System.out.printf(Locale.ROOT, "JVM CPU (of the CPUs it may use): user %.1f %% + system %.1f %% (mean of jdk.CPULoad)%n",
        100 * jvmCpu[0] / jvmCpu[2], 100 * jvmCpu[1] / jvmCpu[2]);
    }
    System.out.println();
    System.out.println("## CPU by thread (jdk.ThreadCPULoad means; one core = 100 %)");
    cpuByThread.entrySet().stream()
      .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
      .limit(10)
      .forEach(en -> {
        double[] a = en.getValue();
        if ((a[0] + a[1]) / a[2] >= 0.001) {
          System.out.printf(Locale.ROOT, "  %6.1f %%  (user %5.1f, sys %5.1f)  %s%n", 100 * (a[0] + a[1]) / a[2],
            100 * a[0] / a[2], 100 * a[1] / a[2], en.getKey());
        }
      });

    System.out.println();
    System.out.printf(Locale.ROOT, "## Hot methods: top frame of %d Java execution samples (self time)%n", samples);
    printTop(selfByMethod, samples, top, Function.identity());
    System.out.println();
    System.out.println("## Samples by thread");
    printTop(samplesByThread, samples, 8, Function.identity());
    System.out.println();
    System.out.println("## Self time by subsystem (the category of the top frame; JDK frames count for their caller)");
    printTop(selfByCategory, samples, 20, Function.identity());
    System.out.println();
    System.out.println("## Self time charged to the nearest io.switchboard frame below it (what the gateway's code causes,");
    System.out.println("## library work included; samples with no gateway frame are Netty/Vert.x I/O and plumbing)");
    printTop(selfByOwnFrame, samples, 15, Function.identity());
    System.out.println();
    System.out.println("## Inclusive time by subsystem (samples with any frame of it on the stack; they overlap)");
    printTop(totalByCategory, samples, 20, Function.identity());
    System.out.println();
    System.out.println("## Inclusive time by method, io.switchboard.* only (where the gateway's own code spends)");
    Map<String, Long> own = totalByMethod.entrySet().stream().filter(en -> en.getKey().startsWith("io.switchboard."))
      .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    printTop(own, samples, top, Function.identity());
    System.out.println();
    System.out.printf(Locale.ROOT, "## Native method samples (threads inside JNI: socket reads/writes, epoll), %d samples%n",
      nativeSamples);
    printTop(nativeTop, nativeSamples, 8, Function.identity());
    System.out.println();
    System.out.printf(Locale.ROOT, "## Allocation (jdk.ObjectAllocationSample): %s in the window%s%n", bytes(allocBytes),
      requests > 0 ? String.format(Locale.ROOT, ", about %s per request", bytes(allocBytes / requests)) : "");
    System.out.println("  by first non-JDK frame:");
    printTopBytes(allocByApp, allocBytes, 12);
    System.out.println("  by top frame (object class):");
    printTopBytes(allocByTop, allocBytes, 10);
    System.out.println();
    System.out.printf(Locale.ROOT, "## GC: %d collections, %d ms paused in total (longest %d ms)%s%n", gcCount, gcPause.toMillis(),
      gcLongest.toMillis(), windowS > 0 ? String.format(Locale.ROOT, ", %.1f %% of the window", 100.0 * gcPause.toMillis() / 1000 / windowS) : "");
    System.out.printf(Locale.ROOT, "## JIT: %d compilations in the window, %d ms compiling%n", compilations, compileTime.toMillis());
  }

  private static void printTop(Map<String, Long> counts, long total, int n, Function<String, String> label) {
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    int rank = 0;
    for (Map.Entry<String, Long> en : sorted) {
      if (rank++ >= n) {
        break;
      }
      System.out.printf(Locale.ROOT, "  %3d. %6.2f %%  %6d  %s%n", rank, 100.0 * en.getValue() / Math.max(1, total), en.getValue(),
        label.apply(en.getKey()));
    }
  }

  private static void printTopBytes(Map<String, Long> counts, long total, int n) {
    counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
      .forEach(en -> System.out.printf(Locale.ROOT, "    %6.2f %%  %10s  %s%n", 100.0 * en.getValue() / Math.max(1, total),
        bytes(en.getValue()), en.getKey()));
  }

  private static String bytes(long b) {
    if (b >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    }
    if (b >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }
    if (b >= 1L << 10) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return b + " B";
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m.getType().getName() + "." + m.getName();
  }

  private static String threadName(RecordedThread t) {
    if (t == null) {
      return "?";
    }
    String n = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    return n == null ? "?" : n;
  }

  private static String category(RecordedFrame f) {
    String cls = f.getMethod().getType().getName();
    for (Map.Entry<String, List<String>> en : CATEGORIES.entrySet()) {
      for (String prefix : en.getValue()) {
        if (cls.startsWith(prefix)) {
          return en.getKey();
        }
      }
    }
    return null;
  }

  private static String nearestOwnFrame(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String cls = f.getMethod().getType().getName();
      if (f.isJavaFrame() && cls.startsWith("io.switchboard.") && !cls.contains("$$Lambda")) {
        return name(f);
      }
    }
    return "(no gateway frame: Netty/Vert.x I/O, HTTP codec, event loop)";
  }

  /** The subsystem that owns the top frame: the first categorized frame from the top (JDK helpers count for their caller). */
  private static String categoryOfSelf(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (!f.isJavaFrame()) {
        continue;
      }
      String c = category(f);
      if (c != null) {
        return c;
      }
    }
    return "other (" + frames.get(0).getMethod().getType().getName() + ")";
  }
}
