// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.auth.CertificateRevocations;
import dev.arbiter.auth.RoleMap;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/admin/certificates} (operators, auditors) and {@code POST
 * /v1/admin/certificates/revoke} (operators): the client certificates this replica's roles.json
 * maps, and their revocation, which applies at once here and on every replica sharing the database.
 */
public final class CertificateRoutes {
  private final RoleMap roles;
  private final CertificateRevocations revocations;
  private final AuditLog audit;
  private final Clock clock;

  public CertificateRoutes(
      RoleMap roles, CertificateRevocations revocations, AuditLog audit, Clock clock) {
    this.roles = roles;
    this.revocations = revocations;
    this.audit = audit;
    this.clock = clock;
  }

  /** One issued certificate as the API shows it. */
  record CertificateView(
      String name,
      String role,
      String fingerprint,
      String serial,
      @JsonProperty("not_after") Instant notAfter,
      @JsonProperty("issued_at") Instant issuedAt,
      boolean revoked,
      @JsonProperty("revoked_at") Instant revokedAt,
      @JsonProperty("revoked_by") String revokedBy,
      @JsonProperty("revoke_reason") String revokeReason) {}

  record CertificateList(List<CertificateView> certificates) {}

  /**
   * A revocation request.
   *
   * @param certificate the certificate: its principal name, serial number (hex) or SHA-256
   *     fingerprint (hex)
   */
  record RevokeRequest(String certificate, String reason) {}

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/v1/admin/certificates",
            Access.AUDIT,
            "Client certificates mapped in roles.json, with serial, expiry and revocation",
            call -> Reply.ok(new CertificateList(roles.list().stream().map(this::view).toList()))),
        Route.post(
            "/v1/admin/certificates/revoke",
            Access.OPERATOR,
            "Revoke a client certificate (by name, serial or fingerprint) on every replica;"
                + " audited",
            Map.of("certificate", "ci-bot", "reason", "key left the build host"),
            call -> {
              RevokeRequest request = call.body(RevokeRequest.class);
              if (request.certificate() == null || request.certificate().isBlank()) {
                throw new ProblemException(
                    CommonProblem.INVALID_FIELD, "certificate: a name, serial or fingerprint");
              }
              if (request.reason() == null || request.reason().isBlank()) {
                throw new ProblemException(CommonProblem.INVALID_FIELD, "reason: required");
              }
              RoleMap.Issued target = find(request.certificate().strip());
              CertificateRevocations.Revoked revoked =
                  revocations.revoke(
                      new CertificateRevocations.Revoked(
                          target.fingerprint(),
                          target.name(),
                          target.role().id(),
                          target.serial(),
                          clock.instant(),
                          call.principal().label(),
                          request.reason().strip()),
                      (tx, r) -> {
                        Map<String, Object> details = new LinkedHashMap<>();
                        details.put("fingerprint", r.fingerprint());
                        details.put("role", r.role());
                        if (r.serial() != null) {
                          details.put("serial", r.serial());
                        }
                        audit.append(
                            tx,
                            call.principal(),
                            "certificate.revoke",
                            r.name(),
                            r.reason(),
                            Optional.empty(),
                            details);
                      });
              return Reply.ok(view(target, Optional.of(revoked)));
            }));
  }

  /** The single mapped certificate a selector names. */
  private RoleMap.Issued find(String selector) {
    String lower = selector.toLowerCase(Locale.ROOT).replace(":", "");
    List<RoleMap.Issued> matches =
        roles.list().stream()
            .filter(issued ->
                issued.name().equals(selector)
                    || issued.fingerprint().equals(lower)
                    || lower.equals(issued.serial()))
            .toList();
    if (matches.isEmpty()) {
      throw new ProblemException(
          CommonProblem.NOT_FOUND,
          "no certificate named, numbered or fingerprinted '"
              + (selector.length() > 80 ? selector.substring(0, 80) + "..." : selector)
              + "' in roles.json (see arbiter admin certs list)");
    }
    if (matches.size() > 1) {
      throw new ProblemException(
          CommonProblem.CONFLICT,
          "'" + selector + "' names " + matches.size() + " certificates; give the fingerprint");
    }
    return matches.get(0);
  }

  private CertificateView view(RoleMap.Issued issued) {
    return view(issued, revocations.find(issued.fingerprint()));
  }

  private static CertificateView view(
      RoleMap.Issued issued, Optional<CertificateRevocations.Revoked> revoked) {
    return new CertificateView(
        issued.name(),
        issued.role().id(),
        issued.fingerprint(),
        issued.serial(),
        issued.notAfter(),
        issued.issuedAt(),
        revoked.isPresent(),
        revoked.map(CertificateRevocations.Revoked::revokedAt).orElse(null),
        revoked.map(CertificateRevocations.Revoked::revokedBy).orElse(null),
        revoked.map(CertificateRevocations.Revoked::reason).orElse(null));
  }
}
