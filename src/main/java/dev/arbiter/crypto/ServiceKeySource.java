// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Where the server's {@link ServiceKey} comes from ({@code arbiter serve --service-key}). */
public sealed interface ServiceKeySource {
  /** The prefix of a {@link Pkcs11} source on the command line. */
  String PKCS11_PREFIX = "pkcs11:";

  /** The data directory's {@code service-key.pem}, created on first start (the default). */
  record DataDirectory() implements ServiceKeySource {}

  /**
   * A private key in a PKCS#11 token.
   *
   * @param config the SunPKCS11 configuration file (library, slot)
   * @param label the key's label (alias); empty when the token holds exactly one key
   * @param pin the user PIN (from the environment, never from the command line); not printed by
   *     {@link #toString()}
   */
  record Pkcs11(Path config, Optional<String> label, String pin) implements ServiceKeySource {
    public Pkcs11 {
      java.util.Objects.requireNonNull(config, "config");
      java.util.Objects.requireNonNull(label, "label");
      java.util.Objects.requireNonNull(pin, "pin");
    }

    /**
     * Logs in to the token and loads the key.
     *
     * @throws TokenException when the token or key cannot be used; the message starts with {@link
     *     #spec()}
     */
    public ServiceKey load() throws IOException {
      char[] chars = pin.toCharArray();
      try {
        return ServiceKey.fromToken(config, label, chars);
      } catch (TokenException e) {
        throw new TokenException(spec() + ": " + e.getMessage(), e);
      } finally {
        java.util.Arrays.fill(chars, '\0');
      }
    }

    /** The source as given on the command line (without the PIN). */
    public String spec() {
      return PKCS11_PREFIX + config + label.map(l -> "#" + l).orElse("");
    }

    @Override
    public String toString() {
      return "Pkcs11[" + spec() + "]";
    }
  }

  /**
   * Parses {@code pkcs11:<config-file>[#<label>]}.
   *
   * @throws IllegalArgumentException when {@code spec} is not of that form
   */
  static Pkcs11 pkcs11(String spec, String pin) {
    if (!spec.startsWith(PKCS11_PREFIX)) {
      throw new IllegalArgumentException(
          "the service key must be pkcs11:<config-file>[#<label>], not " + spec);
    }
    String rest = spec.substring(PKCS11_PREFIX.length());
    int hash = rest.lastIndexOf('#');
    String file = hash < 0 ? rest : rest.substring(0, hash);
    Optional<String> label = hash < 0 ? Optional.empty() : Optional.of(rest.substring(hash + 1));
    if (file.isBlank() || label.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException(
          "the service key must be pkcs11:<config-file>[#<label>], not " + spec);
    }
    return new Pkcs11(Path.of(file), label, pin);
  }
}
