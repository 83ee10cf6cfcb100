// @vitest-environment node
// The settings form's conversions between the core's decimal share and the percent staff type.
import { describe, expect, it } from "vitest";
import { dayMonth, parseDayMonth, percentToShare, shareToPercent } from "./cofinancingSettings";

describe("cofinancing settings conversions", () => {
  it("shows a share as a percent without float noise", () => {
    expect(shareToPercent("0.10")).toBe("10");
    expect(shareToPercent("0.14")).toBe("14");
    expect(shareToPercent("0.125")).toBe("12,5");
    expect(shareToPercent("1")).toBe("100");
    expect(shareToPercent("0")).toBe("0");
  });

  it("turns a typed percent back into a share, or refuses", () => {
    expect(percentToShare("10")).toBe("0.1");
    expect(percentToShare("12,5")).toBe("0.125");
    expect(percentToShare("7 %")).toBe("0.07");
    expect(percentToShare("100")).toBe("1");
    expect(percentToShare("0")).toBe("0");
    expect(percentToShare("десять")).toBeNull();
    expect(percentToShare("-5")).toBeNull();
  });

  it("reads the carry-over day as «ДД.ММ»", () => {
    expect(dayMonth(4, 1)).toBe("01.04");
    expect(parseDayMonth("1.4")).toEqual({ day: 1, month: 4 });
    expect(parseDayMonth("01.07.")).toEqual({ day: 1, month: 7 });
    expect(parseDayMonth("апрель")).toMatchObject({ field: "carry_over" });
  });
});
