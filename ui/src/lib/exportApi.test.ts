// @vitest-environment node
import { describe, expect, it } from "vitest";
import { formatDecimal, formatThousandUsd, missingRate, sumThousandUsd } from "./exportApi";

describe("export helpers", () => {
  it("reads the missing rate question from the error field", () => {
    expect(missingRate({ code: "missing_rate", message: "…", field: "rate:CNY:2025-03-18" })).toEqual({
      currency: "CNY",
      date: "2025-03-18",
    });
    expect(missingRate({ code: "validation", message: "…", field: "rate:CNY:2025-03-18" })).toBeNull();
    expect(missingRate({ code: "missing_rate", message: "…" })).toBeNull();
  });

  it("formats thousand dollars with three decimals and rates with their own precision", () => {
    expect(formatThousandUsd("137.684")).toBe("137,684");
    expect(formatThousandUsd("1234.5")).toBe("1\u00a0234,500");
    expect(formatThousandUsd("0")).toBe("0,000");
    expect(formatDecimal("0.58674")).toBe("0,58674");
    expect(formatDecimal("1000000.00")).toBe("1\u00a0000\u00a0000");
  });

  it("sums exactly, never through floats", () => {
    expect(sumThousandUsd(["0.1", "0.2"])).toBe("0.300");
    expect(sumThousandUsd(["137.684", "54.472", "81.708"])).toBe("273.864");
    expect(sumThousandUsd([])).toBe("0.000");
    expect(sumThousandUsd(["1.5", "-2"])).toBe("-0.500");
  });
});
