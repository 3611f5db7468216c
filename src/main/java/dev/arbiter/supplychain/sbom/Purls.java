// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Package URL to OSV identity (FACTS.md section 7): {@code golang} to Go (module path = namespace +
 * name), {@code maven} to Maven ({@code group:artifact}), {@code npm} ({@code @scope/name}), {@code
 * pypi} to PyPI, {@code gem} to RubyGems, {@code cargo} to crates.io, {@code nuget}, {@code
 * composer} to Packagist, {@code hex}, {@code pub}, {@code deb} with a {@code distro=debian-N...}
 * qualifier to {@code Debian:N}, {@code apk} with {@code distro=alpine-X.Y...} to {@code
 * Alpine:vX.Y}; {@code github}/{@code gitlab}/{@code bitbucket} purls whose version is a commit
 * hash to {@link PackageRef#GIT}. Qualifiers and subpaths are dropped; percent-escapes are decoded.
 * Anything else (including malformed purls) has no OSV identity. Never throws.
 */
public final class Purls {
  private static final Pattern HEX_COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");
  private static final Pattern DEBIAN = Pattern.compile("debian-(\\d+).*");
  private static final Pattern ALPINE = Pattern.compile("alpine-(\\d+\\.\\d+).*");
  private static final Map<String, String> SIMPLE =
      Map.of(
          "gem",
          "RubyGems",
          "cargo",
          "crates.io",
          "nuget",
          "NuGet",
          "composer",
          "Packagist",
          "hex",
          "Hex",
          "pub",
          "Pub",
          "pypi",
          "PyPI");

  private Purls() {}

  public static Optional<PackageRef> packageRef(String purl) {
    if (purl == null || purl.isEmpty() || purl.length() > 4096) {
      return Optional.empty();
    }
    PackageURL parsed;
    try {
      parsed = new PackageURL(purl);
    } catch (MalformedPackageURLException | RuntimeException e) {
      return Optional.empty();
    }
    String type = parsed.getType();
    String namespace = parsed.getNamespace();
    String name = parsed.getName();
    String version = parsed.getVersion();
    Map<String, String> qualifiers =
        parsed.getQualifiers() == null ? Map.of() : parsed.getQualifiers();
    String ecosystem;
    String packageName = name;
    String commit = null;
    switch (type) {
      case "golang" -> {
        ecosystem = "Go";
        packageName = namespace == null ? name : namespace + "/" + name;
      }
      case "maven" -> {
        if (namespace == null) {
          return Optional.empty();
        }
        ecosystem = "Maven";
        packageName = namespace + ":" + name;
      }
      case "npm" -> {
        ecosystem = "npm";
        packageName = namespace == null ? name : namespace + "/" + name;
      }
      case "deb" -> {
        Matcher m = DEBIAN.matcher(qualifiers.getOrDefault("distro", ""));
        if (!"debian".equals(namespace) || !m.matches()) {
          return Optional.empty();
        }
        ecosystem =
            "Debian:" + Integer.parseInt(m.group(1).substring(0, Math.min(m.group(1).length(), 6)));
        if (qualifiers.containsKey("epoch") && version != null) {
          version = qualifiers.get("epoch") + ":" + version;
        }
      }
      case "apk" -> {
        Matcher m = ALPINE.matcher(qualifiers.getOrDefault("distro", ""));
        if (!m.matches()) {
          return Optional.empty();
        }
        ecosystem = "Alpine:v" + m.group(1);
      }
      case "github", "gitlab", "bitbucket" -> {
        if (namespace == null || version == null || !HEX_COMMIT.matcher(version).matches()) {
          return Optional.empty();
        }
        ecosystem = PackageRef.GIT;
        packageName =
            type + (type.equals("bitbucket") ? ".org/" : ".com/") + namespace + "/" + name;
        commit = version.toLowerCase(Locale.ROOT);
      }
      default -> {
        ecosystem = SIMPLE.get(type);
        if (ecosystem == null) {
          return Optional.empty();
        }
        if (namespace != null) {
          packageName = namespace + "/" + name; // composer vendor/name
        }
      }
    }
    return Optional.of(
        new PackageRef(ecosystem, normalizeName(ecosystem, packageName), version, commit));
  }

  /**
   * The name form used as an index key on both sides (SBOM and OSV): PyPI names in PEP 503 form
   * (lowercase, runs of {@code -_.} as one {@code -}); Go module paths, Packagist and GIT
   * repository names lowercased; other ecosystems are case-sensitive and unchanged. Go is compared
   * case-insensitively because purl tools (packageurl-java among them) lowercase {@code golang}
   * namespaces while OSV keeps the module path's case ({@code github.com/BurntSushi/toml}).
   */
  public static String normalizeName(String ecosystem, String name) {
    if (ecosystem.equals("PyPI")) {
      return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }
    if (ecosystem.equals("Go")
        || ecosystem.equals("Packagist")
        || ecosystem.equals(PackageRef.GIT)) {
      return name.toLowerCase(Locale.ROOT);
    }
    return name;
  }

  /**
   * Repository URL ({@code https://github.com/Owner/Repo.git}) to a GIT name ({@code
   * github.com/owner/repo}).
   */
  public static String repositoryName(String url) {
    String s = url.strip().toLowerCase(Locale.ROOT);
    s =
        s.replaceFirst("^[a-z+]+://", "")
            .replaceFirst("^git@([^:]+):", "$1/")
            .replaceFirst("^[^@/]*@", "");
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.endsWith(".git")) {
      s = s.substring(0, s.length() - 4);
    }
    return s;
  }
}
