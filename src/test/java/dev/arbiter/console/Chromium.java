// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven by Debian's chromedriver, holding a client certificate, as in
 * ../shared/recipes/chromium-client-cert.md: an NSS database in a throwaway HOME with the
 * certificate (PKCS#12) and Arbiter's CA, and a managed policy ({@code
 * AutoSelectCertificateForUrls}) written under a unique name and deleted on {@link #close()}.
 */
final class Chromium implements AutoCloseable {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path POLICIES = Path.of("/etc/chromium/policies/managed");

  private final Path policy;

  private Chromium(Path policy) {
    this.policy = policy;
  }

  /** What is missing to run browser tests here (empty when everything is installed). */
  static List<String> missing() {
    List<String> out = new ArrayList<>();
    for (Path tool : List.of(BROWSER, DRIVER)) {
      if (!Files.isExecutable(tool)) {
        out.add(tool.toString());
      }
    }
    for (String tool : List.of("certutil", "pk12util", "openssl")) {
      if (which(tool).isEmpty()) {
        out.add(tool);
      }
    }
    return out;
  }

  /** Writes the managed policy that auto-selects a client certificate for {@code origin}. */
  static Chromium forOrigin(String origin) throws IOException {
    Files.createDirectories(POLICIES);
    Path file = POLICIES.resolve("arbiter-console-test-" + UUID.randomUUID() + ".json");
    String pattern = "{\\\"pattern\\\":\\\"" + origin + "\\\",\\\"filter\\\":{}}";
    Files.writeString(file, "{\"AutoSelectCertificateForUrls\": [\"" + pattern + "\"]}\n");
    return new Chromium(file);
  }

  /**
   * A throwaway HOME whose NSS database trusts {@code ca} and holds the client certificate ({@code
   * certificate}, {@code key}) when given.
   */
  static Path home(Path dir, Path ca, Optional<Path[]> client) {
    Path nss = dir.resolve(".pki/nssdb");
    try {
      Files.createDirectories(nss);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String db = "sql:" + nss;
    run(dir, "certutil", "-N", "-d", db, "--empty-password");
    if (client.isPresent()) {
      Path p12 = dir.resolve("client.p12");
      run(
          dir,
          "openssl",
          "pkcs12",
          "-export",
          "-in",
          client.get()[0].toString(),
          "-inkey",
          client.get()[1].toString(),
          "-out",
          p12.toString(),
          "-passout",
          "pass:",
          "-name",
          "arbiter-client");
      run(dir, "pk12util", "-i", p12.toString(), "-d", db, "-W", "");
    }
    run(dir, "certutil", "-A", "-d", db, "-n", "arbiter-ca", "-t", "C,,", "-i", ca.toString());
    return dir;
  }

  /** A headless Chromium session with {@code home} as HOME. Quit it. */
  static ChromeDriver start(Path home, int width, int height) {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withEnvironment(Map.of("HOME", home.toString()))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + home.resolve("profile"),
        "--window-size=" + width + "," + height);
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return driver;
  }

  /** The browser console messages since the last call that report a blocked resource or script. */
  static List<String> cspViolations(ChromeDriver driver) {
    return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
        .map(org.openqa.selenium.logging.LogEntry::getMessage)
        .filter(message -> message.contains("Content Security Policy"))
        .toList();
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(policy);
  }

  private static Optional<Path> which(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static void run(Path dir, String... command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("tool.log").toFile())
              .start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + Files.readString(dir.resolve("tool.log")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
