// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9162 hashing and proofs against the test vectors of transparency-dev/merkle
 * (github.com/transparency-dev/merkle, files rfc6962/rfc6962_test.go and proof/verify_test.go,
 * Apache-2.0, also used by Certificate Transparency's Go and C++ code), plus exhaustive checks
 * against a literal transcription of the RFC's recursive definitions.
 */
class MerkleTest {
  // proof/verify_test.go: leaves, then the roots of the trees of sizes 1..8 over them
  private static final List<byte[]> LEAVES =
      hex(
          "",
          "00",
          "10",
          "2021",
          "3031",
          "40414243",
          "5051525354555657",
          "606162636465666768696a6b6c6d6e6f");
  private static final List<byte[]> ROOTS =
      hex(
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  /** proof/verify_test.go inclusionProofs: {1-based leaf, tree size, path}. */
  private record InclusionVector(long leaf, long size, List<byte[]> proof) {}

  private static final List<InclusionVector> INCLUSION =
      List.of(
          new InclusionVector(
              1,
              8,
              hex(
                  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
          new InclusionVector(
              6,
              8,
              hex(
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
          new InclusionVector(
              3, 3, hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
          new InclusionVector(
              2,
              5,
              hex(
                  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

  /** proof/verify_test.go consistencyProofs: {size1, size2, proof}. */
  private record ConsistencyVector(long size1, long size2, List<byte[]> proof) {}

  private static final List<ConsistencyVector> CONSISTENCY =
      List.of(
          new ConsistencyVector(1, 1, List.of()),
          new ConsistencyVector(
              1,
              8,
              hex(
                  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
          new ConsistencyVector(
              6,
              8,
              hex(
                  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
          new ConsistencyVector(
              2,
              5,
              hex(
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
          new ConsistencyVector(
              6,
              7,
              hex(
                  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

  private static final int MAX = 64;

  @Test
  void hashes_rfc6962Vectors_match() {
    // rfc6962/rfc6962_test.go
    assertThat(Hex.encode(Merkle.emptyRoot()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Hex.encode(Merkle.leafHash(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    assertThat(Hex.encode(Merkle.leafHash("L123456".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
    assertThat(
            Hex.encode(
                Merkle.nodeHash(
                    "N123".getBytes(StandardCharsets.US_ASCII),
                    "N456".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
  }

  @Test
  void root_vectorTrees_matchPublishedRoots() {
    List<byte[]> hashes = LEAVES.stream().map(Merkle::leafHash).toList();
    assertThat(Merkle.root(List.of())).isEqualTo(Merkle.emptyRoot());
    for (int size = 1; size <= LEAVES.size(); size++) {
      assertThat(Merkle.root(hashes.subList(0, size)))
          .as("root of %d", size)
          .isEqualTo(ROOTS.get(size - 1));
    }
  }

  @Test
  void inclusionProof_vectors_generatedEqualPublished_andVerify() {
    List<byte[]> hashes = LEAVES.stream().map(Merkle::leafHash).toList();
    for (InclusionVector v : INCLUSION) {
      long index = v.leaf() - 1;
      List<byte[]> generated = Merkle.inclusionProof(hashes, index, v.size());
      assertThat(generated)
          .as("proof of %d in %d", index, v.size())
          .usingElementComparator(Arrays::compare)
          .isEqualTo(v.proof());
      assertThat(
              Merkle.verifyInclusion(
                  index,
                  v.size(),
                  hashes.get((int) index),
                  v.proof(),
                  ROOTS.get((int) v.size() - 1)))
          .isTrue();
    }
  }

  @Test
  void consistencyProof_vectors_generatedEqualPublished_andVerify() {
    List<byte[]> hashes = LEAVES.stream().map(Merkle::leafHash).toList();
    for (ConsistencyVector v : CONSISTENCY) {
      List<byte[]> generated = Merkle.consistencyProof(hashes, v.size1(), v.size2());
      assertThat(generated)
          .as("proof %d -> %d", v.size1(), v.size2())
          .usingElementComparator(Arrays::compare)
          .isEqualTo(v.proof());
      assertThat(
              Merkle.verifyConsistency(
                  v.size1(),
                  v.size2(),
                  ROOTS.get((int) v.size1() - 1),
                  ROOTS.get((int) v.size2() - 1),
                  v.proof()))
          .isTrue();
    }
  }

  @Test
  void verifyInclusion_vectorsTampered_fail() {
    byte[] someHash =
        Hex.decode("abacaba000000000000000000000000000000000000000000060061e00123456");
    for (InclusionVector v : INCLUSION) {
      long index = v.leaf() - 1;
      long size = v.size();
      byte[] leaf = Merkle.leafHash(LEAVES.get((int) index));
      byte[] root = ROOTS.get((int) size - 1);
      List<byte[]> proof = v.proof();
      // the probes of corruptInclusionProof in proof/verify_test.go
      assertThat(Merkle.verifyInclusion(index - 1, size, leaf, proof, root)).isFalse();
      assertThat(Merkle.verifyInclusion(index + 1, size, leaf, proof, root)).isFalse();
      assertThat(Merkle.verifyInclusion(index ^ 2, size, leaf, proof, root)).isFalse();
      assertThat(Merkle.verifyInclusion(index, size * 2, leaf, proof, root)).isFalse();
      assertThat(Merkle.verifyInclusion(index, size / 2, leaf, proof, root)).isFalse();
      assertThat(
              Merkle.verifyInclusion(
                  index, size, "WrongLeaf".getBytes(StandardCharsets.US_ASCII), proof, root))
          .isFalse();
      assertThat(Merkle.verifyInclusion(index, size, leaf, proof, Merkle.emptyRoot())).isFalse();
      assertThat(Merkle.verifyInclusion(index, size, leaf, proof, someHash)).isFalse();
      assertThat(Merkle.verifyInclusion(index, size, leaf, append(proof, new byte[0]), root))
          .isFalse();
      assertThat(Merkle.verifyInclusion(index, size, leaf, append(proof, root), root)).isFalse();
      assertThat(Merkle.verifyInclusion(index, size, leaf, prepend(proof, new byte[0]), root))
          .isFalse();
      assertThat(Merkle.verifyInclusion(index, size, leaf, prepend(proof, root), root)).isFalse();
      assertInclusionTamperingFails(index, size, leaf, proof, root);
    }
  }

  @Test
  void verifyConsistency_edgeCases_followReference() {
    byte[] root1 = "don't care 1".getBytes(StandardCharsets.US_ASCII);
    byte[] root2 = "don't care 2".getBytes(StandardCharsets.US_ASCII);
    byte[] empty = Merkle.emptyRoot();
    // TestVerifyConsistency in proof/verify_test.go
    assertThat(Merkle.verifyConsistency(0, 0, root1, root2, List.of())).isFalse();
    assertThat(Merkle.verifyConsistency(1, 1, root1, root2, List.of())).isFalse();
    assertThat(Merkle.verifyConsistency(0, 0, root1, root1, List.of())).isTrue();
    assertThat(Merkle.verifyConsistency(0, 1, root1, root2, List.of())).isTrue();
    assertThat(Merkle.verifyConsistency(1, 1, root2, root2, List.of())).isTrue();
    assertThat(Merkle.verifyConsistency(1, 0, root1, root2, List.of())).isFalse();
    assertThat(Merkle.verifyConsistency(2, 1, root1, root2, List.of())).isFalse();
    assertThat(Merkle.verifyConsistency(1, 2, root1, root2, List.of())).isFalse();
    assertThat(Merkle.verifyConsistency(0, 0, empty, root2, List.of())).isFalse();
    assertThat(Merkle.verifyConsistency(1, 1, empty, root2, List.of())).isFalse();
    assertThat(Merkle.verifyConsistency(0, 0, empty, empty, List.of(empty))).isFalse();
    assertThat(Merkle.verifyConsistency(0, 1, empty, empty, List.of(empty))).isFalse();
    assertThat(Merkle.verifyConsistency(1, 1, empty, empty, List.of(empty))).isFalse();
  }

  @Test
  void inclusionProof_allLeavesOfAllTreesUpTo64_equalRfcDefinition_verify_andRejectTampering() {
    List<byte[]> hashes = leafHashes(MAX);
    for (int n = 1; n <= MAX; n++) {
      List<byte[]> tree = hashes.subList(0, n);
      byte[] root = Merkle.root(tree);
      assertThat(root).as("root %d", n).isEqualTo(Rfc.mth(tree));
      for (int m = 0; m < n; m++) {
        List<byte[]> proof = Merkle.inclusionProof(hashes, m, n);
        assertThat(proof)
            .as("PATH(%d, D[%d])", m, n)
            .usingElementComparator(Arrays::compare)
            .isEqualTo(Rfc.path(m, tree));
        assertThat(Merkle.verifyInclusion(m, n, tree.get(m), proof, root))
            .as("verify %d in %d", m, n)
            .isTrue();
        assertThat(Merkle.verifyInclusion(m, n, tree.get((m + 1) % n), proof, root))
            .as("other leaf")
            .isEqualTo(n == 1);
        // the tree height is what a proof pins down (sizes of the same shape share proofs)
        assertThat(Merkle.verifyInclusion(m, n * 2L, tree.get(m), proof, root))
            .as("size * 2")
            .isFalse();
        assertThat(Merkle.verifyInclusion(m, n / 2, tree.get(m), proof, root))
            .as("size / 2")
            .isFalse();
        assertInclusionTamperingFails(m, n, tree.get(m), proof, root);
      }
      assertThat(Merkle.verifyInclusion(n, n, tree.get(0), List.of(), root)).isFalse();
      assertThat(Merkle.verifyInclusion(-1, n, tree.get(0), List.of(), root)).isFalse();
    }
  }

  @Test
  void consistencyProof_allSizePairsUpTo64_equalRfcDefinition_verify_andRejectTampering() {
    List<byte[]> hashes = leafHashes(MAX);
    List<byte[]> roots = new ArrayList<>();
    roots.add(Merkle.emptyRoot());
    for (int n = 1; n <= MAX; n++) {
      roots.add(Merkle.root(hashes.subList(0, n)));
    }
    for (int n = 0; n <= MAX; n++) {
      for (int m = 0; m <= n; m++) {
        List<byte[]> proof = Merkle.consistencyProof(hashes, m, n);
        List<byte[]> expected = (m == 0 || m == n) ? List.of() : Rfc.proof(m, hashes.subList(0, n));
        assertThat(proof)
            .as("PROOF(%d, D[%d])", m, n)
            .usingElementComparator(Arrays::compare)
            .isEqualTo(expected);
        assertThat(Merkle.verifyConsistency(m, n, roots.get(m), roots.get(n), proof))
            .as("verify %d -> %d", m, n)
            .isTrue();
        if (m == 0 || m == n) {
          continue;
        }
        assertThat(Merkle.verifyConsistency(m, n, roots.get(m - 1), roots.get(n), proof))
            .as("wrong old root")
            .isFalse();
        assertThat(Merkle.verifyConsistency(m, n, roots.get(m), roots.get(n - 1), proof))
            .as("wrong new root")
            .isFalse();
        assertThat(Merkle.verifyConsistency(m, n, roots.get(n), roots.get(m), proof))
            .as("swapped roots")
            .isFalse();
        assertThat(Merkle.verifyConsistency(m - 1, n, roots.get(m), roots.get(n), proof))
            .as("size1 - 1")
            .isFalse();
        if (m + 1 < n) {
          assertThat(Merkle.verifyConsistency(m + 1, n, roots.get(m), roots.get(n), proof))
              .as("size1 + 1")
              .isFalse();
        }
        assertThat(Merkle.verifyConsistency(m, n * 2L, roots.get(m), roots.get(n), proof))
            .as("size2 * 2")
            .isFalse();
        assertThat(Merkle.verifyConsistency(m, n / 2, roots.get(m), roots.get(n), proof))
            .as("size2 / 2")
            .isFalse();
        assertThat(Merkle.verifyConsistency(m, n, roots.get(m), roots.get(n), List.of()))
            .as("empty proof")
            .isFalse();
        assertThat(
                Merkle.verifyConsistency(
                    m, n, roots.get(m), roots.get(n), append(proof, roots.get(m))))
            .as("trailing")
            .isFalse();
        assertThat(
                Merkle.verifyConsistency(
                    m, n, roots.get(m), roots.get(n), prepend(proof, roots.get(m))))
            .as("preceding")
            .isFalse();
        assertThat(
                Merkle.verifyConsistency(
                    m, n, roots.get(m), roots.get(n), proof.subList(0, proof.size() - 1)))
            .as("truncated")
            .isFalse();
        for (int i = 0; i < proof.size(); i++) {
          List<byte[]> tampered = new ArrayList<>(proof);
          byte[] flipped = proof.get(i).clone();
          flipped[0] ^= 16;
          tampered.set(i, flipped);
          assertThat(Merkle.verifyConsistency(m, n, roots.get(m), roots.get(n), tampered))
              .as("flipped %d of %d -> %d", i, m, n)
              .isFalse();
        }
      }
    }
  }

  @Test
  void proofs_sizesOutsideTree_areRefused() {
    List<byte[]> hashes = leafHashes(4);
    assertThatThrownBy(() -> Merkle.inclusionProof(hashes, 4, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Merkle.inclusionProof(hashes, 0, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Merkle.consistencyProof(hashes, 3, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Merkle.decompose(1, 3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void plans_largeTree_needLogarithmicallyManySubtrees() {
    long size = (1L << 40) + 12345;
    assertThat(Merkle.subtrees(Merkle.inclusionPlan(777_777_777L, size)))
        .hasSizeLessThanOrEqualTo(2 * 41);
    assertThat(Merkle.subtrees(Merkle.consistencyPlan(999_999_999L, size)))
        .hasSizeLessThanOrEqualTo(2 * 41);
    assertThat(Merkle.rootPlan(size)).hasSize(Long.bitCount(size));
  }

  private static void assertInclusionTamperingFails(
      long index, long size, byte[] leaf, List<byte[]> proof, byte[] root) {
    for (int i = 0; i < proof.size(); i++) {
      List<byte[]> tampered = new ArrayList<>(proof);
      byte[] flipped = proof.get(i).clone();
      flipped[0] ^= 8;
      tampered.set(i, flipped);
      assertThat(Merkle.verifyInclusion(index, size, leaf, tampered, root))
          .as("flipped element %d", i)
          .isFalse();
    }
    if (!proof.isEmpty()) {
      assertThat(
              Merkle.verifyInclusion(index, size, leaf, proof.subList(0, proof.size() - 1), root))
          .as("removed")
          .isFalse();
      assertThat(Merkle.verifyInclusion(index, size, leaf, append(proof, proof.get(0)), root))
          .as("extra")
          .isFalse();
    }
    if (proof.size() > 1) {
      List<byte[]> swapped = new ArrayList<>(proof);
      swapped.set(0, proof.get(1));
      swapped.set(1, proof.get(0));
      if (!Arrays.equals(proof.get(0), proof.get(1))) {
        assertThat(Merkle.verifyInclusion(index, size, leaf, swapped, root))
            .as("swapped")
            .isFalse();
      }
    }
  }

  private static List<byte[]> leafHashes(int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(Merkle.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static List<byte[]> append(List<byte[]> list, byte[] element) {
    List<byte[]> out = new ArrayList<>(list);
    out.add(element);
    return out;
  }

  private static List<byte[]> prepend(List<byte[]> list, byte[] element) {
    List<byte[]> out = new ArrayList<>();
    out.add(element);
    out.addAll(list);
    return out;
  }

  private static List<byte[]> hex(String... values) {
    return Arrays.stream(values).map(v -> v.isEmpty() ? new byte[0] : Hex.decode(v)).toList();
  }

  /** RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1, transcribed literally over leaf hashes. */
  private static final class Rfc {
    static byte[] mth(List<byte[]> d) {
      int n = d.size();
      if (n == 0) {
        return Digests.sha256(new byte[0]);
      }
      if (n == 1) {
        return d.get(0);
      }
      int k = Integer.highestOneBit(n - 1);
      return Merkle.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, n)));
    }

    static List<byte[]> path(int m, List<byte[]> d) {
      int n = d.size();
      List<byte[]> out = new ArrayList<>();
      if (n == 1) {
        return out;
      }
      int k = Integer.highestOneBit(n - 1);
      if (m < k) {
        out.addAll(path(m, d.subList(0, k)));
        out.add(mth(d.subList(k, n)));
      } else {
        out.addAll(path(m - k, d.subList(k, n)));
        out.add(mth(d.subList(0, k)));
      }
      return out;
    }

    static List<byte[]> proof(int m, List<byte[]> d) {
      return subproof(m, d, true);
    }

    static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
      int n = d.size();
      List<byte[]> out = new ArrayList<>();
      if (m == n) {
        if (!b) {
          out.add(mth(d));
        }
        return out;
      }
      int k = Integer.highestOneBit(n - 1);
      if (m <= k) {
        out.addAll(subproof(m, d.subList(0, k), b));
        out.add(mth(d.subList(k, n)));
      } else {
        out.addAll(subproof(m - k, d.subList(k, n), false));
        out.add(mth(d.subList(0, k)));
      }
      return out;
    }
  }
}
