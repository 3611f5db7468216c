// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.MerkleHashes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Merkle tree hashing and proofs of RFC 9162 section 2.1 (the RFC 6962 tree): leaf hash {@code
 * SHA-256(0x00 || data)}, node hash {@code SHA-256(0x01 || left || right)}, the root of an empty
 * tree {@code SHA-256("")}, inclusion proofs (2.1.3) and consistency proofs (2.1.4).
 *
 * <p>Proofs are generated from <em>perfect subtrees</em> only: every proof element is the hash of a
 * range {@code [start, end)} of leaves that RFC 9162's recursion produces, and every such range is
 * a sequence of aligned perfect subtrees ({@link Subtree}) of decreasing size, whose hashes fold
 * right to left. A store that keeps the hash of every perfect subtree as it completes therefore
 * answers any proof for any tree size with O(log n) lookups: {@link #inclusionPlan} and {@link
 * #consistencyPlan} say which, {@link #resolve} combines them. Thread-safe (stateless).
 */
public final class Merkle {
  /** Length of every hash (SHA-256). */
  public static final int HASH_LENGTH = 32;

  private static final byte[] EMPTY_ROOT = Digests.sha256(new byte[0]);

  private Merkle() {}

  /** A perfect subtree: the {@code 2^level} leaves starting at {@code index * 2^level}. */
  record Subtree(int level, long index) {
    Subtree {
      if (level < 0 || level > 62 || index < 0) {
        throw new IllegalArgumentException("no such subtree: " + level + "/" + index);
      }
    }

    long start() {
      return index << level;
    }

    long end() {
      return (index + 1) << level;
    }
  }

  /** {@code SHA-256(0x00 || data)}. */
  public static byte[] leafHash(byte[] data) {
    return MerkleHashes.leaf(data);
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    return MerkleHashes.node(left, right);
  }

  /** The root of the empty tree, {@code SHA-256("")}. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  /** The root (MTH) of a tree whose leaves have these hashes, in order. */
  public static byte[] root(List<byte[]> leafHashes) {
    if (leafHashes.isEmpty()) {
      return emptyRoot();
    }
    return fold(resolveRange(decompose(0, leafHashes.size()), inMemory(leafHashes)));
  }

  /**
   * The inclusion proof (RFC 9162 2.1.3.1) of leaf {@code index} in the first {@code size} leaves.
   */
  public static List<byte[]> inclusionProof(List<byte[]> leafHashes, long index, long size) {
    requireSize(size, leafHashes.size());
    return resolve(inclusionPlan(index, size), inMemory(leafHashes));
  }

  /**
   * The consistency proof (RFC 9162 2.1.4.1) from the first {@code oldSize} leaves to the first
   * {@code newSize}.
   */
  public static List<byte[]> consistencyProof(List<byte[]> leafHashes, long oldSize, long newSize) {
    requireSize(newSize, leafHashes.size());
    return resolve(consistencyPlan(oldSize, newSize), inMemory(leafHashes));
  }

  private static void requireSize(long size, int available) {
    if (size > available) {
      throw new IllegalArgumentException(
          "tree size " + size + " exceeds the " + available + " leaves given");
    }
  }

  // ---------------------------------------------------------------- plans

  /**
   * The ranges of an inclusion proof, each as its perfect subtrees (PATH of RFC 9162 2.1.3.1).
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size}
   */
  static List<List<Subtree>> inclusionPlan(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "leaf index " + index + " is not in a tree of size " + size);
    }
    List<List<Subtree>> plan = new ArrayList<>();
    path(index, 0, size, plan);
    return plan;
  }

  private static void path(long m, long start, long n, List<List<Subtree>> out) {
    if (n == 1) {
      return;
    }
    long k = splitPoint(n);
    if (m < k) {
      path(m, start, k, out);
      out.add(decompose(start + k, start + n));
    } else {
      path(m - k, start + k, n - k, out);
      out.add(decompose(start, start + k));
    }
  }

  /**
   * The ranges of a consistency proof (PROOF/SUBPROOF of RFC 9162 2.1.4.1); empty when {@code
   * oldSize} is 0 or equals {@code newSize}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize}
   */
  static List<List<Subtree>> consistencyPlan(long oldSize, long newSize) {
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException(
          "no consistency proof from size " + oldSize + " to size " + newSize);
    }
    List<List<Subtree>> plan = new ArrayList<>();
    if (oldSize > 0 && oldSize < newSize) {
      subproof(oldSize, 0, newSize, true, plan);
    }
    return plan;
  }

  private static void subproof(
      long m, long start, long n, boolean complete, List<List<Subtree>> out) {
    if (m == n) {
      if (!complete) {
        out.add(decompose(start, start + m));
      }
      return;
    }
    long k = splitPoint(n);
    if (m <= k) {
      subproof(m, start, k, complete, out);
      out.add(decompose(start + k, start + n));
    } else {
      subproof(m - k, start + k, n - k, false, out);
      out.add(decompose(start, start + k));
    }
  }

  /**
   * The perfect subtrees whose right fold is the root of a tree of {@code size} leaves (empty for
   * 0).
   */
  static List<Subtree> rootPlan(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    return size == 0 ? List.of() : decompose(0, size);
  }

  /**
   * The aligned perfect subtrees covering {@code [start, end)}, largest first. Every range of the
   * RFC 9162 recursion starts at a multiple of the power of two at or above its length, so its MTH
   * is the right fold of these.
   */
  static List<Subtree> decompose(long start, long end) {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("empty range " + start + ".." + end);
    }
    List<Subtree> out = new ArrayList<>();
    long at = start;
    while (at < end) {
      long size = Long.highestOneBit(end - at);
      if (at % size != 0) {
        throw new IllegalArgumentException(
            "range " + start + ".." + end + " is not a Merkle subtree range");
      }
      out.add(new Subtree(Long.numberOfTrailingZeros(size), at / size));
      at += size;
    }
    return out;
  }

  /** The largest power of two smaller than {@code n} (n > 1). */
  private static long splitPoint(long n) {
    return Long.highestOneBit(n - 1);
  }

  /** Every distinct subtree a plan needs, in first-use order. */
  static Set<Subtree> subtrees(List<List<Subtree>> plan) {
    Set<Subtree> all = new LinkedHashSet<>();
    plan.forEach(all::addAll);
    return all;
  }

  /** Hashes each range of a plan from its subtrees' hashes. */
  static List<byte[]> resolve(List<List<Subtree>> plan, Function<Subtree, byte[]> hashes) {
    List<byte[]> out = new ArrayList<>(plan.size());
    for (List<Subtree> range : plan) {
      out.add(fold(resolveRange(range, hashes)));
    }
    return out;
  }

  private static List<byte[]> resolveRange(List<Subtree> range, Function<Subtree, byte[]> hashes) {
    List<byte[]> out = new ArrayList<>(range.size());
    for (Subtree subtree : range) {
      byte[] hash = hashes.apply(subtree);
      if (hash == null) {
        throw new IllegalStateException("missing hash of subtree " + subtree);
      }
      out.add(hash);
    }
    return out;
  }

  /** The right fold {@code node(h0, node(h1, ... node(hn-2, hn-1)))}. */
  static byte[] fold(List<byte[]> hashes) {
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException("nothing to fold");
    }
    byte[] acc = hashes.get(hashes.size() - 1);
    for (int i = hashes.size() - 2; i >= 0; i--) {
      acc = nodeHash(hashes.get(i), acc);
    }
    return acc;
  }

  /** Subtree hashes computed from leaf hashes held in memory (memoized per call). */
  static Function<Subtree, byte[]> inMemory(List<byte[]> leafHashes) {
    Map<Subtree, byte[]> memo = new HashMap<>();
    return new Function<>() {
      @Override
      public byte[] apply(Subtree subtree) {
        if (subtree.end() > leafHashes.size()) {
          throw new IllegalArgumentException(
              "subtree " + subtree + " beyond " + leafHashes.size() + " leaves");
        }
        if (subtree.level() == 0) {
          return leafHashes.get((int) subtree.index());
        }
        byte[] known = memo.get(subtree);
        if (known != null) {
          return known;
        }
        byte[] hash =
            nodeHash(
                apply(new Subtree(subtree.level() - 1, subtree.index() * 2)),
                apply(new Subtree(subtree.level() - 1, subtree.index() * 2 + 1)));
        memo.put(subtree, hash);
        return hash;
      }
    };
  }

  // ---------------------------------------------------------------- verification

  /**
   * The root an inclusion proof leads to (RFC 9162 2.1.3.2 steps 1-4), or null when the proof has
   * the wrong length for {@code index} and {@code size}, a hash of the wrong length, or {@code
   * index >= size}.
   */
  static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> proof) {
    if (index < 0 || index >= size || leafHash.length != HASH_LENGTH) {
      return null;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0 || p == null || p.length != HASH_LENGTH) {
        return null;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 ? r : null;
  }

  /**
   * RFC 9162 2.1.3.2: does {@code proof} show that {@code leafHash} is leaf {@code index} of the
   * tree with {@code root}?
   */
  public static boolean verifyInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
    byte[] computed = rootFromInclusionProof(index, size, leafHash, proof);
    return computed != null && Arrays.equals(computed, root);
  }

  /**
   * RFC 9162 2.1.4.2: does {@code proof} show that the tree of {@code oldSize} leaves with {@code
   * oldRoot} is a prefix of the tree of {@code newSize} leaves with {@code newRoot}? Equal sizes
   * need an empty proof and equal roots; an old size of 0 needs an empty proof.
   */
  public static boolean verifyConsistency(
      long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
    if (oldSize < 0 || oldSize > newSize) {
      return false;
    }
    if (oldSize == newSize) {
      return proof.isEmpty() && Arrays.equals(oldRoot, newRoot);
    }
    if (oldSize == 0) {
      return proof.isEmpty();
    }
    if (proof.isEmpty() || oldRoot.length != HASH_LENGTH || newRoot.length != HASH_LENGTH) {
      return false;
    }
    for (byte[] p : proof) {
      if (p == null || p.length != HASH_LENGTH) {
        return false;
      }
    }
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(oldSize) == 1) {
      path.add(oldRoot);
    }
    path.addAll(proof);
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      byte[] c = path.get(i);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(fr, oldRoot) && Arrays.equals(sr, newRoot);
  }
}
