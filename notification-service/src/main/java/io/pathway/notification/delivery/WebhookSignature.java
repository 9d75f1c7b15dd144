package io.pathway.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: HMAC-SHA256 with the endpoint's secret over {@code <timestamp>.<body>},
 * sent as {@code X-Pathway-Signature: sha256=<lower-case hex>} beside {@code X-Pathway-Timestamp}
 * (Unix seconds). Receivers recompute it over the raw body and compare in constant time.
 */
public final class WebhookSignature {

  public static final String HEADER_TIMESTAMP = "X-Pathway-Timestamp";
  public static final String HEADER_SIGNATURE = "X-Pathway-Signature";
  public static final String PREFIX = "sha256=";

  private WebhookSignature() {}

  /** {@code sha256=<hex>} of {@code timestamp + "." + body}. */
  public static String sign(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The receiver's check: the signature matches (constant time) and the timestamp is within {@code toleranceSeconds} of now. */
  public static boolean verify(String secret, String timestampHeader, String signatureHeader, byte[] body, long nowSeconds,
      long toleranceSeconds) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
      return false;
    }
    byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signatureHeader.getBytes(StandardCharsets.US_ASCII));
  }
}
