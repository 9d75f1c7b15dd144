package io.pathway.model.events;

import io.pathway.model.codes.MriFinding;

/**
 * Test-specific findings of a diagnostic result; only the fields of the test concerned are set.
 *
 * @param mri contrast MRI: recurrent herniation versus scar tissue
 * @param level selective nerve root block: the root tested, e.g. {@code L5}
 * @param reliefPercent selective nerve root block, medial branch or SI joint block: immediate relief in percent
 * @param concordantPain discography: the injection reproduced the patient's typical pain
 * @param contrastLeak discography: the dye leaked out of the disc
 * @param side joint blocks: {@code LEFT}, {@code RIGHT} or {@code BILATERAL}
 */
public record Findings(MriFinding mri, String level, Integer reliefPercent, Boolean concordantPain, Boolean contrastLeak, String side) {

  public static Findings none() {
    return new Findings(null, null, null, null, null, null);
  }
}
