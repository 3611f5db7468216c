// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Unix socket adapter PgJDBC uses: data both ways, read timeouts, close from another thread.
 */
class UnixSocketTest {
  @Test
  void socket_echoesBytes_timesOutReads_andCloseWakesABlockedReader(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("s");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(file));
      Socket socket = new UnixSocketFactory(file.toString()).createSocket();
      assertThat(socket.isConnected()).isFalse();
      socket.connect(null, 1000);
      try (SocketChannel peer = server.accept()) {
        assertThat(socket.isConnected()).isTrue();
        socket.setTcpNoDelay(true); // a no-op, remembered
        assertThat(socket.getTcpNoDelay()).isTrue();
        socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer received = ByteBuffer.allocate(4);
        while (received.hasRemaining()) {
          peer.read(received);
        }
        assertThat(new String(received.array(), StandardCharsets.US_ASCII)).isEqualTo("ping");
        peer.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
        InputStream in = socket.getInputStream();
        assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("pong");

        socket.setSoTimeout(100);
        long start = System.nanoTime();
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(90_000_000L);

        socket.setSoTimeout(0);
        CompletableFuture<Object> blocked =
            CompletableFuture.supplyAsync(() -> {
              try {
                return in.read();
              } catch (Exception e) {
                return e;
              }
            });
        assertThat(blocked).isNotDone();
        socket.close();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
        assertThat(socket.isClosed()).isTrue();
      }
    }
  }

  @Test
  void connect_noServer_fails(@TempDir Path dir) {
    UnixSocketFactory factory = new UnixSocketFactory(dir.resolve("none").toString());
    assertThatThrownBy(() -> factory.createSocket("localhost", 5432))
        .isInstanceOf(java.io.IOException.class);
    assertThatThrownBy(() -> new UnixSocketFactory("relative/path"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
