package io.switchboard.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The deterministic calibration/held-out split: a prompt is in the calibration split when the first byte of the
 * SHA-256 of its id is even. Policies are tuned on calibration prompts and reported on held-out ones.
 */
final class Split {

  static final String DESCRIPTION = "SHA-256 of the prompt id, first byte even: calibration, odd: held-out";

  private Split() {
  }

  static boolean calibration(String id) {
    return (sha256(id)[0] & 1) == 0;
  }

  /** A uniform number in [0, 1) from the id, independent of the split: the random router's coin. */
  static double coin(String id) {
    byte[] hash = sha256("coin:" + id);
    long bits = 0;
    for (int i = 0; i < 7; i++) {
      bits = (bits << 8) | (hash[i] & 0xff);
    }
    return bits / (double) (1L << 56);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
