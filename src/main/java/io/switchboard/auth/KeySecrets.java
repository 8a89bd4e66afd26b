package io.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes the secrets and public ids of virtual keys, and the digest under which a secret is stored: the secret itself
 * is shown once to whoever created the key and kept nowhere. A secret holds 43 random base62 characters (256 bits),
 * so an unsalted SHA-256 of it cannot be reversed by guessing.
 */
public final class KeySecrets {

  public static final String SECRET_PREFIX = "sk-sb-";
  public static final String ID_PREFIX = "vk_";
  private static final int SECRET_CHARS = 43;
  private static final int ID_CHARS = 12;
  private static final int MAX_SECRET_LENGTH = 256;
  private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeySecrets() {
  }

  public static String newSecret() {
    return SECRET_PREFIX + random(SECRET_CHARS);
  }

  public static String newId() {
    return ID_PREFIX + random(ID_CHARS);
  }

  /** Whether a client's credential has the shape of a virtual key; anything else is never looked up. */
  public static boolean looksLikeSecret(String credential) {
    return credential.startsWith(SECRET_PREFIX) && credential.length() <= MAX_SECRET_LENGTH;
  }

  /** The lower-case hex SHA-256 of the secret: the only form in which a secret is stored or compared. */
  public static String hash(String secret) {
    return HexFormat.of().formatHex(sha256(secret));
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String random(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = BASE62[RANDOM.nextInt(BASE62.length)];
    }
    return new String(chars);
  }
}
