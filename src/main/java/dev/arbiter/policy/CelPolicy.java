// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled boolean CEL expression over declared variables (appraisal policies over claims,
 * release policies over EAR claims, supply-chain policies over provenance). Compiled once at
 * submission, where a compile error is returned with the compiler's message; evaluation is
 * side-effect free and thread-safe. An evaluation error counts as "deny".
 */
public final class CelPolicy {
  /**
   * Variables of an appraisal policy: {@code claims}, {@code format}, {@code workload}, {@code
   * version}, and {@code devices} (one {@code {format, claims}} map per attested device, e.g.
   * GPUs).
   */
  public static final Map<String, CelType> APPRAISAL_VARIABLES = appraisalVariables();

  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final String source;
  private final CelAbstractSyntaxTree ast;
  private final CelRuntime.Program program;

  private CelPolicy(String source, CelAbstractSyntaxTree ast, CelRuntime.Program program) {
    this.source = source;
    this.ast = ast;
    this.program = program;
  }

  private static Map<String, CelType> appraisalVariables() {
    Map<String, CelType> vars = new LinkedHashMap<>();
    vars.put("claims", MapType.create(SimpleType.STRING, SimpleType.DYN));
    vars.put("format", SimpleType.STRING);
    vars.put("workload", SimpleType.STRING);
    vars.put("version", SimpleType.STRING);
    vars.put(
        "devices",
        dev.cel.common.types.ListType.create(MapType.create(SimpleType.STRING, SimpleType.DYN)));
    return Map.copyOf(vars);
  }

  /** A {@code map(string, dyn)} variable type, for callers declaring their own variables. */
  public static CelType dynMap() {
    return MapType.create(SimpleType.STRING, SimpleType.DYN);
  }

  /**
   * Compiles {@code expression}, which must yield a bool.
   *
   * @return the policy, or empty with {@code error} holding the compiler's message
   */
  public static Compiled compile(String expression, Map<String, CelType> variables) {
    if (expression == null || expression.isBlank()) {
      return new Compiled(Optional.empty(), "expression is empty");
    }
    if (expression.length() > 16 * 1024) {
      return new Compiled(Optional.empty(), "expression is longer than 16384 characters");
    }
    var builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
            .setResultType(SimpleType.BOOL);
    variables.forEach(builder::addVar);
    CelCompiler compiler = builder.build();
    try {
      CelValidationResult result = compiler.compile(expression);
      if (result.hasError()) {
        return new Compiled(Optional.empty(), oneLine(result.getIssueString()));
      }
      CelAbstractSyntaxTree ast = result.getAst();
      return new Compiled(
          Optional.of(new CelPolicy(expression, ast, RUNTIME.createProgram(ast))), null);
    } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
      return new Compiled(Optional.empty(), oneLine(e.getMessage()));
    }
  }

  /** Outcome of {@link #compile}: a policy or the compiler's message. */
  public record Compiled(Optional<CelPolicy> policy, String error) {}

  /** Evaluates; true only when the expression yields {@code true} without error. */
  public Decision evaluate(Map<String, ?> variables) {
    try {
      Object value = program.eval(variables);
      return value instanceof Boolean allowed && allowed ? Decision.ALLOW : Decision.DENY;
    } catch (CelEvaluationException | RuntimeException e) {
      return Decision.ERROR;
    }
  }

  /** Result of an evaluation. An error denies. */
  public enum Decision {
    ALLOW,
    DENY,
    ERROR
  }

  public String source() {
    return source;
  }

  /** The checked syntax tree (read by {@link ClaimReferences}). */
  CelAbstractSyntaxTree ast() {
    return ast;
  }

  private static String oneLine(String message) {
    return message == null ? "invalid expression" : message.replaceAll("\\s+", " ").strip();
  }
}
