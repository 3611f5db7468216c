// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The claim names an appraisal policy reads, found in its checked syntax tree: chains of field
 * selections and constant string indexes rooted at {@code claims} (the CPU TEE's claims: {@code
 * claims.reported_tcb.snp}, {@code claims["sha1:pcr7"]}, {@code has(claims.debug)}, {@code "vmpl"
 * in claims}) or at a device's {@code claims} ({@code devices[0].claims.x}, {@code devices.all(d,
 * d.claims.x)}), as dotted paths, longest chain only; plus the string literals (scheme ids the
 * policy names, e.g. {@code format == "tdx"}). A variable bound by a comprehension hides the
 * variable of that name. Paths behind a list index ({@code claims.software_components[0].version})
 * stop at the list. Pure.
 *
 * @param cpu the paths read under {@code claims}
 * @param device the paths read under a device's {@code claims}
 * @param literals every string literal of the expression
 */
record ClaimReferences(Set<String> cpu, Set<String> device, Set<String> literals) {
  ClaimReferences {
    cpu = Set.copyOf(cpu);
    device = Set.copyOf(device);
    literals = Set.copyOf(literals);
  }

  /** What a name resolves to while walking the tree. */
  private enum Kind {
    CPU_CLAIMS,
    DEVICE_CLAIMS,
    DEVICE,
    DEVICES,
    HIDDEN
  }

  /** A resolved chain: a kind and, for claims, the path below the root. */
  private record Chain(Kind kind, List<String> path) {
    Chain append(String segment) {
      List<String> longer = new ArrayList<>(path);
      longer.add(segment);
      return new Chain(kind, longer);
    }

    boolean claims() {
      return kind == Kind.CPU_CLAIMS || kind == Kind.DEVICE_CLAIMS;
    }
  }

  static ClaimReferences of(CelPolicy policy) {
    Walk walk = new Walk();
    walk.visit(policy.ast().getExpr(), Map.of());
    return new ClaimReferences(walk.cpu, walk.device, walk.literals);
  }

  private static final class Walk {
    final Set<String> cpu = new LinkedHashSet<>();
    final Set<String> device = new LinkedHashSet<>();
    final Set<String> literals = new LinkedHashSet<>();

    void visit(CelExpr expr, Map<String, Kind> scope) {
      Optional<Chain> chain = chain(expr, scope);
      if (chain.isPresent()) {
        record(chain.get());
        return;
      }
      switch (expr.getKind()) {
        case CONSTANT -> {
          if (expr.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            literals.add(expr.constant().stringValue());
          }
        }
        case SELECT -> visit(expr.select().operand(), scope);
        case CALL -> {
          var call = expr.call();
          if (call.function().equals("@in")
              && call.args().size() == 2
              && stringConstant(call.args().get(0)).isPresent()) {
            Optional<Chain> container = chain(call.args().get(1), scope);
            if (container.isPresent() && container.get().claims()) {
              record(container.get().append(stringConstant(call.args().get(0)).get()));
              return;
            }
          }
          call.target().ifPresent(target -> visit(target, scope));
          call.args().forEach(arg -> visit(arg, scope));
        }
        case LIST -> expr.list().elements().forEach(element -> visit(element, scope));
        case MAP ->
            expr.map()
                .entries()
                .forEach(entry -> {
                  visit(entry.key(), scope);
                  visit(entry.value(), scope);
                });
        case STRUCT -> expr.struct().entries().forEach(entry -> visit(entry.value(), scope));
        case COMPREHENSION -> {
          var loop = expr.comprehension();
          visit(loop.iterRange(), scope);
          visit(loop.accuInit(), scope);
          Map<String, Kind> inner = new HashMap<>(scope);
          boolean overDevices =
              chain(loop.iterRange(), scope).map(c -> c.kind() == Kind.DEVICES).orElse(false);
          inner.put(loop.iterVar(), overDevices ? Kind.DEVICE : Kind.HIDDEN);
          if (!loop.iterVar2().isEmpty()) {
            inner.put(loop.iterVar2(), Kind.HIDDEN);
          }
          inner.put(loop.accuVar(), Kind.HIDDEN);
          visit(loop.loopCondition(), inner);
          visit(loop.loopStep(), inner);
          visit(loop.result(), inner);
        }
        default -> {
          // IDENT (not a claims chain) and NOT_SET read no claim
        }
      }
    }

    private void record(Chain chain) {
      if (chain.path().isEmpty()) {
        return;
      }
      String path = String.join(".", chain.path());
      if (chain.kind() == Kind.CPU_CLAIMS) {
        cpu.add(path);
      } else if (chain.kind() == Kind.DEVICE_CLAIMS) {
        device.add(path);
      }
    }

    /** What {@code expr} denotes, when it is a claims chain, a device or the device list. */
    private static Optional<Chain> chain(CelExpr expr, Map<String, Kind> scope) {
      return switch (expr.getKind()) {
        case IDENT -> {
          String name = expr.ident().name();
          Kind bound = scope.get(name);
          if (bound != null) {
            yield bound == Kind.HIDDEN
                ? Optional.empty()
                : Optional.of(new Chain(bound, List.of()));
          }
          yield switch (name) {
            case "claims" -> Optional.of(new Chain(Kind.CPU_CLAIMS, List.of()));
            case "devices" -> Optional.of(new Chain(Kind.DEVICES, List.of()));
            default -> Optional.empty();
          };
        }
        case SELECT -> {
          Optional<Chain> operand = chain(expr.select().operand(), scope);
          String field = expr.select().field();
          if (operand.isEmpty()) {
            yield Optional.empty();
          }
          if (operand.get().claims()) {
            yield Optional.of(operand.get().append(field));
          }
          yield operand.get().kind() == Kind.DEVICE && field.equals("claims")
              ? Optional.of(new Chain(Kind.DEVICE_CLAIMS, List.of()))
              : Optional.empty();
        }
        case CALL -> {
          var call = expr.call();
          if (!call.function().equals("_[_]") || call.args().size() != 2) {
            yield Optional.empty();
          }
          Optional<Chain> operand = chain(call.args().get(0), scope);
          if (operand.isEmpty()) {
            yield Optional.empty();
          }
          CelExpr index = call.args().get(1);
          if (operand.get().claims()) {
            yield stringConstant(index).map(key -> operand.get().append(key));
          }
          boolean intIndex =
              index.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                  && (index.constant().getKind() == CelConstant.Kind.INT64_VALUE
                      || index.constant().getKind() == CelConstant.Kind.UINT64_VALUE);
          yield operand.get().kind() == Kind.DEVICES && intIndex
              ? Optional.of(new Chain(Kind.DEVICE, List.of()))
              : Optional.empty();
        }
        default -> Optional.empty();
      };
    }

    private static Optional<String> stringConstant(CelExpr expr) {
      return expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
              && expr.constant().getKind() == CelConstant.Kind.STRING_VALUE
          ? Optional.of(expr.constant().stringValue())
          : Optional.empty();
    }
  }
}
