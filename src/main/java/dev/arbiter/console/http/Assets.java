// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's static files, served by Arbiter itself from {@code /ui/assets/} (no external
 * requests): htmx and uPlot from their WebJars, and the console's own stylesheet and script. All
 * are read from the classpath once, at start, so a missing one fails the start, not a page.
 */
final class Assets {
  /** The WebJar versions (pinned in pom.xml). */
  static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";

  static final String UPLOT_JS = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js";
  static final String UPLOT_CSS = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css";
  static final String OWN = "dev/arbiter/console/assets/";

  /** One file: its bytes and media type. */
  record Asset(byte[] bytes, String contentType) {}

  private final Map<String, Asset> files;

  Assets() {
    String js = "text/javascript; charset=utf-8";
    String css = "text/css; charset=utf-8";
    files =
        Map.of(
            "htmx.min.js", load(HTMX, js),
            "uPlot.iife.min.js", load(UPLOT_JS, js),
            "uPlot.min.css", load(UPLOT_CSS, css),
            "console.css", load(OWN + "console.css", css),
            "console.js", load(OWN + "console.js", js));
  }

  Optional<Asset> get(String name) {
    return Optional.ofNullable(files.get(name));
  }

  private static Asset load(String resource, String contentType) {
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("console asset missing from the classpath: " + resource);
      }
      return new Asset(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
