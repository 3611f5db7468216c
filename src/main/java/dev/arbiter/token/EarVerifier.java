// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies Attestation Result tokens: compact JWS with exactly three segments, ES256/ES384 only,
 * {@code typ} absent or an EAR's ({@code eat+jwt}, {@code JWT}; never a webhook signature's or a
 * proof's), the key chosen by {@code kid} from a trusted JWK set (a key embedded in the header is
 * never trusted), {@code exp} and {@code iat} against the clock with a small skew, and the EAR
 * claims of the token's profile. Dispatches on {@code eat_profile}: ear#03 ({@code ear_status},
 * integer {@code iat}) and Veraison ({@code ear.status}); unknown profiles are refused.
 * Thread-safe.
 */
public final class EarVerifier {
  public static final String VERAISON_PROFILE = "tag:github.com,2023:veraison/ear";
  private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384);

  /** The {@code typ} values an EAR may carry (or none): any other JWS kind is refused. */
  private static final Set<String> EAR_TYPES = Set.of("eat+jwt", "application/eat+jwt", "jwt");

  private static final Duration SKEW = Duration.ofSeconds(30);

  private final JWKSet trusted;
  private final Clock clock;

  public EarVerifier(JWKSet trusted, Clock clock) {
    this.trusted = trusted;
    this.clock = clock;
  }

  /**
   * @throws ProblemException with a {@link TokenProblem} when the token is not acceptable
   */
  public VerifiedEar verify(String token) {
    String compact = token.strip();
    if (compact.chars().filter(c -> c == '.').count() != 2) {
      throw problem(TokenProblem.TOKEN_MALFORMED, "a compact JWS has exactly three segments");
    }
    SignedJWT jwt;
    Map<String, Object> claims;
    try {
      jwt = SignedJWT.parse(compact);
      claims = jwt.getPayload().toJSONObject();
      if (claims == null) {
        throw new ParseException("the payload is not a JSON object", 0);
      }
    } catch (ParseException | RuntimeException e) {
      throw problem(TokenProblem.TOKEN_MALFORMED, "not a signed JWT: " + e.getMessage());
    }
    if (jwt.getHeader().getType() != null
        && !EAR_TYPES.contains(jwt.getHeader().getType().getType().toLowerCase(Locale.ROOT))) {
      // another kind of Arbiter JWS (a webhook signature, a proof of possession) is never an EAR
      throw problem(
          TokenProblem.TOKEN_MALFORMED,
          "typ " + jwt.getHeader().getType().getType() + " is not an EAR's");
    }
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    if (!ALLOWED.contains(algorithm)) {
      throw problem(
          TokenProblem.TOKEN_ALGORITHM_REFUSED, "algorithm " + algorithm + " is not allowed");
    }
    JWK key = selectKey(jwt.getHeader().getKeyID());
    try {
      if (!(key instanceof ECKey ec) || !dev.arbiter.crypto.JoseCrypto.verify(jwt, ec)) {
        throw problem(
            TokenProblem.TOKEN_SIGNATURE_INVALID,
            "signature does not verify under key " + key.getKeyID());
      }
    } catch (JOSEException e) {
      throw problem(
          TokenProblem.TOKEN_SIGNATURE_INVALID, "signature cannot be verified: " + e.getMessage());
    }
    String profile = claims.get("eat_profile") instanceof String text ? text : null;
    if (profile == null) {
      throw problem(TokenProblem.TOKEN_CLAIMS_INVALID, "eat_profile is missing");
    }
    boolean ietf = profile.equals(EarSigner.PROFILE);
    if (!ietf && !profile.equals(VERAISON_PROFILE)) {
      throw problem(TokenProblem.TOKEN_PROFILE_UNKNOWN, "unknown eat_profile " + profile);
    }
    Instant now = clock.instant();
    Instant issuedAt =
        timeClaim(claims, "iat", ietf)
            .orElseThrow(() -> problem(TokenProblem.TOKEN_CLAIMS_INVALID, "iat is missing"));
    Optional<Instant> expiresAt = timeClaim(claims, "exp", ietf);
    if (expiresAt.isPresent() && now.isAfter(expiresAt.get().plus(SKEW))) {
      throw problem(TokenProblem.TOKEN_EXPIRED, "expired at " + expiresAt.get());
    }
    if (issuedAt.isAfter(now.plus(SKEW))) {
      throw problem(TokenProblem.TOKEN_EXPIRED, "issued in the future (" + issuedAt + ")");
    }
    Optional<Instant> notBefore = timeClaim(claims, "nbf", false);
    if (notBefore.isPresent() && notBefore.get().isAfter(now.plus(SKEW))) {
      throw problem(TokenProblem.TOKEN_EXPIRED, "not valid before " + notBefore.get());
    }
    String verifierClaim = ietf ? "ear_verifier_id" : "ear.verifier-id";
    if (!(claims.get(verifierClaim) instanceof Map<?, ?> verifierId)) {
      throw problem(TokenProblem.TOKEN_CLAIMS_INVALID, verifierClaim + " is missing");
    }
    Map<String, VerifiedEar.Appraisal> submods = submods(claims, ietf);
    EarStatus overall = EarStatus.AFFIRMING;
    for (VerifiedEar.Appraisal appraisal : submods.values()) {
      overall = overall.worse(appraisal.status());
    }
    Optional<JWK> cnf = Optional.empty();
    if (claims.get("cnf") instanceof Map<?, ?> confirmation
        && confirmation.get("jwk") instanceof Map<?, ?> jwk) {
      try {
        @SuppressWarnings("unchecked")
        JWK parsed = JWK.parse((Map<String, Object>) jwk);
        if (parsed.isPrivate()) {
          throw problem(TokenProblem.TOKEN_CLAIMS_INVALID, "cnf.jwk must be a public key");
        }
        cnf = Optional.of(parsed);
      } catch (ParseException e) {
        throw problem(TokenProblem.TOKEN_CLAIMS_INVALID, "cnf.jwk is not a JWK");
      }
    }
    Optional<String> nonce =
        claims.get("eat_nonce") instanceof String text ? Optional.of(text) : Optional.empty();
    @SuppressWarnings("unchecked")
    Map<String, Object> verifier = (Map<String, Object>) verifierId;
    return new VerifiedEar(
        profile,
        issuedAt,
        expiresAt,
        verifier,
        overall,
        submods,
        cnf,
        nonce,
        key.getKeyID(),
        claims);
  }

  private JWK selectKey(String keyId) {
    List<JWK> keys = trusted.getKeys();
    if (keyId == null) {
      if (keys.size() == 1) {
        return keys.get(0);
      }
      throw problem(
          TokenProblem.TOKEN_KEY_UNKNOWN, "the token has no kid and more than one key is trusted");
    }
    JWK key = trusted.getKeyByKeyId(keyId);
    if (key == null) {
      throw problem(TokenProblem.TOKEN_KEY_UNKNOWN, "no trusted key with kid " + keyId);
    }
    return key;
  }

  private static Map<String, VerifiedEar.Appraisal> submods(
      Map<String, Object> claims, boolean ietf) {
    if (!(claims.get("submods") instanceof Map<?, ?> submods) || submods.isEmpty()) {
      throw problem(TokenProblem.TOKEN_CLAIMS_INVALID, "submods is missing or empty");
    }
    Map<String, VerifiedEar.Appraisal> out = new LinkedHashMap<>();
    for (var entry : submods.entrySet()) {
      if (!(entry.getValue() instanceof Map<?, ?> submod)) {
        throw problem(
            TokenProblem.TOKEN_CLAIMS_INVALID, "submods." + entry.getKey() + " is not an object");
      }
      String statusClaim = ietf ? "ear_status" : "ear.status";
      Object statusValue = submod.get(statusClaim);
      EarStatus status =
          statusValue instanceof String label ? EarStatus.parse(label).orElse(null) : null;
      if (status == null) {
        throw problem(
            TokenProblem.TOKEN_CLAIMS_INVALID,
            "submods." + entry.getKey() + "." + statusClaim + " is missing or unknown");
      }
      Map<String, Integer> vector = new LinkedHashMap<>();
      if (submod.get(ietf ? "ear_trustworthiness_vector" : "ear.trustworthiness-vector")
          instanceof Map<?, ?> tv) {
        for (var member : tv.entrySet()) {
          if (member.getValue() instanceof Number number) {
            vector.put(String.valueOf(member.getKey()), number.intValue());
          }
        }
      }
      List<String> policyIds = new ArrayList<>();
      Object policies = submod.get(ietf ? "ear_appraisal_policy_ids" : "ear.appraisal-policy-id");
      if (policies instanceof List<?> list) {
        list.forEach(item -> policyIds.add(String.valueOf(item)));
      } else if (policies instanceof String single) {
        policyIds.add(single);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> submodClaims = (Map<String, Object>) submod;
      out.put(
          String.valueOf(entry.getKey()),
          new VerifiedEar.Appraisal(status, vector, policyIds, submodClaims));
    }
    return out;
  }

  private static Optional<Instant> timeClaim(
      Map<String, Object> claims, String name, boolean integerOnly) {
    Object value = claims.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Long || value instanceof Integer) {
      return Optional.of(Instant.ofEpochSecond(((Number) value).longValue()));
    }
    if (value instanceof Number number && !integerOnly) {
      return Optional.of(Instant.ofEpochMilli(Math.round(number.doubleValue() * 1000)));
    }
    throw problem(
        TokenProblem.TOKEN_CLAIMS_INVALID, name + " must be an integer number of seconds");
  }

  private static ProblemException problem(TokenProblem type, String detail) {
    return new ProblemException(Problem.of(type, detail));
  }
}
