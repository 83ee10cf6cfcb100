// The quantity fields show only what the item's limits need, with the limit under each field.
import "@testing-library/svelte/vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";

import { emptyDraft } from "../../lib/itemQuantity";
import ItemQuantityFields from "./ItemQuantityFields.svelte";

const NONE = { max_per_guest_day: null, min_area_m2: null, max_area_m2: null, max_months: null, condition: null };

describe("ItemQuantityFields", () => {
  it("asks guests and days for accommodation and binds what is typed", async () => {
    const draft = emptyDraft();
    render(ItemQuantityFields, { code: "5.5.a5", limits: { ...NONE, max_per_guest_day: "5000" }, draft });
    expect(screen.getByTestId("quantity-5.5.a5").textContent).toContain("не более 5\u00a0000,00\u00a0₽ в сутки на одного");
    expect(document.querySelector("[name='area-5.5.a5']")).toBeNull();
    const guests = document.querySelector("[name='guests-5.5.a5']") as HTMLInputElement;
    await fireEvent.input(guests, { target: { value: "3" } });
    expect(guests.value).toBe("3");
  });

  it("asks area and months for storage, and the condition for transport", () => {
    render(ItemQuantityFields, { code: "5.1.a6", limits: { ...NONE, max_area_m2: "100", max_months: 6 }, draft: emptyDraft() });
    expect(screen.getByTestId("quantity-5.1.a6").textContent).toContain("не более 100 м²");
    expect(screen.getByTestId("quantity-5.1.a6").textContent).toContain("не более 6 мес.");
    render(ItemQuantityFields, { code: "5.6.a3", limits: { ...NONE, condition: "кроме такси" }, draft: emptyDraft() });
    expect(screen.getByTestId("quantity-5.6.a3").textContent).toContain("Условие соблюдено: кроме такси");
  });
});
