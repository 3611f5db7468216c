// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code arbiter admin certs list|revoke}: issued client certificates, through the server. */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "List and revoke client certificates (through the server).",
    subcommands = {CertsCommand.ListCerts.class, CertsCommand.Revoke.class})
final class CertsCommand {

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List the client certificates roles.json maps: name, role, serial, not-after, revoked"
              + " (operator, auditor).")
  static final class ListCerts implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode list = client.client().get("/v1/admin/certificates");
      PrintWriter out = spec.commandLine().getOut();
      Printer.print(
          out,
          client.json(),
          list,
          body -> {
            out.printf(
                "%-20s %-9s %-17s %-21s %s%n", "NAME", "ROLE", "SERIAL", "NOT AFTER", "REVOKED");
            for (JsonNode c : body.path("certificates")) {
              out.printf(
                  "%-20s %-9s %-17s %-21s %s%n",
                  c.path("name").asText(),
                  c.path("role").asText(),
                  c.path("serial").asText("-"),
                  c.path("not_after").asText("-"),
                  c.path("revoked").asBoolean()
                      ? "yes (" + c.path("revoked_at").asText() + ")"
                      : "no");
            }
          });
      return ExitCode.OK;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a client certificate on every replica at once (operator; audited as"
              + " certificate.revoke).")
  static final class Revoke implements Callable<Integer> {
    @Parameters(
        paramLabel = "CERTIFICATE",
        description = "The certificate's principal name, serial number or SHA-256 fingerprint.")
    String certificate;

    @Option(names = "--reason", required = true, description = "Why (recorded in the audit log).")
    String reason;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("certificate", certificate);
      body.put("reason", reason);
      JsonNode revoked = client.client().post("/v1/admin/certificates/revoke", body);
      PrintWriter out = spec.commandLine().getOut();
      Printer.print(
          out,
          client.json(),
          revoked,
          c ->
              out.println(
                  "revoked "
                      + c.path("role").asText()
                      + " certificate "
                      + c.path("name").asText()
                      + " (serial "
                      + c.path("serial").asText("-")
                      + ", sha256 "
                      + c.path("fingerprint").asText()
                      + ")"));
      return ExitCode.OK;
    }
  }
}
