// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.crypto.PemKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/** TEE key files: private EC JWKs written mode 600. */
final class TeeKeys {
  private TeeKeys() {}

  static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey read(Path file) {
    try {
      JWK jwk = JWK.parse(Inputs.readText(file));
      if (!(jwk instanceof ECKey ec) || !ec.isPrivate()) {
        throw CliException.usage(file + " must hold a private EC JWK");
      }
      return ec;
    } catch (ParseException e) {
      throw CliException.usage(
          "cannot read the TEE key " + file + ": " + ErrorHandler.oneLine(e.getMessage()));
    }
  }

  static ECKey readOrCreate(Path file) {
    if (Inputs.isStdin(file) || Files.exists(file)) {
      return read(file);
    }
    ECKey key = generate();
    write(file, key);
    return key;
  }

  static void write(Path file, ECKey key) {
    try {
      PemKeys.writeSecret(file, key.toJSONString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw CliException.usage("cannot write " + file + ": " + e.getMessage());
    }
  }
}
