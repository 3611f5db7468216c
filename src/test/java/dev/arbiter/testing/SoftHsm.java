// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.testing;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.PublicKeys;
import dev.arbiter.crypto.ServiceKeySource;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * EC P-256 service keys in a SoftHSM2 token, made with {@code softhsm2-util} and OpenSC's {@code
 * pkcs11-tool} (Debian packages {@code softhsm2} and {@code opensc}). Outside CI missing tools skip
 * the calling test; under {@code CI} they fail it.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} and its slots once per process, when the JVM first loads
 * the library, so this JVM uses one token ({@code softhsm-*} in {@code java.io.tmpdir}, deleted
 * when the JVM exits) and each test makes its own key pair in it. The variable is set in the
 * process environment with {@code setenv(3)} through the foreign-function API, called reflectively
 * because the sources target Java 21, where that API is a preview.
 */
public final class SoftHsm {
  /** The user PIN of every test token. */
  public static final String PIN = "1234";

  /** The label of this JVM's test token. */
  public static final String TOKEN_LABEL = "arbiter-test";

  private static final String SO_PIN = "5678";
  private static final List<Path> LIBRARIES =
      List.of(
          Path.of("/usr/lib/softhsm/libsofthsm2.so"),
          Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
          Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"),
          Path.of("/usr/local/lib/softhsm/libsofthsm2.so"));
  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");
  private static final AtomicInteger KEYS = new AtomicInteger();
  private static Shared shared;

  private SoftHsm() {}

  /**
   * A fresh EC P-256 key pair in this JVM's token (generated in the token, not extractable), with a
   * certificate for it issued by a throwaway test CA, all labelled {@code label}.
   *
   * @param work a directory for scratch files
   */
  public static Key key(Path work) throws Exception {
    return key(work, false);
  }

  /**
   * Like {@link #key}, but the certificate in the token certifies another (software) public key:
   * the token's private key does not match it.
   */
  public static Key keyWithForeignCertificate(Path work) throws Exception {
    return key(work, true);
  }

  private static Key key(Path work, boolean foreignCertificate) throws Exception {
    Path library = requireTools();
    Shared shared = shared(library, work);
    int n = KEYS.incrementAndGet();
    String label = "arbiter-service-" + n;
    String id = String.format("%04x", n);
    List<String> tool =
        List.of("pkcs11-tool", "--module", library.toString(), "--token-label", TOKEN_LABEL);
    run(
        shared.conf(),
        work,
        concat(
            tool,
            "--login",
            "--pin",
            PIN,
            "--keypairgen",
            "--key-type",
            "EC:prime256v1",
            "--label",
            label,
            "--id",
            id));
    Path publicDer = work.resolve(label + "-public.der");
    run(
        shared.conf(),
        work,
        concat(tool, "--read-object", "--type", "pubkey", "--id", id, "-o", publicDer.toString()));
    PublicKey publicKey = PublicKeys.fromSpki(Files.readAllBytes(publicDer));
    KeyPair caKeys = CertBuilder.ecKeyPair("secp256r1");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    X509Certificate ca =
        CertBuilder.subject("CN=Arbiter SoftHSM test CA", caKeys.getPublic())
            .selfSigned(caKeys.getPrivate())
            .validity(now.minus(1, ChronoUnit.DAYS), now.plus(1, ChronoUnit.DAYS))
            .ca(0)
            .build();
    X509Certificate certificate =
        CertBuilder.subject(
                "CN=" + label,
                foreignCertificate ? CertBuilder.ecKeyPair("secp256r1").getPublic() : publicKey)
            .issuer(ca, caKeys.getPrivate())
            .validity(now.minus(1, ChronoUnit.DAYS), now.plus(1, ChronoUnit.DAYS))
            .build();
    Path certDer = work.resolve(label + "-cert.der");
    Files.write(certDer, certificate.getEncoded());
    run(
        shared.conf(),
        work,
        concat(
            tool,
            "--login",
            "--pin",
            PIN,
            "--write-object",
            certDer.toString(),
            "--type",
            "cert",
            "--id",
            id,
            "--label",
            label));
    return new Key(shared.pkcs11Config(), label, publicKey, shared.conf());
  }

  /**
   * A key in the test token.
   *
   * @param config the token's SunPKCS11 configuration file
   * @param label the key's label (its SunPKCS11 alias)
   * @param publicKey its public key
   * @param softhsmConf the SoftHSM configuration (for {@code SOFTHSM2_CONF} of child processes)
   */
  public record Key(Path config, String label, PublicKey publicKey, Path softhsmConf) {
    /** The service key source of this key with {@code pin}. */
    public ServiceKeySource.Pkcs11 source(String pin) {
      return new ServiceKeySource.Pkcs11(config, Optional.of(label), pin);
    }

    /** The {@code serve --service-key} value. */
    public String spec() {
      return source(PIN).spec();
    }
  }

  private record Shared(Path conf, Path pkcs11Config) {}

  private static Path requireTools() {
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("softhsm2-util", "pkcs11-tool")) {
      if (!onPath(tool)) {
        missing.add(tool);
      }
    }
    Optional<Path> library = LIBRARIES.stream().filter(Files::isRegularFile).findFirst();
    if (library.isEmpty()) {
      missing.add("libsofthsm2.so");
    }
    if (!missing.isEmpty()) {
      String message =
          "PKCS#11 tests need "
              + missing
              + " (Debian: apt-get install softhsm2 opensc; .ci/install-tools.sh does this)";
      if (RepoPaths.underCi()) {
        throw new AssertionError(message + " and CI is set");
      }
      Assumptions.abort(message + "; skipping");
    }
    return library.orElseThrow();
  }

  private static boolean onPath(String tool) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, tool))) {
        return true;
      }
    }
    return false;
  }

  /**
   * This JVM's SoftHSM configuration and token, created and exported on first use (before the JVM
   * loads the library: SoftHSM does not see tokens created later).
   */
  private static synchronized Shared shared(Path library, Path work) throws Exception {
    if (shared == null) {
      Path dir = Files.createTempDirectory("softhsm-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
      Path tokens = Files.createDirectories(dir.resolve("tokens"));
      Path file = dir.resolve("softhsm2.conf");
      Files.writeString(
          file,
          "directories.tokendir = "
              + tokens
              + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
          StandardCharsets.US_ASCII);
      String init =
          run(
              file,
              work,
              "softhsm2-util",
              "--init-token",
              "--free",
              "--label",
              TOKEN_LABEL,
              "--pin",
              PIN,
              "--so-pin",
              SO_PIN);
      Matcher slot = SLOT.matcher(init);
      if (!slot.find()) {
        throw new IllegalStateException("softhsm2-util did not name the token's slot: " + init);
      }
      Path pkcs11Config = dir.resolve("pkcs11.cfg");
      Files.writeString(
          pkcs11Config,
          "name = ArbiterTest\nlibrary = " + library + "\nslot = " + slot.group(1) + "\n",
          StandardCharsets.US_ASCII);
      setenv("SOFTHSM2_CONF", file.toString());
      shared = new Shared(file, pkcs11Config);
    }
    return shared;
  }

  /** {@code setenv(name, value, 1)} in this process, via java.lang.foreign (final in Java 22). */
  private static void setenv(String name, String value) throws Exception {
    Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
    Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
    Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
    Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
    Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
    Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
    Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
    Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
    Optional<?> symbol =
        (Optional<?>)
            Class.forName("java.lang.foreign.SymbolLookup")
                .getMethod("find", String.class)
                .invoke(lookup, "setenv");
    Object address = valueLayout.getField("ADDRESS").get(null);
    Object javaInt = valueLayout.getField("JAVA_INT").get(null);
    Object arguments = Array.newInstance(layoutClass, 3);
    Array.set(arguments, 0, address);
    Array.set(arguments, 1, address);
    Array.set(arguments, 2, javaInt);
    Object descriptor =
        descriptorClass
            .getMethod("of", layoutClass, arguments.getClass())
            .invoke(null, javaInt, arguments);
    MethodHandle handle =
        (MethodHandle)
            linkerClass
                .getMethod(
                    "downcallHandle",
                    segmentClass,
                    descriptorClass,
                    Array.newInstance(optionClass, 0).getClass())
                .invoke(
                    linker,
                    symbol.orElseThrow(() -> new IllegalStateException("no setenv in libc")),
                    descriptor,
                    Array.newInstance(optionClass, 0));
    Object arena = Class.forName("java.lang.foreign.Arena").getMethod("ofAuto").invoke(null);
    java.lang.reflect.Method allocate =
        Class.forName("java.lang.foreign.SegmentAllocator").getMethod("allocateFrom", String.class);
    Object nameSegment = allocate.invoke(arena, name);
    Object valueSegment = allocate.invoke(arena, value);
    int result;
    try {
      result = (int) handle.invoke(nameSegment, valueSegment, 1);
    } catch (Throwable e) {
      throw new IllegalStateException("setenv failed", e);
    }
    if (result != 0) {
      throw new IllegalStateException("setenv failed: " + result);
    }
  }

  private static String run(Path softhsmConf, Path work, String... command) throws Exception {
    return run(softhsmConf, work, List.of(command));
  }

  private static String run(Path softhsmConf, Path work, List<String> command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("SOFTHSM2_CONF", softhsmConf.toString());
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " did not finish");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          command.get(0) + " failed (" + process.exitValue() + "): " + text);
    }
    return text;
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  private static void deleteRecursively(Path root) {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
