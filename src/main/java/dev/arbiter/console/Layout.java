// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static dev.arbiter.console.Html.esc;

import dev.arbiter.auth.Principal;
import dev.arbiter.auth.Role;

/**
 * The page shell every console page shares: head (assets from {@code /ui/assets/}, no inline script
 * or style), a skip link, the navigation and who is signed in.
 */
public final class Layout {
  /** Where the console lives. */
  public static final String BASE = "/ui";

  private Layout() {}

  /** The navigation entries: path, label, and whether the role sees it. */
  private record Nav(String key, String path, String label) {}

  /** A whole HTML document. {@code active} names the navigation entry of the page. */
  public static String page(String title, Principal who, String active, String main) {
    StringBuilder out = new StringBuilder(8192 + main.length());
    out.append(
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,\
        "allowScriptTags":false,"selfRequestsOnly":true}'>
        <title>\
        """);
    out.append(esc(title)).append(" · Arbiter</title>\n");
    out.append(
        """
        <link rel="stylesheet" href="/ui/assets/uPlot.min.css">
        <link rel="stylesheet" href="/ui/assets/console.css">
        <script src="/ui/assets/htmx.min.js" defer></script>
        <script src="/ui/assets/uPlot.iife.min.js" defer></script>
        <script src="/ui/assets/console.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
        <a class="brand" href="/ui/">Arbiter</a>
        <nav aria-label="Console"><ul>
        """);
    for (Nav nav :
        new Nav[] {
          new Nav("overview", "/ui/", "Overview"),
          new Nav("decisions", "/ui/decisions", "Decisions"),
          new Nav("audit", "/ui/audit", "Audit"),
          new Nav("governance", "/ui/governance", "Governance")
        }) {
      if ((nav.key().equals("audit") || nav.key().equals("governance"))
          && who.role() == Role.PIPELINE) {
        continue; // the audit log is for operators and auditors (as GET /v1/audit)
      }
      out.append("<li><a href=\"").append(nav.path()).append('"');
      if (nav.key().equals(active)) {
        out.append(" aria-current=\"page\"");
      }
      out.append('>').append(nav.label()).append("</a></li>\n");
    }
    out.append("</ul></nav>\n<p class=\"who\">Signed in as <strong>")
        .append(esc(who.name()))
        .append("</strong> <span class=\"role role-")
        .append(esc(who.role().id()))
        .append("\">")
        .append(esc(who.role().id()))
        .append("</span></p>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n")
        .append(main)
        .append("\n</main>\n</body>\n</html>\n");
    return out.toString();
  }

  /** Whether {@code who} may change rollouts (operators and pipelines; never auditors). */
  public static boolean mayAct(Principal who) {
    return who.role() == Role.OPERATOR || who.role() == Role.PIPELINE;
  }
}
