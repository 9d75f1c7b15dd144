package io.pathway.model.envelope;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds consumed records by hand, header by header, the way a hospital producer without the SDK would. */
final class RecordBuilder {

  private final RecordHeaders headers = new RecordHeaders();
  private byte[] value;

  static RecordBuilder binary(String type, String json) {
    return new RecordBuilder()
        .header("ce_specversion", "1.0")
        .header("ce_id", "8c1f0c7e-2f4b-4a55-9a1e-0d5b8a3c9e11")
        .header("ce_source", "urn:hospital:ehr-test")
        .header("ce_type", type)
        .header("ce_time", "2026-11-24T22:40:00Z")
        .header("content-type", "application/json")
        .value(json);
  }

  static RecordBuilder structured(String json) {
    return new RecordBuilder().header("content-type", "application/cloudevents+json; charset=UTF-8").value(json);
  }

  RecordBuilder header(String key, String headerValue) {
    headers.remove(key);
    headers.add(key, headerValue.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  RecordBuilder without(String key) {
    headers.remove(key);
    return this;
  }

  RecordBuilder value(String json) {
    this.value = json.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  RecordBuilder value(byte[] bytes) {
    this.value = bytes;
    return this;
  }

  Headers headers() {
    return headers;
  }

  byte[] value() {
    return value;
  }

  ConsumerRecord<String, byte[]> on(String topic) {
    ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic, 0, 0L, "PSN-test", value);
    headers.forEach(h -> record.headers().add(h));
    return record;
  }
}
