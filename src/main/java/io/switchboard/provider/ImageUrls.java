package io.switchboard.provider;

import java.util.Locale;

/**
 * An OpenAI {@code image_url} (or file) reference: a {@code data:} URL with its media type and base64 payload,
 * or a plain http(s) URL.
 *
 * @param mediaType the media type of a data URL, or the one guessed from a plain URL's extension
 * @param base64 the payload of a data URL; null for a plain URL
 */
public record ImageUrls(String mediaType, String base64, String url) {

  /** Reads {@code url}; null when it is neither a base64 data URL nor an http(s) URL. */
  public static ImageUrls parse(String url) {
    if (url == null) {
      return null;
    }
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      int marker = url.indexOf(";base64");
      if (comma < 0 || marker < 0 || marker > comma) {
        return null;
      }
      return new ImageUrls(url.substring(5, marker), url.substring(comma + 1), null);
    }
    if (url.startsWith("https://") || url.startsWith("http://")) {
      return new ImageUrls(guessType(url), null, url);
    }
    return null;
  }

  public boolean inline() {
    return base64 != null;
  }

  private static String guessType(String url) {
    String path = url.toLowerCase(Locale.ROOT);
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.endsWith(".png")) {
      return "image/png";
    }
    if (path.endsWith(".gif")) {
      return "image/gif";
    }
    if (path.endsWith(".webp")) {
      return "image/webp";
    }
    if (path.endsWith(".pdf")) {
      return "application/pdf";
    }
    return "image/jpeg";
  }
}
