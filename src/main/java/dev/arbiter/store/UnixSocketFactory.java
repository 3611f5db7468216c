// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * A socket factory that connects PgJDBC to a PostgreSQL Unix socket: {@code
 * jdbc:postgresql://localhost/postgres?socketFactory=dev.arbiter.store.UnixSocketFactory&socketFactoryArg=/dir/.s.PGSQL.5432}
 * (the argument URL-encoded). Host and port in the URL are ignored. JDK only (Unix-domain {@code
 * SocketChannel}s), no native library; see {@link UnixSocket} for which socket options apply.
 * Public because PgJDBC instantiates it by name.
 */
public final class UnixSocketFactory extends SocketFactory {
  private final Path socket;

  /**
   * @param socketFile the absolute path of the socket file (PgJDBC passes {@code socketFactoryArg})
   */
  public UnixSocketFactory(String socketFile) {
    if (socketFile == null || socketFile.isBlank() || !Path.of(socketFile).isAbsolute()) {
      throw new IllegalArgumentException(
          "socketFactoryArg must be the absolute path of the PostgreSQL socket file");
    }
    this.socket = Path.of(socketFile);
  }

  /** An unconnected socket; the driver connects it. */
  @Override
  public Socket createSocket() throws IOException {
    return new UnixSocket(socket);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected();
  }

  private Socket connected() throws IOException {
    UnixSocket unix = new UnixSocket(socket);
    unix.connect();
    return unix;
  }
}
