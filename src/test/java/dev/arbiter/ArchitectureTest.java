// SPDX-License-Identifier: Apache-2.0
package dev.arbiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape rules of docs/architecture.md, checked on the compiled classes with the JDK's own
 * {@code jdeps}: packages form a DAG, SQL (Jdbi) lives only in stores, JCA only in {@code crypto}.
 * There are no exceptions: a new violation fails at once.
 */
class ArchitectureTest {
  private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

  private static final Pattern JCA =
      Pattern.compile(
          "javax\\.crypto\\..*|java\\.security\\.(Signature|KeyFactory|MessageDigest|KeyPairGenerator|SecureRandom|KeyStore)");

  private static List<String[]> classEdges;
  private static Map<String, Set<String>> packageEdges;

  @BeforeAll
  static void analyse() {
    Path classes = Path.of("target", "classes");
    assertThat(Files.isDirectory(classes)).as("compiled classes in target/classes").isTrue();
    classEdges = jdeps("-verbose:class", "-filter:none", classes.toString());
    packageEdges = new TreeMap<>();
    for (String[] edge : classEdges) {
      String from = packageOf(edge[0]);
      String to = packageOf(edge[1]);
      if (from.startsWith("dev.arbiter") && to.startsWith("dev.arbiter") && !from.equals(to)) {
        packageEdges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
      }
    }
  }

  @Test
  void packages_formADirectedAcyclicGraph() {
    assertThat(cycles(packageEdges))
        .as("package cycles (break the edge that points from lower to higher layer)")
        .isEmpty();
  }

  @Test
  void problemPackage_isALeaf() {
    assertThat(packageEdges.getOrDefault("dev.arbiter.problem", Set.of())).isEmpty();
  }

  @Test
  void sql_onlyInStores() {
    checkConfined(
        to -> to.startsWith("org.jdbi."),
        from -> from.startsWith("dev.arbiter.store.") || from.endsWith("Store"),
        "Jdbi outside *Store classes");
  }

  @Test
  void jca_onlyInCrypto() {
    checkConfined(
        to -> JCA.matcher(to).matches(),
        from -> from.startsWith("dev.arbiter.crypto."),
        "JCA outside dev.arbiter.crypto");
  }

  private static void checkConfined(
      java.util.function.Predicate<String> target,
      java.util.function.Predicate<String> allowed,
      String what) {
    Set<String> offenders = new TreeSet<>();
    for (String[] edge : classEdges) {
      String from = edge[0].replaceAll("\\$.*", "");
      if (from.startsWith("dev.arbiter.") && target.test(edge[1]) && !allowed.test(from)) {
        offenders.add(from);
      }
    }
    assertThat(offenders).as(what).isEmpty();
  }

  private static List<List<String>> cycles(Map<String, Set<String>> graph) {
    // Tarjan's strongly connected components; every component of more than one package is a cycle.
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] counter = {0};
    Set<String> nodes = new TreeSet<>(graph.keySet());
    graph.values().forEach(nodes::addAll);
    for (String node : nodes) {
      if (!index.containsKey(node)) {
        strongConnect(node, graph, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private static void strongConnect(
      String v,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<List<String>> out,
      int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        strongConnect(w, graph, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        out.add(component.stream().sorted().toList());
      }
    }
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  private static List<String[]> jdeps(String... args) {
    ToolProvider tool =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new AssertionError("jdeps is not in this JDK"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        tool.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    assertThat(code).as("jdeps: " + err.toString(StandardCharsets.UTF_8)).isZero();
    List<String[]> edges = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      Matcher matcher = EDGE.matcher(line);
      if (matcher.find()) {
        edges.add(new String[] {matcher.group(1), matcher.group(2)});
      }
    }
    assertThat(edges).as("jdeps produced class edges").isNotEmpty();
    return edges;
  }
}
