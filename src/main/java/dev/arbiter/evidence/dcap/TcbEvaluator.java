// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Intel's TCB status evaluation (Intel SGX/TDX DCAP Quote Verification Library, TCB Info v3 and
 * Enclave Identity v2): selects the TCB Info for the PCK's FMSPC and PCE id, checks its signature
 * and validity, finds the first TCB level whose SGX component SVNs and PCESVN are all less than or
 * equal to the PCK certificate's (and for TDX whose {@code tdxtcbcomponents} are less than or equal
 * to the quote's {@code tee_tcb_svn}, from index 2 when the TDX module major version {@code
 * tee_tcb_svn[1]} is non-zero, the module then being judged by {@code tdxModuleIdentities}), and
 * converges the platform status with the TDX module and QE identity statuses.
 */
final class TcbEvaluator {
  private TcbEvaluator() {}

  static TcbEvaluation evaluate(
      DcapTrust trust, Quote quote, PckExtensions pck, ParsedCollateral collateral, Instant at) {
    List<Problem> problems = new ArrayList<>();
    List<List<X509Certificate>> paths = new ArrayList<>();
    Set<String> advisories = new LinkedHashSet<>();
    Optional<QeIdentity.Level> qeLevel = qeIdentity(trust, quote, collateral, at, problems, paths);
    if (collateral.tcbInfos().isEmpty()) {
      return new TcbEvaluation(TcbEvaluation.UNKNOWN, List.of(), problems, paths);
    }
    String wantedId = quote.tdx() ? "TDX" : "SGX";
    String fmspc = Hex.encode(pck.fmspc());
    String pceId = Hex.encode(pck.pceId());
    List<SignedJson> applicable = new ArrayList<>();
    for (SignedJson item : collateral.tcbInfos()) {
      TcbInfo info = item.tcbInfo();
      if (info.id().equals(wantedId) && info.fmspc().equals(fmspc) && info.pceId().equals(pceId)) {
        applicable.add(item);
      }
    }
    if (applicable.isEmpty()) {
      for (SignedJson item : collateral.tcbInfos()) {
        if (!CollateralSigner.signedByAny(trust, item, collateral.certificates())) {
          problems.add(
              Problem.of(
                  EvidenceProblem.COLLATERAL_INVALID,
                  "TCB Info from "
                      + item.source()
                      + ": signature does not verify under any supplied TCB signing certificate"));
        }
      }
      TcbInfo first = collateral.tcbInfos().get(0).tcbInfo();
      problems.add(
          Problem.of(
              EvidenceProblem.COLLATERAL_MISMATCH,
              "no supplied TCB Info applies: the quote needs "
                  + wantedId
                  + " FMSPC "
                  + fmspc
                  + " PCE id "
                  + pceId
                  + ", got e.g. "
                  + first.id()
                  + " FMSPC "
                  + first.fmspc()));
      return new TcbEvaluation(TcbEvaluation.UNKNOWN, List.of(), problems, paths);
    }
    SignedJson chosen =
        newest(
            applicable,
            at,
            item -> item.tcbInfo().issueDate(),
            item -> item.tcbInfo().nextUpdate(),
            item -> item.tcbInfo().evaluationDataNumber());
    TcbInfo info = chosen.tcbInfo();
    checkSignatureAndTime(
        trust, chosen, collateral, at, info.issueDate(), info.nextUpdate(), problems, paths);

    Optional<TcbInfo.Level> platform = TcbLevels.platformLevel(info, pck, quote);
    if (platform.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.COLLATERAL_MISMATCH,
              "no TCB level of TCB Info for FMSPC "
                  + fmspc
                  + " (evaluation data "
                  + info.evaluationDataNumber()
                  + ") matches the platform's TCB"
                  + " (PCK component SVNs "
                  + java.util.Arrays.toString(pck.componentSvns())
                  + ", PCESVN "
                  + pck.pceSvn()
                  + (quote.tdx()
                      ? ", tee_tcb_svn " + Hex.encode(((TdReport) quote.body()).teeTcbSvn())
                      : "")
                  + ")"));
      return new TcbEvaluation(TcbEvaluation.UNKNOWN, List.of(), problems, paths);
    }
    TcbStatus status = platform.get().status();
    advisories.addAll(platform.get().advisoryIds());
    if (quote.tdx()) {
      TcbLevels.ModuleOutcome module = TcbLevels.tdxModule(info, (TdReport) quote.body());
      if (module.problem() != null) {
        problems.add(module.problem());
        return new TcbEvaluation(TcbEvaluation.UNKNOWN, List.of(), problems, paths);
      }
      if (module.level() != null) {
        status = status.convergeWith(module.level().status());
        advisories.addAll(module.level().advisoryIds());
      }
    }
    if (qeLevel.isPresent()) {
      status = status.convergeWith(qeLevel.get().status());
      advisories.addAll(qeLevel.get().advisoryIds());
    }
    if (status == TcbStatus.REVOKED) {
      problems.add(
          Problem.of(
              EvidenceProblem.TCB_REVOKED,
              "the platform's TCB level is Revoked (TCB Info for FMSPC "
                  + fmspc
                  + ", evaluation data "
                  + info.evaluationDataNumber()
                  + ")"));
    }
    return new TcbEvaluation(status.json(), List.copyOf(advisories), problems, paths);
  }

  /** Checks the QE Identity (when supplied) and returns the QE's level. */
  private static Optional<QeIdentity.Level> qeIdentity(
      DcapTrust trust,
      Quote quote,
      ParsedCollateral collateral,
      Instant at,
      List<Problem> problems,
      List<List<X509Certificate>> paths) {
    if (collateral.qeIdentities().isEmpty()) {
      return Optional.empty();
    }
    String wantedId = quote.tdx() ? "TD_QE" : "QE";
    List<SignedJson> applicable =
        collateral.qeIdentities().stream()
            .filter(item -> item.qeIdentity().id().equals(wantedId))
            .toList();
    if (applicable.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.COLLATERAL_MISMATCH, "no supplied QE Identity has id " + wantedId));
      return Optional.empty();
    }
    SignedJson chosen =
        newest(
            applicable,
            at,
            item -> item.qeIdentity().issueDate(),
            item -> item.qeIdentity().nextUpdate(),
            item -> 0);
    QeIdentity identity = chosen.qeIdentity();
    checkSignatureAndTime(
        trust,
        chosen,
        collateral,
        at,
        identity.issueDate(),
        identity.nextUpdate(),
        problems,
        paths);
    return TcbLevels.qeLevel(identity, quote.qeReport(), problems);
  }

  private static void checkSignatureAndTime(
      DcapTrust trust,
      SignedJson item,
      ParsedCollateral collateral,
      Instant at,
      Instant issueDate,
      Instant nextUpdate,
      List<Problem> problems,
      List<List<X509Certificate>> paths) {
    CollateralSigner.Outcome signer =
        CollateralSigner.verify(trust, item, collateral.certificates(), at);
    if (signer.problem() != null) {
      problems.add(signer.problem());
    } else {
      paths.add(signer.path());
    }
    if (at.isBefore(issueDate) || at.isAfter(nextUpdate)) {
      problems.add(
          Problem.of(
              EvidenceProblem.COLLATERAL_EXPIRED,
              item.kind()
                  + " from "
                  + item.source()
                  + " is valid "
                  + issueDate
                  + " .. "
                  + nextUpdate
                  + ", not at "
                  + at));
    }
  }

  /**
   * Prefers bodies valid at {@code at}, then the highest evaluation data number, then the latest
   * issue.
   */
  private static SignedJson newest(
      List<SignedJson> items,
      Instant at,
      java.util.function.Function<SignedJson, Instant> issue,
      java.util.function.Function<SignedJson, Instant> next,
      java.util.function.ToIntFunction<SignedJson> evaluation) {
    Comparator<SignedJson> order =
        Comparator.comparing((SignedJson item) ->
                !at.isBefore(issue.apply(item)) && !at.isAfter(next.apply(item)))
            .thenComparingInt(evaluation)
            .thenComparing(issue);
    return items.stream().max(order).orElseThrow();
  }
}
