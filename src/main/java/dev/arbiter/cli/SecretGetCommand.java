// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.arbiter.crypto.PemKeys;
import dev.arbiter.keybroker.PossessionProof;
import dev.arbiter.keybroker.SecretWrap;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter secret get NAME --token FILE --key TEE_KEY.jwk}: the TEE side of the key broker.
 * Gets a nonce, signs the proof of possession with the private JWK, posts EAR and proof, decrypts
 * the JWE and writes the value to {@code --out} (mode 600) or stdout. Exit 1 when refused.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Fetch a secret as an attested TEE (EAR + proof of possession) and decrypt it.")
final class SecretGetCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--token", required = true, description = "The EAR (Attestation Result) file.")
  Path token;

  @Option(
      names = "--key",
      required = true,
      description = "The TEE's private key as a JWK (EC P-256 or P-384), the EAR's cnf.")
  Path key;

  @Option(
      names = "--out",
      description = "Write the value to this file (mode 600) instead of stdout.")
  Path out;

  @Mixin TeeOptions tee;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    String ear = new String(Inputs.read(token), StandardCharsets.US_ASCII).strip();
    ECKey privateKey = readKey(key);
    ApiClient client = tee.client();
    String nonce = client.post("/v1/challenge", Map.of()).path("nonce").asText();
    String resource = "/v1/resources/" + ApiClient.encode(name);
    URI url = client.resolve(resource);
    String proof = PossessionProof.create(privateKey, "POST", url, nonce, ear, Instant.now());
    JsonNode answer = client.post(resource, Map.of("token", ear, "proof", proof));
    byte[] value;
    try {
      value = SecretWrap.unwrap(answer.path("jwe").asText(), privateKey);
    } catch (JOSEException e) {
      throw CliException.refused(
          "cannot decrypt the released secret with "
              + key
              + ": "
              + ErrorHandler.oneLine(e.getMessage()));
    }
    try {
      if (out != null) {
        PemKeys.writeSecret(out, value);
        spec.commandLine()
            .getErr()
            .println("wrote " + name + " v" + answer.path("version").asInt() + " to " + out);
      } else {
        writeStdout(value);
      }
    } finally {
      Arrays.fill(value, (byte) 0);
    }
    return ExitCode.OK;
  }

  private void writeStdout(byte[] value) throws IOException {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    } catch (CharacterCodingException binary) {
      System.out.write(value);
      System.out.flush();
    }
  }

  static ECKey readKey(Path file) {
    try {
      JWK jwk = JWK.parse(new String(Inputs.read(file), StandardCharsets.UTF_8));
      if (!(jwk instanceof ECKey ec) || !ec.isPrivate()) {
        throw CliException.usage(file + " must hold a private EC JWK (with \"d\")");
      }
      return ec;
    } catch (java.text.ParseException e) {
      throw CliException.usage(file + " is not a JWK: " + ErrorHandler.oneLine(e.getMessage()));
    }
  }
}
