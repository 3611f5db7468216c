// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.auth.DataDir;
import dev.arbiter.auth.LocalCa;
import dev.arbiter.crypto.TlsContexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SpinningOpenLoopTest {
  private static final String PROBLEM =
      "{\"type\":\"urn:arbiter:problem:overloaded\",\"title\":\"Overloaded\",\"status\":503}";

  @Test
  @Timeout(30)
  void sendsEveryRequestWhenDueAndReadsEachAnswerOverTls(@TempDir Path root) throws Exception {
    DataDir dir = new DataDir(root);
    LocalCa ca = LocalCa.loadOrCreate(dir, Clock.systemUTC());
    ca.ensureServerCertificate(List.of());
    SSLContext server =
        TlsContexts.create(dir.serverCertificate(), dir.serverKey(), dir.caCertificate());
    SSLContext client = TlsContexts.create(null, null, dir.caCertificate());
    try (SSLServerSocket listener =
        (SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      List<Thread> handlers = new ArrayList<>();
      Thread acceptor =
          Thread.ofPlatform()
              .start(() -> {
                try {
                  for (int i = 0; i < 2; i++) {
                    SSLSocket socket = (SSLSocket) listener.accept();
                    handlers.add(Thread.ofPlatform().start(() -> answer(socket)));
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      URI uri = URI.create("https://127.0.0.1:" + listener.getLocalPort());
      int count = 40;
      byte[][] requests = new byte[count][];
      for (int i = 0; i < count; i++) {
        // every tenth request asks to be refused; bodies of a few KiB, like an attestation's
        String body = (i % 10 == 9 ? "refuse:" : "ok:") + "x".repeat(3000 + i);
        requests[i] =
            ("POST /v1/attest HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body)
                .getBytes(StandardCharsets.US_ASCII);
      }
      AttestLoadGenerator.Tally tally = new AttestLoadGenerator.Tally(count);
      long refusedBefore = refusals();
      long start = System.nanoTime() + 20_000_000L;
      try (SpinningOpenLoop loop = new SpinningOpenLoop(client, uri, 2)) {
        acceptor.join();
        loop.send(start, 2_000, requests, tally);
      }
      for (Thread handler : handlers) {
        handler.join();
      }
      for (int i = 0; i < count; i++) {
        assertThat(tally.statuses()[i]).as("request %d", i).isEqualTo(i % 10 == 9 ? 503 : 200);
        assertThat(tally.latencies()[i]).as("request %d", i).isPositive();
        assertThat(tally.lateness()[i]).as("request %d", i).isNotNegative();
      }
      assertThat(tally.lastEnd().get()).isGreaterThanOrEqualTo(start + (count - 1) * 500_000L);
      assertThat(refusals() - refusedBefore).isEqualTo(4);
    }
  }

  private static long refusals() {
    var adder = AttestLoadGenerator.Connection.PROBLEMS.get("503 urn:arbiter:problem:overloaded");
    return adder == null ? 0 : adder.sum();
  }

  /**
   * Answers each request on the connection until the client closes it: the head and the body in two
   * writes (two TLS records), so the loop must put an answer together across reads.
   */
  private static void answer(SSLSocket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = head(in);
        if (head == null) {
          return;
        }
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
        boolean refuse = body.startsWith("refuse:");
        byte[] answer =
            (refuse ? PROBLEM : "{\"ear\":\"" + "e".repeat(1500) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
        out.write(
            ((refuse ? "HTTP/1.1 503 Service Unavailable" : "HTTP/1.1 200 OK")
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + answer.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        out.write(answer);
        out.flush();
      }
    } catch (IOException e) {
      // the client closed the connection
    }
  }

  /** The request head up to its blank line, or null at the end of the stream. */
  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      head.write(c);
      byte[] seen = head.toByteArray();
      int n = seen.length;
      if (n >= 4
          && seen[n - 4] == '\r'
          && seen[n - 3] == '\n'
          && seen[n - 2] == '\r'
          && seen[n - 1] == '\n') {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
    return null;
  }
}
