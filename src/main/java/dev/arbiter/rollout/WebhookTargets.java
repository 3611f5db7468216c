// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The operator's allow-list of webhook targets ({@code serve --webhook-allow PREFIX}, env {@code
 * ARBITER_WEBHOOK_ALLOW}); empty by default, so every webhook is refused until configured. A URL is
 * allowed when it has no userinfo or fragment and one prefix has the same scheme, host and port
 * (default ports made explicit) and a path that is a prefix of the URL's path at a segment
 * boundary. Prefixes must be https, except {@code http://127.0.0.1} and {@code http://localhost}
 * (tests, a local relay). Checked when a rollout registers its webhook and again before every
 * delivery, so that a target removed from the list is never sent to. Immutable and thread-safe.
 *
 * <p>Security: closes SSRF through the webhook URL (issue 11 item 7), e.g. {@code
 * http://169.254.169.254/} or the database port on loopback. Host names are compared as written;
 * the allow-list should name hosts the operator controls the DNS of.
 */
public final class WebhookTargets {
  private final List<URI> prefixes;

  private WebhookTargets(List<URI> prefixes) {
    this.prefixes = List.copyOf(prefixes);
  }

  /** No target allowed (the default). */
  public static WebhookTargets none() {
    return new WebhookTargets(List.of());
  }

  /**
   * The allow-list of these prefixes.
   *
   * @throws IllegalArgumentException when a prefix is malformed, has userinfo, query or fragment,
   *     or is http:// to anything but 127.0.0.1 or localhost
   */
  public static WebhookTargets of(List<String> prefixes) {
    List<URI> parsed = new ArrayList<>();
    for (String prefix : prefixes) {
      URI uri =
          parse(prefix.strip())
              .orElseThrow(
                  () -> new IllegalArgumentException("malformed webhook prefix: " + prefix));
      if (uri.getRawUserInfo() != null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "a webhook prefix takes no userinfo, query or fragment: " + prefix);
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https")
          && !(scheme.equals("http") && (host.equals("127.0.0.1") || host.equals("localhost")))) {
        throw new IllegalArgumentException(
            "a webhook prefix must be https:// (http:// only to 127.0.0.1 or localhost): "
                + prefix);
      }
      parsed.add(uri);
    }
    return new WebhookTargets(parsed);
  }

  public boolean isEmpty() {
    return prefixes.isEmpty();
  }

  /** Why {@code url} is not an allowed target, or empty when it is. */
  public Optional<String> refusal(String url) {
    Optional<URI> parsed = parse(url);
    if (parsed.isEmpty()) {
      return Optional.of("webhook URL must be http(s)://host/...");
    }
    URI uri = parsed.get();
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      return Optional.of("webhook URL must not carry userinfo or a fragment");
    }
    if (prefixes.isEmpty()) {
      return Optional.of(
          "no webhook target is allowed on this server (serve --webhook-allow PREFIX)");
    }
    for (URI prefix : prefixes) {
      if (matches(uri, prefix)) {
        return Optional.empty();
      }
    }
    return Optional.of("webhook URL matches no allowed prefix (serve --webhook-allow)");
  }

  private static boolean matches(URI uri, URI prefix) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals(prefix.getScheme().toLowerCase(Locale.ROOT))
        || !uri.getHost().equalsIgnoreCase(prefix.getHost())
        || port(uri) != port(prefix)) {
      return false;
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String allowed =
        prefix.getRawPath() == null || prefix.getRawPath().isEmpty() ? "/" : prefix.getRawPath();
    if (path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
      return false;
    }
    return path.equals(allowed)
        || (path.startsWith(allowed)
            && (allowed.endsWith("/") || path.charAt(allowed.length()) == '/'));
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static Optional<URI> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 2048) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null
          || !(uri.getScheme().equalsIgnoreCase("https")
              || uri.getScheme().equalsIgnoreCase("http"))
          || uri.getHost() == null
          || uri.isOpaque()) {
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
