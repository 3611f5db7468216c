// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Level matching rules for TCB Info, TDX module identities and QE identities. Pure. */
final class TcbLevels {
  /** A matched TDX module level (null when no module identity applies), or the mismatch. */
  record ModuleOutcome(QeIdentity.Level level, Problem problem) {}

  private TcbLevels() {}

  /**
   * The first level (Intel orders them newest first) whose SGX component SVNs and PCESVN are all
   * {@code <=} the PCK certificate's and, for TDX, whose {@code tdxtcbcomponents} are {@code <=}
   * {@code tee_tcb_svn}: all 16 bytes when the module major version {@code tee_tcb_svn[1]} is 0,
   * otherwise from index 2 (Intel's rule; the module SVN is judged by its module identity).
   */
  static Optional<TcbInfo.Level> platformLevel(TcbInfo info, PckExtensions pck, Quote quote) {
    for (TcbInfo.Level level : info.levels()) {
      if (!atLeast(pck.componentSvns(), level.sgxComponents(), 0)
          || pck.pceSvn() < level.pceSvn()) {
        continue;
      }
      if (quote.tdx()) {
        byte[] teeTcbSvn = ((TdReport) quote.body()).teeTcbSvn();
        int[] svns = new int[16];
        for (int i = 0; i < 16; i++) {
          svns[i] = teeTcbSvn[i] & 0xff;
        }
        int start = svns[1] > 0 ? 2 : 0;
        if (level.tdxComponents().isEmpty() || !atLeast(svns, level.tdxComponents().get(), start)) {
          continue;
        }
      }
      return Optional.of(level);
    }
    return Optional.empty();
  }

  /**
   * The TDX module's level: with {@code tee_tcb_svn[1] > 0} and {@code tdxModuleIdentities}
   * present, the identity {@code TDX_<tee_tcb_svn[1] as 2 hex digits>} must exist, match MRSIGNER
   * and the masked SEAM attributes, and its first level with {@code isvsvn <= tee_tcb_svn[0]}
   * applies; otherwise only {@code tdxModule}'s MRSIGNER and attributes are checked.
   */
  static ModuleOutcome tdxModule(TcbInfo info, TdReport report) {
    int major = report.teeTcbSvn()[1] & 0xff;
    int moduleSvn = report.teeTcbSvn()[0] & 0xff;
    if (major > 0 && !info.moduleIdentities().isEmpty()) {
      String id = "TDX_" + Hex.encode(new byte[] {(byte) major}).toUpperCase(java.util.Locale.ROOT);
      for (TcbInfo.ModuleIdentity identity : info.moduleIdentities()) {
        if (!identity.id().equalsIgnoreCase(id)) {
          continue;
        }
        Problem mismatch = moduleMismatch(identity.module(), report, id);
        if (mismatch != null) {
          return new ModuleOutcome(null, mismatch);
        }
        for (QeIdentity.Level level : identity.levels()) {
          if (level.isvSvn() <= moduleSvn) {
            return new ModuleOutcome(level, null);
          }
        }
        return new ModuleOutcome(
            null,
            Problem.of(
                EvidenceProblem.COLLATERAL_MISMATCH,
                "TDX module "
                    + id
                    + " SVN "
                    + moduleSvn
                    + " is below every level of its module identity"));
      }
      return new ModuleOutcome(
          null,
          Problem.of(
              EvidenceProblem.COLLATERAL_MISMATCH,
              "TDX module identity " + id + " is not in the TCB Info"));
    }
    Problem mismatch =
        info.tdxModule().map(module -> moduleMismatch(module, report, "tdxModule")).orElse(null);
    return new ModuleOutcome(null, mismatch);
  }

  private static Problem moduleMismatch(TcbInfo.TdxModule module, TdReport report, String id) {
    if (!Arrays.equals(module.mrSigner(), report.mrSignerSeam())) {
      return Problem.of(
          EvidenceProblem.COLLATERAL_MISMATCH,
          "TDX module "
              + id
              + ": mr_signer_seam "
              + Hex.encode(report.mrSignerSeam())
              + " differs from the TCB Info's "
              + Hex.encode(module.mrSigner()));
    }
    if (!Arrays.equals(
        mask(report.seamAttributes(), module.attributesMask()),
        mask(module.attributes(), module.attributesMask()))) {
      return Problem.of(
          EvidenceProblem.COLLATERAL_MISMATCH,
          "TDX module "
              + id
              + ": seam_attributes "
              + Hex.encode(report.seamAttributes())
              + " do not match the TCB Info under its mask");
    }
    return null;
  }

  /**
   * Checks the QE report against the QE Identity (MRSIGNER, ISVPRODID, masked MISCSELECT and
   * ATTRIBUTES) and returns the first level with {@code isvsvn <=} the QE's ISVSVN; with no such
   * level the QE is treated as Revoked, as Intel's QVL does.
   */
  static Optional<QeIdentity.Level> qeLevel(
      QeIdentity identity, EnclaveReport qe, List<Problem> problems) {
    String what = "QE Identity " + identity.id() + ": ";
    if (!Arrays.equals(identity.mrSigner(), qe.mrSigner())) {
      problems.add(
          Problem.of(
              EvidenceProblem.COLLATERAL_MISMATCH,
              what
                  + "QE MRSIGNER "
                  + Hex.encode(qe.mrSigner())
                  + " differs from "
                  + Hex.encode(identity.mrSigner())));
    }
    if (identity.isvProdId() != qe.isvProdId()) {
      problems.add(
          Problem.of(
              EvidenceProblem.COLLATERAL_MISMATCH,
              what + "QE ISVPRODID " + qe.isvProdId() + " differs from " + identity.isvProdId()));
    }
    long miscMask = be32(identity.miscSelectMask());
    if ((qe.miscSelect() & miscMask) != (be32(identity.miscSelect()) & miscMask)) {
      problems.add(
          Problem.of(
              EvidenceProblem.COLLATERAL_MISMATCH,
              what + "QE MISCSELECT does not match under its mask"));
    }
    if (!Arrays.equals(
        mask(qe.attributes(), identity.attributesMask()),
        mask(identity.attributes(), identity.attributesMask()))) {
      problems.add(
          Problem.of(
              EvidenceProblem.COLLATERAL_MISMATCH,
              what + "QE ATTRIBUTES do not match under their mask"));
    }
    for (QeIdentity.Level level : identity.levels()) {
      if (level.isvSvn() <= qe.isvSvn()) {
        return Optional.of(level);
      }
    }
    return Optional.of(
        new QeIdentity.Level(qe.isvSvn(), java.time.Instant.EPOCH, TcbStatus.REVOKED, List.of()));
  }

  private static boolean atLeast(int[] actual, int[] required, int from) {
    for (int i = from; i < required.length; i++) {
      if (actual[i] < required[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] mask(byte[] value, byte[] mask) {
    byte[] out = new byte[Math.min(value.length, mask.length)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (value[i] & mask[i]);
    }
    return out;
  }

  private static long be32(byte[] bytes) {
    return ((bytes[0] & 0xffL) << 24)
        | ((bytes[1] & 0xffL) << 16)
        | ((bytes[2] & 0xffL) << 8)
        | (bytes[3] & 0xffL);
  }
}
