// @vitest-environment node
// Quantities typed the Russian way reach the core as numbers; what is not a number is sent as
// nothing, so the core asks for it by name.
import { describe, expect, it } from "vitest";
import { describeQuantity, draftOf, quantityOf } from "./itemQuantity";

describe("itemQuantity", () => {
  it("reads what staff type and gives back what was saved", () => {
    const q = quantityOf({ guests: " 3 ", days: "2", area: "9,5", months: "", confirmed: true });
    expect(q).toEqual({ guests: 3, days: 2, area_m2: "9.5", months: null, condition_confirmed: true });
    expect(draftOf(q)).toEqual({ guests: "3", days: "2", area: "9,5", months: "", confirmed: true });
    expect(describeQuantity(q)).toBe("3 чел. × 2 сут., 9,5 м², условие подтверждено");
  });

  it("sends nothing for what is not a number", () => {
    expect(quantityOf({ guests: "три", days: "-1", area: "4 м", months: "1.5", confirmed: false })).toEqual({
      guests: null,
      days: null,
      area_m2: null,
      months: null,
      condition_confirmed: false,
    });
    expect(quantityOf(undefined).guests).toBeNull();
  });
});
