// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.crypto.Ed25519Key;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed notes and checkpoints. The external vectors are those of Go's {@code
 * golang.org/x/mod/sumdb/note} (sumdb/note/note_test.go, TestNewVerifier, TestSign, TestOpen; BSD-3
 * licensed): Ed25519 is deterministic, so signing the same text with the same seed must reproduce
 * Go's signature line byte for byte, and Go's notes must verify here.
 */
class SignedNoteTest {
  static final String PETER_SIGNER =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  static final String PETER_KEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String ENOCH_KEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
  static final String TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  static final String PETER_SIG =
      "\u2014 PeterNeumann"
          + " x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  static final String ENOCH_SIG =
      "\u2014 EnochRoot"
          + " rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

  /**
   * The Ed25519 seed of Go's {@code PRIVATE+KEY+name+id+base64(0x01 || seed)} signer key string.
   */
  static Ed25519Key goSigner(String skey) {
    String[] parts = skey.split("\\+", 5);
    byte[] typeAndSeed = Base64.getDecoder().decode(parts[4]);
    assertThat(typeAndSeed[0]).isEqualTo((byte) 1);
    return Ed25519Key.fromSeed(Arrays.copyOfRange(typeAndSeed, 1, typeAndSeed.length));
  }

  @Test
  void sign_goVector_reproducesGoNoteByteForByte() {
    CheckpointSigner signer = new CheckpointSigner("PeterNeumann", goSigner(PETER_SIGNER));
    assertThat(signer.verifierKey().encoded()).isEqualTo(PETER_KEY);
    assertThat(signer.verifierKey().keyIdHex()).isEqualTo("c74f20a3");
    assertThat(signer.sign(TEXT)).isEqualTo(TEXT + "\n" + PETER_SIG);
  }

  @Test
  void parseVerifierKey_goKeys_roundTrip() {
    for (String key : List.of(PETER_KEY, ENOCH_KEY)) {
      assertThat(NoteVerifierKey.parse(key).encoded()).isEqualTo(key);
    }
    assertThat(NoteVerifierKey.parse(PETER_KEY).keyId()).isEqualTo(0xc74f20a3);
  }

  @Test
  void parseVerifierKey_everyMangling_isRejected() {
    // TestNewVerifier: every proper substring and every single-byte increment fails
    byte[] b = PETER_KEY.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i <= b.length; i++) {
      for (int j = i + 1; j <= b.length; j++) {
        if (i != 0 || j != b.length) {
          String mangled = new String(b, i, j - i, StandardCharsets.US_ASCII);
          assertThatThrownBy(() -> NoteVerifierKey.parse(mangled))
              .as(mangled)
              .isInstanceOf(IllegalArgumentException.class);
        }
      }
    }
    for (int i = 0; i < b.length; i++) {
      byte[] copy = b.clone();
      copy[i]++;
      String mangled = new String(copy, StandardCharsets.US_ASCII);
      assertThatThrownBy(() -> NoteVerifierKey.parse(mangled))
          .as(mangled)
          .isInstanceOf(IllegalArgumentException.class);
    }
    // wrong key length and unknown algorithm, each with an adjusted key hash
    assertThatThrownBy(() ->
            NoteVerifierKey.parse(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() ->
            NoteVerifierKey.parse(
                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        .hasMessageContaining("unsupported verifier key type");
  }

  @Test
  void verify_goNoteWithTwoSignatures_eachPinnedKeyVerifiesItsOwn() {
    SignedNote note = SignedNote.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
    assertThat(note.text()).isEqualTo(TEXT);
    assertThat(note.signatures())
        .extracting(SignedNote.Signature::keyName)
        .containsExactly("PeterNeumann", "EnochRoot");
    assertThat(note.signatures().get(1).keyId()).isEqualTo(0xaf0cfe78);
    assertThat(note.format()).isEqualTo(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
    assertThat(Checkpoints.verifySignature(note, NoteVerifierKey.parse(PETER_KEY))).isNull();
    assertThat(Checkpoints.verifySignature(note, NoteVerifierKey.parse(ENOCH_KEY))).isNull();
    // signed by neither
    CheckpointSigner stranger = new CheckpointSigner("PeterNeumann", Ed25519Key.generate());
    assertThat(Checkpoints.verifySignature(note, stranger.verifierKey()).reason())
        .isEqualTo(Verification.Reason.UNKNOWN_KEY);
  }

  @Test
  void verify_goNoteWithCorruptSignature_isBadSignature() {
    // TestOpen "Invalid signature": four characters spliced into the base64
    String corrupt = PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
    SignedNote note = SignedNote.parse(TEXT + "\n" + corrupt);
    assertThat(Checkpoints.verifySignature(note, NoteVerifierKey.parse(PETER_KEY)).reason())
        .isEqualTo(Verification.Reason.BAD_SIGNATURE);
    SignedNote altered =
        SignedNote.parse(TEXT.replace("cryptography", "cryptographY") + "\n" + PETER_SIG);
    assertThat(Checkpoints.verifySignature(altered, NoteVerifierKey.parse(PETER_KEY)).reason())
        .isEqualTo(Verification.Reason.BAD_SIGNATURE);
  }

  @Test
  void parse_goMalformedNotes_areRejected() {
    // TestOpen badMsgs
    List<String> bad =
        List.of(
            TEXT,
            TEXT + "\n",
            TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
            "\u0001" + TEXT + "\n" + PETER_SIG,
            TEXT
                + "\n"
                + "\u2014 Bad Name"
                + " x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
            TEXT + "\n" + PETER_SIG.repeat(101),
            TEXT
                + "\n"
                + "\u2014 PeterNeumann"
                + " x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
            TEXT + "\n" + "\u2014 PeterNeumann AAAA\n",
            TEXT
                + "\n"
                + "- PeterNeumann"
                + " x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n");
    for (String note : bad) {
      assertThatThrownBy(() -> SignedNote.parse(note))
          .as(note)
          .isInstanceOf(IllegalArgumentException.class);
    }
    byte[] invalidUtf8 = ("\u00ff" + TEXT + "\n" + PETER_SIG).getBytes(StandardCharsets.UTF_8);
    invalidUtf8[0] = (byte) 0xff;
    invalidUtf8[1] = (byte) 0x20;
    assertThatThrownBy(() -> SignedNote.parse(invalidUtf8)).hasMessageContaining("UTF-8");
    assertThat(
            SignedNote.parse((TEXT + "\n" + PETER_SIG.repeat(100)).getBytes(StandardCharsets.UTF_8))
                .signatures())
        .hasSize(100);
  }

  @Test
  void parse_c2spCheckpointExample_isACheckpoint() {
    // the example of c2sp.org/tlog-checkpoint (its key is not published, so only the syntax is
    // checked)
    String example =
        "example.com/behind-the-sofa\n"
            + "20852163\n"
            + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
            + "\u2014 example.com/behind-the-sofa"
            + " Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
    SignedNote note = SignedNote.parse(example);
    Checkpoint checkpoint = Checkpoint.parse(note.text());
    assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(checkpoint.size()).isEqualTo(20852163L);
    assertThat(checkpoint.text()).isEqualTo(note.text());
    assertThat(note.format()).isEqualTo(example);
  }

  @Test
  void open_signedCheckpoint_roundTrips() {
    CheckpointSigner signer = new CheckpointSigner("arbiter.example/log", Ed25519Key.generate());
    Checkpoint checkpoint =
        new Checkpoint("arbiter.example/log", 42, Merkle.leafHash(new byte[] {1}));
    String note = signer.sign(checkpoint);
    assertThat(note)
        .startsWith(
            "arbiter.example/log\n42\n"
                + B64.encode(checkpoint.rootHash())
                + "\n\n\u2014 arbiter.example/log ");
    Verification opened = Checkpoints.open(note, signer.verifierKey());
    assertThat(opened).isEqualTo(new Verification.Verified(checkpoint));
    assertThat(Checkpoints.open(note, NoteVerifierKey.parse(signer.verifierKey().encoded())))
        .isEqualTo(opened);
    // an extra signature by an unknown key (a witness, say) is ignored
    CheckpointSigner witness = new CheckpointSigner("witness.example", Ed25519Key.generate());
    String cosigned =
        note + witness.sign(checkpoint.text()).substring(checkpoint.text().length() + 1);
    assertThat(Checkpoints.open(cosigned, signer.verifierKey()).ok()).isTrue();
    assertThat(Checkpoints.open(cosigned, witness.verifierKey(), "arbiter.example/log").ok())
        .isTrue();
  }

  @Test
  void open_tamperedCheckpoints_areRejectedWithPreciseReasons() {
    CheckpointSigner signer = new CheckpointSigner("arbiter.example/log", Ed25519Key.generate());
    NoteVerifierKey key = signer.verifierKey();
    Checkpoint checkpoint =
        new Checkpoint("arbiter.example/log", 42, Merkle.leafHash(new byte[] {1}));
    String note = signer.sign(checkpoint);
    String root = B64.encode(checkpoint.rootHash());

    assertThat(reason(note.replace("\n42\n", "\n43\n"), key))
        .isEqualTo(Verification.Reason.BAD_SIGNATURE);
    assertThat(reason(note.replace(root, B64.encode(Merkle.emptyRoot())), key))
        .isEqualTo(Verification.Reason.BAD_SIGNATURE);
    assertThat(reason(note.replace("\n\n", "\n"), key))
        .isEqualTo(Verification.Reason.MALFORMED_NOTE);
    assertThat(reason(note + "\u2014 trailing\n", key))
        .isEqualTo(Verification.Reason.MALFORMED_NOTE);
    assertThat(reason(note.substring(0, note.length() - 1), key))
        .isEqualTo(Verification.Reason.MALFORMED_NOTE);
    assertThat(
            reason(
                note,
                new CheckpointSigner("arbiter.example/log", Ed25519Key.generate()).verifierKey()))
        .isEqualTo(Verification.Reason.UNKNOWN_KEY);
    assertThat(reason(note, NoteVerifierKey.of("arbiter.example/other", key.publicKey())))
        .isEqualTo(Verification.Reason.UNKNOWN_KEY);
    // flip one bit of the signature itself
    SignedNote parsed = SignedNote.parse(note);
    byte[] sig = parsed.signatures().get(0).signature();
    sig[10] ^= 1;
    String flipped =
        new SignedNote(
                parsed.text(),
                List.of(new SignedNote.Signature("arbiter.example/log", key.keyId(), sig)))
            .format();
    assertThat(reason(flipped, key)).isEqualTo(Verification.Reason.BAD_SIGNATURE);

    // validly signed by the pinned key, but not a checkpoint of this log
    assertThat(reason(signer.sign("arbiter.example/other\n42\n" + root + "\n"), key))
        .isEqualTo(Verification.Reason.WRONG_ORIGIN);
    assertThat(reason(signer.sign("arbiter.example/log\n42\n" + root + "\nextension\n"), key))
        .isEqualTo(Verification.Reason.MALFORMED_CHECKPOINT);
    assertThat(reason(signer.sign("arbiter.example/log\n42\n"), key))
        .isEqualTo(Verification.Reason.MALFORMED_CHECKPOINT);
    assertThat(reason(signer.sign("arbiter.example/log\n042\n" + root + "\n"), key))
        .isEqualTo(Verification.Reason.MALFORMED_CHECKPOINT);
    assertThat(reason(signer.sign("arbiter.example/log\n-1\n" + root + "\n"), key))
        .isEqualTo(Verification.Reason.MALFORMED_CHECKPOINT);
    assertThat(
            reason(signer.sign("arbiter.example/log\n99999999999999999999\n" + root + "\n"), key))
        .isEqualTo(Verification.Reason.MALFORMED_CHECKPOINT);
    assertThat(reason(signer.sign("arbiter.example/log\n42\n" + root.substring(0, 43) + "\n"), key))
        .isEqualTo(Verification.Reason.MALFORMED_CHECKPOINT);
    assertThat(
            reason(signer.sign("arbiter.example/log\n42\n" + B64.encode(new byte[31]) + "\n"), key))
        .isEqualTo(Verification.Reason.MALFORMED_CHECKPOINT);
    assertThat(reason(signer.sign("arbiter.example/log\n\n42\n" + root + "\n"), key))
        .isEqualTo(Verification.Reason.MALFORMED_CHECKPOINT);
  }

  @Test
  void checkpointSigner_refusesOtherOriginsAndInvalidNames() {
    CheckpointSigner signer = new CheckpointSigner("arbiter.example/log", Ed25519Key.generate());
    assertThatThrownBy(() -> signer.sign(new Checkpoint("elsewhere", 1, Merkle.emptyRoot())))
        .isInstanceOf(IllegalArgumentException.class);
    for (String name :
        List.of("", "a b", "a+b", "tab\there", "nbsp\u00a0", "ideographic\u3000space")) {
      assertThatThrownBy(() -> new CheckpointSigner(name, Ed25519Key.generate()))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static Verification.Reason reason(String note, NoteVerifierKey key) {
    Verification result = Checkpoints.open(note, key);
    assertThat(result).isInstanceOf(Verification.Failed.class);
    return ((Verification.Failed) result).reason();
  }
}
