package io.pathway.messaging.config;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Keys of the PostgreSQL advisory locks the module takes: one per purpose and schema, the same on every replica. */
public final class AdvisoryLocks {

  private static final long PREFIX = 0x7061_7468L << 32; // "path"

  private AdvisoryLocks() {}

  public static long key(String purpose, String schema) {
    CRC32 crc = new CRC32();
    crc.update((purpose + ":" + schema).getBytes(StandardCharsets.UTF_8));
    return PREFIX | crc.getValue();
  }
}
