package io.pathway.service.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.messaging.inbox.ProcessedEvents;
import io.pathway.service.engine.RedFlagsInFlight;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Red flags ahead of a backlog. A partition's records are applied in order, so after a restart, an outage of the
 * database or a burst, a red-flag report waits behind every record queued before it on its partition: minutes,
 * after a long outage. {@link InboundDispatcher} already lets a red flag pass other patients' records within one
 * poll; the scout does the same across the whole backlog.
 *
 * <p>It reads the hospital topics' partitions that this replica's listeners hold, from their group's committed
 * offset on, with a consumer of its own that never commits. It looks at each record's key and headers only. A
 * red-flag report ({@code ce_type} header) is applied in a transaction of its own, when no record before it in that
 * backlog has the same key or no key (whose patient shows only in its payload), unless that record was already
 * applied. It first leaves the listener {@code pathway.inbound.red-flag-scout.grace} (default 100 ms) from the moment
 * the scout read it: without a backlog the listener has it by then, and the scout only checks that it did. Without
 * that grace the two raced for every red flag, and the listener's claim waited on the scout's transaction, holding up
 * the other partitions of its thread (in 40% of the samples of a benchmark with red flags only, 2026-12-07). A red flag
 * with only red flags ahead of it (a burst of them) waits {@code grace-among-red-flags} (default 1 s): the listener
 * applies those one transaction each, as the scout would, and the two working on the same records from the front
 * only wait for each other's claims; the scout is there for a red flag stuck behind routine work or behind a
 * transaction that does not end. One patient's records keep their order, as they do in the listener. A red flag that a listener
 * is applying at that moment is left to it at once: the scout does not wait for that transaction (it would do the
 * same work), but goes on to the red flags of the other partitions. A red flag that fails
 * here is left in place: the listener meets it in order, with its retries and dead-lettering. When the listener
 * reaches a red flag applied here, its claim makes the second delivery change nothing.
 *
 * <p>It reads at most {@code pathway.inbound.red-flag-scout.max-ahead} records ahead of the committed offset per
 * partition, then waits for the listener. {@code pathway.inbound.red-flag-scout.enabled=false} turns it off.
 */
@Component
class RedFlagScout implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RedFlagScout.class);

  /** The hospital topics' listeners (InboundListeners), whose partitions the scout reads ahead. */
  static final List<String> LISTENERS = List.of("pathway-enrolments", "diagnostic-results", "clinical-observations",
      "treatment-outcomes");

  private static final Duration COMMITTED_EVERY = Duration.ofMillis(500);

  private final ConsumerFactory<Object, Object> consumers;
  private final KafkaListenerEndpointRegistry listeners;
  private final InboundDispatcher dispatcher;
  private final RedFlagsInFlight inFlight;
  private final ProcessedEvents processed;
  private final MeterRegistry meters;
  private final boolean enabled;
  private final int maxAhead;
  private final long graceNanos;
  private final long graceAmongRedFlagsNanos;
  private final String groupId;
  /** Red flags read and waiting out their grace, the first due first. */
  private final PriorityQueue<Candidate> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.due() - b.due(), 0));
  private volatile boolean running;
  private volatile Consumer<String, byte[]> consumer;
  private Thread thread;

  RedFlagScout(ConsumerFactory<Object, Object> consumers, KafkaListenerEndpointRegistry listeners, InboundDispatcher dispatcher,
      RedFlagsInFlight inFlight, ProcessedEvents processed, MeterRegistry meters,
      @Value("${pathway.inbound.red-flag-scout.enabled:true}") boolean enabled,
      @Value("${pathway.inbound.red-flag-scout.max-ahead:50000}") int maxAhead,
      @Value("${pathway.inbound.red-flag-scout.grace:PT0.1S}") Duration grace,
      @Value("${pathway.inbound.red-flag-scout.grace-among-red-flags:PT1S}") Duration graceAmongRedFlags,
      @Value("${spring.kafka.consumer.group-id}") String groupId) {
    this.consumers = consumers;
    this.listeners = listeners;
    this.dispatcher = dispatcher;
    this.inFlight = inFlight;
    this.processed = processed;
    this.meters = meters;
    this.enabled = enabled;
    this.maxAhead = Math.max(1, maxAhead);
    if (grace.isNegative() || grace.compareTo(Duration.ofSeconds(5)) > 0) {
      throw new IllegalStateException("pathway.inbound.red-flag-scout.grace must lie between 0 and 5 s, not " + grace);
    }
    this.graceNanos = grace.toNanos();
    if (graceAmongRedFlags.compareTo(grace) < 0 || graceAmongRedFlags.compareTo(Duration.ofSeconds(30)) > 0) {
      throw new IllegalStateException("pathway.inbound.red-flag-scout.grace-among-red-flags must lie between the grace ("
          + grace + ") and 30 s, not " + graceAmongRedFlags);
    }
    this.graceAmongRedFlagsNanos = graceAmongRedFlags.toNanos();
    this.groupId = groupId;
  }

  @Override
  public void start() {
    if (!enabled || running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "red-flag-scout");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    synchronized (this) {
      notifyAll(); // out of a pause between rounds
    }
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @SuppressWarnings("unchecked")
  private void run() {
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    Map<TopicPartition, Window> windows = new HashMap<>();
    try {
      while (running) {
        try (Consumer<String, byte[]> c = (Consumer<String, byte[]>) (Consumer<?, ?>) consumers.createConsumer(groupId,
            "pathway-red-flag-scout", null, overrides)) {
          consumer = c;
          windows.clear();
          waiting.clear();
          scoutUntilStopped(c, windows);
        } catch (WakeupException stopping) {
          // stop() woke the consumer
        } catch (RuntimeException e) {
          if (running) {
            log.warn("Red-flag scout stopped by an error; it starts again in a second ({})", e.toString());
            pause(1000);
          }
        } finally {
          consumer = null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void scoutUntilStopped(Consumer<String, byte[]> c, Map<TopicPartition, Window> windows) throws InterruptedException {
    long nextCommitted = System.nanoTime();
    while (running) {
      Set<TopicPartition> held = held();
      if (!held.equals(windows.keySet())) {
        windows.keySet().retainAll(held);
        held.forEach(tp -> windows.computeIfAbsent(tp, k -> new Window()));
        c.assign(held);
        nextCommitted = System.nanoTime(); // new partitions: read their committed offsets now
      }
      if (held.isEmpty()) {
        pause(500); // nothing assigned to this replica's listeners yet
        continue;
      }
      if (System.nanoTime() - nextCommitted >= 0) {
        followTheListeners(c, windows);
        nextCommitted = System.nanoTime() + COMMITTED_EVERY.toNanos();
      }
      scout(c.poll(nextPoll()), windows, c);
      applyDue(windows);
    }
  }

  /** How long the next poll may wait: 200 ms, or until the oldest waiting red flag's grace is over. */
  private Duration nextPoll() {
    Candidate first = waiting.peek();
    if (first == null) {
      return Duration.ofMillis(200);
    }
    long left = first.due() - System.nanoTime();
    return Duration.ofNanos(Math.max(0, Math.min(left, Duration.ofMillis(200).toNanos())));
  }

  /**
   * The red flags whose grace is over: each that its listener has neither applied nor begun in the meantime, and
   * that is still ahead of the listeners' committed offset, is applied now.
   */
  private void applyDue(Map<TopicPartition, Window> windows) {
    long now = System.nanoTime();
    while (!waiting.isEmpty() && waiting.peek().due() - now <= 0) {
      Candidate next = waiting.poll();
      Window w = windows.get(next.partition());
      ConsumerRecord<String, byte[]> record = next.record();
      if (w == null || !w.holds(record.offset())) {
        continue; // the partition went to another replica, or its listener committed past the record
      }
      String source = header(record, "ce_source");
      String id = header(record, "ce_id");
      if (source != null && id != null && processed.claimed(source, id)) {
        continue; // its listener applied it within the grace: the common case when there is no backlog
      }
      applyAhead(next.partition().topic(), record);
    }
  }

  /** Waits, at most {@code millis}, or until stop(). */
  private synchronized void pause(long millis) throws InterruptedException {
    if (running) {
      wait(millis);
    }
  }

  /** The partitions the hospital topics' listeners hold in this replica now. */
  private Set<TopicPartition> held() {
    Set<TopicPartition> held = new HashSet<>();
    for (String id : LISTENERS) {
      MessageListenerContainer container = listeners.getListenerContainer(id);
      if (container == null || !container.isRunning()) {
        continue;
      }
      try {
        Collection<TopicPartition> assigned = container.getAssignedPartitions();
        if (assigned != null) {
          held.addAll(List.copyOf(assigned));
        }
      } catch (RuntimeException rebalancing) {
        // read while a rebalance changes it: the next round reads it again
      }
    }
    return held;
  }

  /** Moves each window to the listeners' committed offset: what is before it is theirs and done. */
  private void followTheListeners(Consumer<String, byte[]> c, Map<TopicPartition, Window> windows) {
    Map<TopicPartition, OffsetAndMetadata> committed = c.committed(windows.keySet(), Duration.ofSeconds(5));
    Map<TopicPartition, Long> beginnings = null;
    for (Map.Entry<TopicPartition, Window> e : windows.entrySet()) {
      TopicPartition tp = e.getKey();
      Window w = e.getValue();
      OffsetAndMetadata at = committed.get(tp);
      long offset;
      if (at != null) {
        offset = at.offset();
      } else { // nothing committed yet: the listener starts from the beginning (auto-offset-reset earliest)
        if (beginnings == null) {
          beginnings = c.beginningOffsets(windows.keySet(), Duration.ofSeconds(5));
        }
        offset = beginnings.getOrDefault(tp, 0L);
      }
      if (w.follow(offset)) {
        c.seek(tp, offset);
      }
      if (w.full(maxAhead)) {
        c.pause(Set.of(tp));
      } else {
        c.resume(Set.of(tp));
      }
    }
  }

  private void scout(ConsumerRecords<String, byte[]> records, Map<TopicPartition, Window> windows, Consumer<String, byte[]> c) {
    for (TopicPartition tp : records.partitions()) {
      Window w = windows.get(tp);
      if (w == null) {
        continue;
      }
      for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
        if (!w.reading(record.offset())) {
          continue; // fetched before the window moved
        }
        String source = header(record, "ce_source");
        String id = header(record, "ce_id");
        if (record.key() != null && InboundDispatcher.redFlagHeader(record) && !(source != null && id != null
            && processed.claimed(source, id)) && w.mayPass(record.key(), processed::claimed)) {
          // not yet applied by the listener, and nothing of its patient before it: the listener has its grace first
          long grace = w.routineBefore() ? graceNanos : graceAmongRedFlagsNanos;
          waiting.add(new Candidate(tp, record, System.nanoTime() + grace));
        }
        w.add(record.offset(), record.key(), source, id, InboundDispatcher.redFlagHeader(record));
      }
      if (w.full(maxAhead)) {
        c.pause(Set.of(tp)); // far enough ahead: wait for the listener
      }
    }
  }

  private void applyAhead(String topic, ConsumerRecord<String, byte[]> record) {
    inFlight.begin();
    try {
      dispatcher.receiveAhead(topic, record);
      Counter.builder("pathway_red_flags_ahead_total").description("Red-flag reports applied ahead of a backlog by the scout")
          .tag("topic", topic).register(meters).increment();
      log.info("Red flag at offset {} of {}-{} applied ahead of the records before it", record.offset(), topic, record.partition());
    } catch (InboundDispatcher.ClaimInFlightException listenerHasIt) {
      // its listener is applying it now: the scout goes on to the next red flag instead of waiting for that transaction
      Counter.builder("pathway_red_flags_ahead_in_flight_total")
          .description("Red-flag reports the scout left to their listener, which was applying them already")
          .tag("topic", topic).register(meters).increment();
    } catch (RuntimeException e) {
      log.debug("Red flag at offset {} of {}-{} not applied ahead ({}); the listener applies it in its place", record.offset(),
          topic, record.partition(), e.getClass().getSimpleName());
    } finally {
      inFlight.end();
    }
  }

  /** A red flag the scout may apply ahead once {@code due} ({@link System#nanoTime()}) has passed. */
  private record Candidate(TopicPartition partition, ConsumerRecord<String, byte[]> record, long due) {
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * One partition's records from the listeners' committed offset to the scout's position: their offsets, keys and
   * CloudEvents ids (null for a structured record, which shows its id only in its payload).
   */
  static final class Window {

    record Seen(long offset, String key, String source, String id, boolean redFlag) {
    }

    private final ArrayDeque<Seen> seen = new ArrayDeque<>();
    private int routine;
    private long start = -1;
    private long position = -1;

    /**
     * The listeners committed {@code committed}: records before it are done. True when the scout must read from
     * there (a new window, or the listener got ahead of the scout).
     */
    boolean follow(long committed) {
      if (start < 0 || committed > position) {
        seen.clear();
        routine = 0;
        start = committed;
        position = committed;
        return true;
      }
      if (committed > start) {
        start = committed;
        while (!seen.isEmpty() && seen.peekFirst().offset() < committed) {
          if (!seen.pollFirst().redFlag()) {
            routine--;
          }
        }
      }
      return false;
    }

    /** Whether a record at {@code offset} is one this window has read and the listeners have not committed past. */
    boolean holds(long offset) {
      return start >= 0 && offset >= start && offset < position;
    }

    /** Whether a record at {@code offset} is the next one of this window (not one fetched before a seek). */
    boolean reading(long offset) {
      return start >= 0 && offset >= position;
    }

    void add(long offset, String key, String source, String id, boolean redFlag) {
      seen.addLast(new Seen(offset, key, source, id, redFlag));
      if (!redFlag) {
        routine++;
      }
      position = offset + 1;
    }

    /**
     * Whether a routine record (not a red-flag report) lies in this window, between the listeners' committed offset
     * and the scout's position: a red flag read now waits behind routine work. Otherwise only red flags are ahead
     * of it, which the listener applies one transaction each, as the scout would.
     */
    boolean routineBefore() {
      return routine > 0;
    }

    boolean full(int maxAhead) {
      return seen.size() >= maxAhead;
    }

    /**
     * Whether a red flag keyed {@code key} may be applied before the records of this window: none of them has its
     * key or no key, unless it was already applied ({@code claimed}, by source and id).
     */
    boolean mayPass(String key, BiPredicate<String, String> claimed) {
      for (Seen s : seen) {
        if (s.key() != null && !s.key().equals(key)) {
          continue; // another patient's record
        }
        if (s.source() == null || s.id() == null || !claimed.test(s.source(), s.id())) {
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE; // starts after the listeners, stops before them
  }
}
