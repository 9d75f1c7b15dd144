package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a red flag may pass in a partition's backlog: other patients' records, and its own patient's once applied. */
class RedFlagScoutWindowTest {

  private final Set<String> claimed = new HashSet<>();

  private boolean claimed(String source, String id) {
    return claimed.contains(source + "/" + id);
  }

  @Test
  void shouldLetARedFlagPassOtherPatientsRecordsOnly() {
    RedFlagScout.Window w = new RedFlagScout.Window();
    assertThat(w.follow(100)).as("a new window reads from the committed offset").isTrue();
    w.add(100, "PT-A", "urn:s", "1");
    w.add(101, "PT-B", "urn:s", "2");

    assertThat(w.mayPass("PT-C", this::claimed)).isTrue();
    assertThat(w.mayPass("PT-B", this::claimed)).as("its own patient's record, not applied yet").isFalse();

    claimed.add("urn:s/2");
    assertThat(w.mayPass("PT-B", this::claimed)).as("its own patient's record, applied").isTrue();
  }

  @Test
  void shouldNeverLetARedFlagPassARecordWithoutAKeyOrWithoutAnIdUntilItIsDone() {
    RedFlagScout.Window w = new RedFlagScout.Window();
    w.follow(0);
    w.add(0, null, "urn:s", "1");
    assertThat(w.mayPass("PT-C", this::claimed)).as("unkeyed: its patient shows only in its payload").isFalse();
    claimed.add("urn:s/1");
    assertThat(w.mayPass("PT-C", this::claimed)).isTrue();

    w.add(1, "PT-C", null, null);
    assertThat(w.mayPass("PT-C", this::claimed)).as("a structured record of its patient: its claim cannot be looked up").isFalse();
    assertThat(w.follow(2)).as("the listener committed past it: nothing to read again").isFalse();
    assertThat(w.mayPass("PT-C", this::claimed)).isTrue();
  }

  @Test
  void shouldReadAgainFromTheCommittedOffsetWhenTheListenerGotAhead() {
    RedFlagScout.Window w = new RedFlagScout.Window();
    w.follow(10);
    w.add(10, "PT-A", "urn:s", "1");
    assertThat(w.reading(11)).isTrue();
    assertThat(w.reading(10)).as("already read").isFalse();

    assertThat(w.follow(50)).as("the listener is past the scout").isTrue();
    assertThat(w.reading(11)).as("fetched before the seek").isFalse();
    assertThat(w.reading(50)).isTrue();
    assertThat(w.mayPass("PT-A", this::claimed)).as("what it had read is the listener's now").isTrue();
  }

  @Test
  void shouldCountItselfFullAtTheLimit() {
    RedFlagScout.Window w = new RedFlagScout.Window();
    w.follow(0);
    w.add(0, "PT-A", "urn:s", "1");
    assertThat(w.full(2)).isFalse();
    w.add(1, "PT-A", "urn:s", "2");
    assertThat(w.full(2)).isTrue();
    w.follow(1);
    assertThat(w.full(2)).as("the committed offset moved on").isFalse();
  }
}
