package io.switchboard.classify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heuristic classifier's vocabulary, compiled into hash lookups so that scoring a prompt costs one pass over
 * its words: exact words, stems ({@code vulnerab*}, at least four letters) and phrases ({@code sql injection},
 * whose last word may be a stem). Immutable after construction; thread-safe.
 */
final class Cues {

  /** A phrase cue: its words after the first, and whether the last is a stem. */
  private record Phrase(String[] rest, boolean lastIsStem, TaskType type) {
  }

  private record Stem(String stem, TaskType type) {
  }

  private final Map<String, List<TaskType>> words = new HashMap<>();
  private final Map<String, List<Stem>> stemsByPrefix = new HashMap<>();
  private final Map<String, List<Phrase>> phrasesByFirstWord = new HashMap<>();

  Cues(Map<TaskType, List<String>> cues) {
    cues.forEach((type, list) -> list.forEach(cue -> add(type, cue)));
  }

  private void add(TaskType type, String cue) {
    String[] parts = cue.split(" ");
    if (parts.length > 1) {
      String last = parts[parts.length - 1];
      boolean stem = last.endsWith("*");
      String[] rest = new String[parts.length - 1];
      System.arraycopy(parts, 1, rest, 0, rest.length);
      if (stem) {
        rest[rest.length - 1] = last.substring(0, last.length() - 1);
      }
      phrasesByFirstWord.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(new Phrase(rest, stem, type));
    } else if (cue.endsWith("*")) {
      String stem = cue.substring(0, cue.length() - 1);
      if (stem.length() < 4) {
        throw new IllegalArgumentException("stem cue shorter than four letters: " + cue);
      }
      stemsByPrefix.computeIfAbsent(stem.substring(0, 4), k -> new ArrayList<>()).add(new Stem(stem, type));
    } else {
      words.computeIfAbsent(cue, k -> new ArrayList<>()).add(type);
    }
  }

  /** Adds one to a task type's score for every cue found in {@code tokens}. */
  void score(List<String> tokens, EnumMap<TaskType, Double> scores) {
    for (int i = 0; i < tokens.size(); i++) {
      String word = tokens.get(i);
      List<TaskType> exact = words.get(word);
      if (exact != null) {
        exact.forEach(t -> scores.merge(t, 1.0, Double::sum));
      }
      if (word.length() >= 4) {
        List<Stem> stems = stemsByPrefix.get(word.substring(0, 4));
        if (stems != null) {
          for (Stem stem : stems) {
            if (word.startsWith(stem.stem())) {
              scores.merge(stem.type(), 1.0, Double::sum);
            }
          }
        }
      }
      List<Phrase> phrases = phrasesByFirstWord.get(word);
      if (phrases != null) {
        for (Phrase phrase : phrases) {
          if (matches(tokens, i + 1, phrase)) {
            scores.merge(phrase.type(), 1.0, Double::sum);
          }
        }
      }
    }
  }

  private static boolean matches(List<String> tokens, int from, Phrase phrase) {
    String[] rest = phrase.rest();
    if (from + rest.length > tokens.size()) {
      return false;
    }
    for (int k = 0; k < rest.length; k++) {
      String token = tokens.get(from + k);
      boolean last = k == rest.length - 1;
      if (last && phrase.lastIsStem() ? !token.startsWith(rest[k]) : !token.equals(rest[k])) {
        return false;
      }
    }
    return true;
  }
}
