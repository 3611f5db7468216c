// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates the fuzz corpus entries that are fully valid bundles (so the fuzzer starts deep in
 * the Fulcio, SCT and tlog-body code) and the test-only trusted root they verify under. Run from
 * the repository root: {@code java -cp target/test-classes:target/classes:$(cat target/test.cp)
 * dev.arbiter.supplychain.provenance.FuzzCorpusGenerator}. Keys are generated per run and
 * discarded; nothing here is secret.
 */
final class FuzzCorpusGenerator {
  static final Path DIR = Path.of("src/test/resources/dev/arbiter/supplychain/provenance");

  private FuzzCorpusGenerator() {}

  public static void main(String[] args) throws Exception {
    SigstoreFixture fixture = new SigstoreFixture();
    Files.write(DIR.resolve("fuzz-trusted-root.json"), fixture.trustedRoot());
    Path corpus = DIR.resolve("ProvenanceFuzzTestInputs/verify");
    BundleBuilder v02 = new BundleBuilder(fixture);
    Files.write(corpus.resolve("generated-bundle-v02.json"), v02.build());
    BundleBuilder v03 = new BundleBuilder(fixture);
    v03.mediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";
    Files.write(corpus.resolve("generated-bundle-v03.json"), v03.build());
    BundleBuilder message = new BundleBuilder(fixture);
    message.messageSignature = true;
    message.mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.1";
    message.omitProof = true;
    Files.write(corpus.resolve("generated-bundle-message-v01.json"), message.build());
  }
}
