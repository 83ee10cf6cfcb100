// @vitest-environment node
import { describe, expect, it } from "vitest";
import { barPercent, formatAmount, formatRate, formatRub, isNegative, isZero, ratePercent } from "./money";

describe("money formatting", () => {
  it("groups thousands with non-breaking spaces and uses a decimal comma, like the core", () => {
    expect(formatRub("1250000.00")).toBe("1\u00a0250\u00a0000,00\u00a0₽");
    expect(formatAmount("0")).toBe("0,00");
    expect(formatAmount("999.5")).toBe("999,50");
    expect(formatAmount("1000")).toBe("1\u00a0000,00");
    expect(formatAmount("-1234.5")).toBe("−1\u00a0234,50");
    expect(formatAmount("-0.00")).toBe("0,00");
    expect(formatAmount("249999.99")).toBe("249\u00a0999,99");
  });

  it("keeps every digit of huge amounts (no float on the way)", () => {
    expect(formatAmount("123456789012345678.01")).toBe("123\u00a0456\u00a0789\u00a0012\u00a0345\u00a0678,01");
  });

  it("shows text that is not an amount as it came", () => {
    expect(formatAmount("abc")).toBe("abc");
  });

  it("turns rates into percent by moving the point", () => {
    expect(ratePercent("0.2")).toBe("20");
    expect(ratePercent("0.20")).toBe("20");
    expect(ratePercent("0.3")).toBe("30");
    expect(ratePercent("0.255")).toBe("25,5");
    expect(ratePercent("0")).toBe("0");
    expect(formatRate("0.2")).toBe("20\u00a0%");
  });

  it("compares amounts for the bars in whole kopecks", () => {
    expect(barPercent("250000.00", "1000000.00")).toBe(25);
    expect(barPercent("0", "100")).toBe(0);
    expect(barPercent("200", "100")).toBe(100);
    expect(barPercent("1", "0")).toBe(0);
    expect(isNegative("-0.01")).toBe(true);
    expect(isNegative("-0.00")).toBe(false);
    expect(isZero("0.00")).toBe(true);
  });
});
