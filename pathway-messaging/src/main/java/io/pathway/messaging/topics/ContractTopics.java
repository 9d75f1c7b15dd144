package io.pathway.messaging.topics;

import io.pathway.messaging.config.MessagingProperties;
import io.pathway.model.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics a service declares at start, from the contract's {@link Topics}: each topic the service
 * lists in {@code pathway.messaging.topics.declare}, and its {@code .DLT} when the contract gives it
 * one ({@link Topics#withDeadLetter()}), with the DLT's partitions equal to its source's.
 */
public final class ContractTopics {

  private ContractTopics() {}

  public static KafkaAdmin.NewTopics of(MessagingProperties.TopicSettings settings) {
    return new KafkaAdmin.NewTopics(list(settings).toArray(NewTopic[]::new));
  }

  /** The topics, in the order listed, each followed by its DLT. */
  public static List<NewTopic> list(MessagingProperties.TopicSettings settings) {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : settings.declare()) {
      topics.add(topic(name, settings));
      if (Topics.withDeadLetter().contains(name)) {
        topics.add(topic(Topics.dlt(name), settings));
      }
    }
    return topics;
  }

  private static NewTopic topic(String name, MessagingProperties.TopicSettings settings) {
    return TopicBuilder.name(name).partitions(settings.partitions()).replicas(settings.replication()).build();
  }
}
