// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.arbiter.appraisal.Nonces;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.policy.CelPolicy;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.store.Tx;
import dev.arbiter.token.EarStatus;
import dev.arbiter.token.EarVerifier;
import dev.arbiter.token.VerifiedEar;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release path of {@code POST /v1/resources/{name}}. A secret is released only when every check
 * passes: the EAR verifies under one of Arbiter's own keys and is within its lifetime; it carries a
 * {@code cnf} EC key; the proof of possession ({@link PossessionProof}) verifies under that key for
 * this method and URL with a fresh, unused nonce; the secret exists; every submodule (and so the
 * overall status) is affirming, or warning where the secret allows warning, never contraindicated;
 * every submodule's {@code arbiter.workload} is the secret's workload; development results ({@code
 * arbiter.dev}) only on a {@code --dev} server; and the release policy allows. The answer is the
 * value wrapped to the cnf key ({@link SecretWrap}).
 *
 * <p>Security: every refusal looks the same to the caller ({@link
 * KeyBrokerProblem#RELEASE_REFUSED}, one fixed detail) while the server log and the audit log
 * ({@code secret.release-refused}) record the failing check; each release is audited ({@code
 * secret.release}) before the answer is sent. Plaintext exists only between {@link
 * SecretHandle#reveal} and the JWE encryption, is overwritten afterwards, and is never logged.
 * Thread-safe.
 */
public final class KeyBroker {
  /** The one detail every refusal carries. */
  public static final String REFUSED = "the resource is not released to this caller";

  private static final Logger LOG = LoggerFactory.getLogger(KeyBroker.class);

  private final SecretStore store;
  private final AuditLog audit;
  private final Nonces nonces;
  private final Supplier<JWKSet> trustedKeys;
  private final Clock clock;
  private final boolean devMode;
  private final Supplier<List<URI>> externalUrls;

  /**
   * @param externalUrls the server's external base URLs ({@code serve --external-url}, default the
   *     server's own URL); a proof's {@code htu} must name one of them
   */
  public KeyBroker(
      SecretStore store,
      AuditLog audit,
      Nonces nonces,
      Supplier<JWKSet> trustedKeys,
      Clock clock,
      boolean devMode,
      Supplier<List<URI>> externalUrls) {
    this.externalUrls = externalUrls;
    this.store = store;
    this.audit = audit;
    this.nonces = nonces;
    this.trustedKeys = trustedKeys;
    this.clock = clock;
    this.devMode = devMode;
  }

  /**
   * One release request.
   *
   * @param name the resource name from the path
   * @param token the EAR (compact JWS)
   * @param proof the proof of possession (compact JWS)
   * @param method the HTTP method of the request
   * @param path the raw request path
   */
  public record Request(String name, String token, String proof, String method, String path) {}

  /** A release: the secret's name and version and the compact JWE for the TEE. */
  public record Released(String name, int version, String jwe) {}

  /** Releases or throws {@link ProblemException} with {@link KeyBrokerProblem#RELEASE_REFUSED}. */
  public Released release(Request request) {
    String principal = "tee:unknown";
    String target = SecretStore.isValidName(request.name()) ? request.name() : "(invalid name)";
    try {
      if (request.token() == null || request.token().isBlank()) {
        throw new Refusal("token-missing", "no EAR was sent");
      }
      VerifiedEar ear = verifyEar(request.token());
      ECKey cnf = boundKey(ear);
      String thumbprint = thumbprint(cnf);
      principal = "tee:" + thumbprint;
      if (request.proof() == null || request.proof().isBlank()) {
        throw new Refusal("proof-missing", "no proof of possession was sent");
      }
      byte[] nonce =
          PossessionProof.verify(
              request.proof(),
              cnf,
              new PossessionProof.Target(request.method(), request.path(), externalUrls.get()),
              request.token(),
              clock.instant());
      Optional<Nonces.Rejection> rejection = nonces.consume(nonce);
      if (rejection.isPresent()) {
        String why = rejection.get().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        throw new Refusal(
            "nonce-" + why,
            rejection.get() == Nonces.Rejection.WRONG_ISSUER
                ? "the proof's nonce was issued by another replica or before a restart"
                : "the proof's nonce is " + why);
      }
      if (!SecretStore.isValidName(request.name())) {
        throw new Refusal("unknown-resource", "the resource name is not a valid secret name");
      }
      String who = principal;
      Released released =
          store.inTransaction(
              tx -> releaseInTransaction(tx, request.name(), ear, cnf, thumbprint, who));
      LOG.info("released secret {} v{} to {}", released.name(), released.version(), principal);
      return released;
    } catch (Refusal refusal) {
      refuse(principal, target, refusal);
      throw new ProblemException(KeyBrokerProblem.RELEASE_REFUSED, REFUSED);
    }
  }

  private Released releaseInTransaction(
      Tx tx, String name, VerifiedEar ear, ECKey cnf, String thumbprint, String principal)
      throws Refusal {
    SecretStore.Stored stored =
        store
            .forRelease(tx, name)
            .orElseThrow(() -> new Refusal("unknown-resource", "no secret named " + name));
    SecretMetadata secret = stored.metadata();
    checkStatus(ear, secret);
    checkWorkload(ear, secret);
    CelPolicy policy = ReleasePolicy.compile(secret.releasePolicy());
    CelPolicy.Decision decision = policy.evaluate(ReleasePolicy.bind(ear, thumbprint));
    if (decision != CelPolicy.Decision.ALLOW) {
      throw new Refusal(
          decision == CelPolicy.Decision.ERROR ? "policy-error" : "policy-denied",
          "the release policy "
              + (decision == CelPolicy.Decision.ERROR ? "failed to evaluate" : "denied")
              + ": "
              + secret.releasePolicy());
    }
    ReleaseGrant grant = new ReleaseGrant(name, stored.handle().version());
    byte[] plaintext;
    try {
      plaintext = stored.handle().reveal(grant);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "secret " + name + " v" + stored.handle().version() + " does not open: " + e.getMessage(),
          e);
    }
    String jwe;
    try {
      jwe = SecretWrap.wrap(cnf, thumbprint, name, stored.handle().version(), plaintext);
    } catch (JOSEException e) {
      throw new Refusal("wrap-failed", "cannot wrap to the cnf key: " + e.getMessage());
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
    Map<String, Object> details = earFacts(ear);
    details.put("version", stored.handle().version());
    details.put("tee", thumbprint);
    audit.append(tx, principal, "secret.release", name, "released", Optional.empty(), details);
    return new Released(name, stored.handle().version(), jwe);
  }

  private VerifiedEar verifyEar(String token) throws Refusal {
    try {
      return new EarVerifier(trustedKeys.get(), clock).verify(token);
    } catch (ProblemException e) {
      throw new Refusal("token-invalid", e.problem().type().slug() + ": " + e.problem().detail());
    }
  }

  private static ECKey boundKey(VerifiedEar ear) throws Refusal {
    JWK jwk = ear.cnf().orElseThrow(() -> new Refusal("token-unbound", "the EAR has no cnf key"));
    if (!(jwk instanceof ECKey ec)
        || !(Curve.P_256.equals(ec.getCurve()) || Curve.P_384.equals(ec.getCurve()))) {
      throw new Refusal("token-unbound", "the EAR's cnf key is not an EC P-256 or P-384 key");
    }
    return ec;
  }

  private static String thumbprint(ECKey key) throws Refusal {
    try {
      return key.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new Refusal("token-unbound", "cannot compute the cnf thumbprint");
    }
  }

  private void checkStatus(VerifiedEar ear, SecretMetadata secret) throws Refusal {
    for (var entry : ear.submods().entrySet()) {
      EarStatus status = entry.getValue().status();
      boolean allowed =
          status == EarStatus.AFFIRMING || (status == EarStatus.WARNING && secret.allowWarning());
      if (!allowed) {
        throw new Refusal(
            "status-" + status.label(),
            "submodule "
                + entry.getKey()
                + " has status "
                + status.label()
                + (status == EarStatus.WARNING ? " and the secret does not allow warning" : ""));
      }
      if (Boolean.TRUE.equals(entry.getValue().claims().get("arbiter.dev")) && !devMode) {
        throw new Refusal(
            "dev-result",
            "submodule "
                + entry.getKey()
                + " is a development (sample) result and the server is not in --dev mode");
      }
    }
  }

  private static void checkWorkload(VerifiedEar ear, SecretMetadata secret) throws Refusal {
    for (var entry : ear.submods().entrySet()) {
      Object workload = entry.getValue().claims().get("arbiter.workload");
      if (!secret.workload().equals(workload)) {
        throw new Refusal(
            "workload-mismatch",
            "submodule "
                + entry.getKey()
                + " is for workload "
                + workload
                + ", the secret belongs to "
                + secret.workload());
      }
    }
  }

  private static Map<String, Object> earFacts(VerifiedEar ear) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("status", ear.status().label());
    facts.put("ear_jti", ear.claims().get("jti"));
    var first = ear.submods().values().stream().findFirst();
    facts.put("ear_workload", first.map(a -> a.claims().get("arbiter.workload")).orElse(null));
    facts.put("ear_version", first.map(a -> a.claims().get("arbiter.version")).orElse(null));
    return facts;
  }

  private void refuse(String principal, String target, Refusal refusal) {
    String detail = refusal.detail().replaceAll("\\p{Cntrl}", "?");
    LOG.warn("release of {} to {} refused ({}): {}", target, principal, refusal.check(), detail);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("check", refusal.check());
    store.inTransaction(tx ->
        audit.append(
            tx,
            principal,
            "secret.release-refused",
            target,
            refusal.check() + ": " + detail,
            Optional.empty(),
            details));
  }
}
