package io.pathway.bpmn.rules;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** Human labels of the contract's imaging codes, for the evidence the forms show. */
public final class Labels {

  private static final Map<String, String> IMAGING = Map.ofEntries(
      Map.entry("SEVERE_STENOSIS", "Severe spinal stenosis"),
      Map.entry("LARGE_DISC_HERNIATION", "Large disc herniation"),
      Map.entry("SPONDYLOLISTHESIS", "Spondylolisthesis (instability)"),
      Map.entry("LIGAMENTUM_FLAVUM_HYPERTROPHY", "Thickened ligamentum flavum"),
      Map.entry("DISC_DEGENERATION", "Disc degeneration"),
      Map.entry("FACET_ARTHROPATHY", "Facet joint arthropathy"),
      Map.entry("SACROILIAC_ARTHROPATHY", "Sacroiliac joint arthropathy"),
      Map.entry("NERVE_ROOT_COMPRESSION", "Nerve root compression"),
      Map.entry("POSTOPERATIVE_CHANGES", "Postoperative changes"),
      Map.entry("NO_SIGNIFICANT_FINDING", "No significant finding"));

  private Labels() {}

  /** {@code "SEVERE_STENOSIS,SPONDYLOLISTHESIS"} as {@code "Severe spinal stenosis; Spondylolisthesis (instability)"}. */
  public static String imaging(Object codes) {
    if (codes == null || codes.toString().isBlank()) {
      return "None recorded";
    }
    return Arrays.stream(codes.toString().split(",")).map(String::trim).filter(c -> !c.isEmpty())
        .map(c -> IMAGING.getOrDefault(c, c)).collect(Collectors.joining("; "));
  }
}
