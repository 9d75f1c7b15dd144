package io.pathway.deploy.drill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The drills' webhook receiver: checks each request's signature as notification-service's README
 * tells receivers to, and records its {@code Idempotency-Key}. It can be stopped (connection refused)
 * and started again on the same port.
 */
final class WebhookReceiver {

  static final String PATH = "/hooks/oncall";

  /** One accepted request. */
  record Received(long atMillis, String idempotencyKey, boolean signatureValid) {}

  private final int port;
  private final String secret;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  WebhookReceiver(int port, String secret) {
    this.port = port;
    this.secret = secret;
  }

  synchronized void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
    server.createContext(PATH, this::handle);
    server.start();
  }

  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  String url() {
    return "http://127.0.0.1:" + port + PATH;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String timestamp = exchange.getRequestHeaders().getFirst("X-Pathway-Timestamp");
      String signature = exchange.getRequestHeaders().getFirst("X-Pathway-Signature");
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      boolean valid = verify(timestamp, signature, body);
      received.add(new Received(System.currentTimeMillis(), key, valid));
      exchange.sendResponseHeaders(valid ? 204 : 401, -1);
    }
  }

  private boolean verify(String timestamp, String signature, byte[] body) {
    if (timestamp == null || signature == null) {
      return false;
    }
    try {
      if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300) {
        return false;
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    } catch (Exception e) {
      return false;
    }
  }
}
