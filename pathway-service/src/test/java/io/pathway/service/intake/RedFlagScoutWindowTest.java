package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a red flag may pass in a partition's backlog: other patients' records, and its own patient's once applied; and
 * whether routine work lies ahead of it (then the scout's short grace applies).
 */
class RedFlagScoutWindowTest {

  private final Set<String> claimed = new HashSet<>();

  private boolean claimed(String source, String id) {
    return claimed.contains(source + "/" + id);
  }

  @Test
  void shouldLetARedFlagPassOtherPatientsRecordsOnly() {
    RedFlagScout.Window w = new RedFlagScout.Window();
    assertThat(w.follow(100)).as("a new window reads from the committed offset").isTrue();
    w.add(100, "PT-A", "urn:s", "1", false);
    w.add(101, "PT-B", "urn:s", "2", false);

    assertThat(w.mayPass("PT-C", this::claimed)).isTrue();
    assertThat(w.mayPass("PT-B", this::claimed)).as("its own patient's record, not applied yet").isFalse();

    claimed.add("urn:s/2");
    assertThat(w.mayPass("PT-B", this::claimed)).as("its own patient's record, applied").isTrue();
  }

  @Test
  void shouldNeverLetARedFlagPassARecordWithoutAKeyOrWithoutAnIdUntilItIsDone() {
    RedFlagScout.Window w = new RedFlagScout.Window();
    w.follow(0);
    w.add(0, null, "urn:s", "1", false);
    assertThat(w.mayPass("PT-C", this::claimed)).as("unkeyed: its patient shows only in its payload").isFalse();
    claimed.add("urn:s/1");
    assertThat(w.mayPass("PT-C", this::claimed)).isTrue();

    w.add(1, "PT-C", null, null, false);
    assertThat(w.mayPass("PT-C", this::claimed)).as("a structured record of its patient: its claim cannot be looked up").isFalse();
    assertThat(w.follow(2)).as("the listener committed past it: nothing to read again").isFalse();
    assertThat(w.mayPass("PT-C", this::claimed)).isTrue();
  }

  @Test
  void shouldReadAgainFromTheCommittedOffsetWhenTheListenerGotAhead() {
    RedFlagScout.Window w = new RedFlagScout.Window();
    w.follow(10);
    w.add(10, "PT-A", "urn:s", "1", false);
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
    w.add(0, "PT-A", "urn:s", "1", false);
    assertThat(w.full(2)).isFalse();
    w.add(1, "PT-A", "urn:s", "2", false);
    assertThat(w.full(2)).isTrue();
    w.follow(1);
    assertThat(w.full(2)).as("the committed offset moved on").isFalse();
  }

  @Test
  void shouldTellWhetherRoutineWorkLiesAheadOfTheNextRecord() {
    RedFlagScout.Window w = new RedFlagScout.Window();
    w.follow(0);
    w.add(0, "PT-A", "urn:s", "1", true);
    w.add(1, "PT-B", "urn:s", "2", true);
    assertThat(w.routineBefore()).as("only red flags ahead: a burst the listener works off in order").isFalse();
    w.add(2, "PT-C", "urn:s", "3", false);
    assertThat(w.routineBefore()).as("a follow-up ahead").isTrue();
    assertThat(w.holds(2)).isTrue();
    w.follow(3);
    assertThat(w.routineBefore()).as("the listener committed past the follow-up").isFalse();
    assertThat(w.holds(2)).as("the listener's now").isFalse();
    w.add(3, "PT-D", "urn:s", "4", false);
    assertThat(w.follow(10)).as("the listener got ahead of the scout").isTrue();
    assertThat(w.routineBefore()).isFalse();
  }
}
