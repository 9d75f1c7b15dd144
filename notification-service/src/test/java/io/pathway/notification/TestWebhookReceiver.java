package io.pathway.notification;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver (the JDK's server) that checks signatures the way the README tells receivers
 * to: HMAC-SHA256 over {@code <timestamp>.<raw body>}, constant-time comparison, timestamp within
 * five minutes. It can be told to answer 503, to play an endpoint that is down, or to hold requests
 * unanswered until released, to play a slow one.
 */
public final class TestWebhookReceiver {

  public static final String PATH = "/hooks/oncall";
  public static final String SECRET = "test-webhook-secret-0123456789";

  /** One request as received. */
  public record Received(String timestamp, String signature, String idempotencyKey, String body, boolean signatureValid) {}

  private static final List<Received> received = new CopyOnWriteArrayList<>();
  private static final List<String> refusedKeys = new CopyOnWriteArrayList<>();
  private static volatile boolean down;
  private static volatile CountDownLatch hold;
  private static final AtomicInteger heldNow = new AtomicInteger();
  private static final HttpServer server = start();

  private TestWebhookReceiver() {}

  public static String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  public static List<Received> received() {
    return List.copyOf(received);
  }

  /** The {@code Idempotency-Key} of every request answered 503 while the receiver played "down". */
  public static List<String> refusedKeys() {
    return List.copyOf(refusedKeys);
  }

  public static void down(boolean isDown) {
    down = isDown;
  }

  /** From now on, requests wait unanswered (for at most 20 s) until {@link #release()}. */
  public static void hold() {
    hold = new CountDownLatch(1);
  }

  /** Answers the held requests and stops holding. */
  public static void release() {
    CountDownLatch h = hold;
    hold = null;
    if (h != null) {
      h.countDown();
    }
  }

  /** Requests waiting unanswered right now. */
  public static int held() {
    return heldNow.get();
  }

  private static HttpServer start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.createContext(PATH, TestWebhookReceiver::handle);
      s.setExecutor(Executors.newCachedThreadPool()); // a held request does not hold up the others
      s.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      CountDownLatch h = hold;
      if (h != null) {
        heldNow.incrementAndGet();
        try {
          h.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          heldNow.decrementAndGet();
        }
      }
      String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (down) {
        refusedKeys.add(String.valueOf(idempotencyKey));
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      String timestamp = exchange.getRequestHeaders().getFirst("X-Pathway-Timestamp");
      String signature = exchange.getRequestHeaders().getFirst("X-Pathway-Signature");
      boolean valid = verify(timestamp, signature, body);
      received.add(new Received(timestamp, signature, idempotencyKey, new String(body, StandardCharsets.UTF_8), valid));
      exchange.sendResponseHeaders(valid ? 204 : 401, -1);
    }
  }

  /** The receiver's check, as documented in the README. */
  static boolean verify(String timestamp, String signature, byte[] body) {
    if (timestamp == null || signature == null) {
      return false;
    }
    long sent;
    try {
      sent = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    // Within five minutes of the receiver's clock, here the tests' clock, which tests move forward.
    if (Math.abs(TestClock.INSTANCE.instant().getEpochSecond() - sent) > 300) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + new String(body, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8)))).getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      return false;
    }
  }
}
