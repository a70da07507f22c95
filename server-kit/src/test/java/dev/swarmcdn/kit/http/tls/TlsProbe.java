package dev.swarmcdn.kit.http.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * For the TLS tests of every server: one fresh TLS handshake (no session resumed), and the
 * certificate the server presented in it, whatever signed it.
 */
public final class TlsProbe {

  private TlsProbe() {}

  /** The certificate presented to a new handshake with 127.0.0.1:{@code port}. */
  public static X509Certificate presented(int port) throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new Anything()}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 20_000);
      socket.setSoTimeout(20_000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** The serial of {@link #presented}, or null when no handshake completed. */
  public static BigInteger presentedSerial(int port) {
    try {
      return presented(port).getSerialNumber();
    } catch (IOException | GeneralSecurityException e) {
      return null;
    }
  }

  /** Looks at nothing: the probe reports what it was shown. */
  private static final class Anything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
