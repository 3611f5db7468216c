// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.problem.ProblemException;
import java.text.ParseException;
import java.util.Objects;

/**
 * The TEE's public key, parsed and checked once at the edge: a public EC P-256 or P-384 JWK, with
 * its SHA-256 JWK thumbprint (RFC 7638) and SubjectPublicKeyInfo DER computed once for the binding
 * rules. Immutable.
 */
public final class TeeKey {
  private final ECKey jwk;
  private final byte[] thumbprint;
  private final byte[] spki;

  private TeeKey(ECKey jwk, byte[] thumbprint, byte[] spki) {
    this.jwk = jwk;
    this.thumbprint = thumbprint;
    this.spki = spki;
  }

  /**
   * Checks and prepares a key.
   *
   * @throws ProblemException {@link AppraisalProblem#TEE_KEY_INVALID} when it is private, not EC,
   *     or not P-256/P-384
   */
  public static TeeKey of(ECKey key) {
    Objects.requireNonNull(key, "key");
    if (key.isPrivate()) {
      throw new ProblemException(
          AppraisalProblem.TEE_KEY_INVALID, "send the TEE's public key only");
    }
    if (!Curve.P_256.equals(key.getCurve()) && !Curve.P_384.equals(key.getCurve())) {
      throw new ProblemException(
          AppraisalProblem.TEE_KEY_INVALID, "the TEE key must be EC P-256 or P-384");
    }
    try {
      return new TeeKey(
          key, key.computeThumbprint("SHA-256").decode(), key.toECPublicKey().getEncoded());
    } catch (JOSEException | RuntimeException e) {
      throw new ProblemException(
          AppraisalProblem.TEE_KEY_INVALID, "the TEE key cannot be converted");
    }
  }

  /** Reads a JWK from the request's JSON tree as it is (no serialising and re-parsing its text). */
  public static TeeKey parse(com.fasterxml.jackson.databind.JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new ProblemException(AppraisalProblem.TEE_KEY_INVALID, "tee_key is not a JWK");
    }
    JWK jwk;
    try {
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> members =
          dev.arbiter.internal.Json.mapper().convertValue(json, java.util.Map.class);
      jwk = JWK.parse(members);
    } catch (ParseException | RuntimeException e) {
      throw new ProblemException(AppraisalProblem.TEE_KEY_INVALID, "tee_key is not a JWK");
    }
    if (!(jwk instanceof ECKey ec)) {
      throw new ProblemException(AppraisalProblem.TEE_KEY_INVALID, "tee_key must be an EC JWK");
    }
    return of(ec);
  }

  /** Parses a JWK's JSON text. */
  public static TeeKey parse(String json) {
    JWK jwk;
    try {
      jwk = JWK.parse(json);
    } catch (ParseException | RuntimeException e) {
      throw new ProblemException(AppraisalProblem.TEE_KEY_INVALID, "tee_key is not a JWK");
    }
    if (!(jwk instanceof ECKey ec)) {
      throw new ProblemException(AppraisalProblem.TEE_KEY_INVALID, "tee_key must be an EC JWK");
    }
    return of(ec);
  }

  public ECKey jwk() {
    return jwk;
  }

  /** The binding material for this key and a nonce. */
  public SchemeDescriptor.KeyBinding binding(byte[] nonce) {
    return new SchemeDescriptor.KeyBinding(nonce, thumbprint, spki);
  }
}
