package io.pathway.deploy.drill;

import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.NotificationFailed;
import io.pathway.model.events.ReferralIssued;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A drill's observation of the topics: reads everything the platform publishes, and the DLTs, with its own consumer
 * group, and keeps per topic the records, distinct events and types, per red-flag patient the emergency referrals
 * and critical alerts, and per DLT the records and their reasons.
 */
final class DrillObserver {

  private final String bootstrap;
  private final String group;
  private final EventCodec codec;
  private final DrillLog log;

  DrillObserver(String bootstrap, String group, EventCodec codec, DrillLog log) {
    this.bootstrap = bootstrap;
    this.group = group;
    this.codec = codec;
    this.log = log;
  }


  final class Topic {
    final String name;
    final AtomicLong records = new AtomicLong();
    final Set<String> ids = ConcurrentHashMap.newKeySet();
    final Map<String, Long> types = new ConcurrentHashMap<>();

    Topic(String name) {
      this.name = name;
    }
  }

  private final Map<String, Topic> topics = new ConcurrentHashMap<>();
  final Map<String, Set<String>> emergencyReferrals = new ConcurrentHashMap<>();
  final Map<String, Set<String>> criticalRedFlagAlerts = new ConcurrentHashMap<>();
  final Map<String, Long> firstEmergencyAt = new ConcurrentHashMap<>();
  final Set<String> escalationAlerts = ConcurrentHashMap.newKeySet();
  final Map<String, Integer> dltCounts = new ConcurrentHashMap<>();
  final Map<String, Integer> dltReasons = new ConcurrentHashMap<>();
  final AtomicLong dltWithoutReason = new AtomicLong();
  private volatile boolean running = true;
  private Thread thread;

  Topic topic(String name) {
    return topics.computeIfAbsent(name, Topic::new);
  }

  /** Referrals and alerts seen: notification-service must have taken each. */
  Set<String> outboundIds() {
    Set<String> all = new HashSet<>(topic(Topics.REFERRALS).ids);
    all.addAll(topic(Topics.ALERTS).ids);
    return all;
  }

  void start() {
    thread = new Thread(this::loop, "drill-observer");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    running = false;
    if (thread != null) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2000,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(Pattern.compile("pathway\\.(referrals|alerts|status|orders)|notification\\.deliveries|.*\\.DLT"));
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          take(r);
        }
      }
    } catch (Exception e) {
      log.say("observer stopped: %s", e);
    }
  }

  private void take(ConsumerRecord<String, byte[]> r) {
    long now = System.currentTimeMillis();
    if (r.topic().endsWith(Topics.DLT_SUFFIX)) {
      dltCounts.merge(r.topic(), 1, Integer::sum);
      Header reason = r.headers().lastHeader(DeadLetterHeaders.REASON);
      if (reason == null) {
        dltWithoutReason.incrementAndGet();
      } else {
        dltReasons.merge(new String(reason.value(), StandardCharsets.UTF_8), 1, Integer::sum);
      }
      return;
    }
    Topic t = topic(r.topic());
    t.records.incrementAndGet();
    EventEnvelope e;
    try {
      e = codec.decode(r);
    } catch (Exception ex) {
      t.types.merge("undecodable", 1L, Long::sum);
      return;
    }
    t.ids.add(e.id());
    t.types.merge(e.data().getClass().getName(), 1L, Long::sum);
    if (e.data() instanceof ReferralIssued ri && ri.urgency() == Urgency.EMERGENCY) {
      emergencyReferrals.computeIfAbsent(ri.patientRef(), k -> ConcurrentHashMap.newKeySet()).add(e.id());
      firstEmergencyAt.putIfAbsent(ri.patientRef(), now);
    } else if (e.data() instanceof AlertRaised a && a.severity() == Severity.CRITICAL && a.type() == AlertType.RED_FLAG) {
      criticalRedFlagAlerts.computeIfAbsent(a.patientRef(), k -> ConcurrentHashMap.newKeySet()).add(e.id());
    } else if (e.data() instanceof AlertRaised a && a.type() == AlertType.ESCALATION) {
      escalationAlerts.add(e.id());
    } else if (e.data() instanceof NotificationFailed) {
      // counted by type
    }
  }
}
