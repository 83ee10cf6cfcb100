import "@testing-library/svelte/vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { isoToRu, readRuDate } from "./dateText";
import DateField from "./DateField.svelte";

describe("readRuDate", () => {
  it("reads the ways staff write a date", () => {
    expect(readRuDate("05.03.2026")).toEqual({ iso: "2026-03-05" });
    expect(readRuDate(" 5.3.2026 ")).toEqual({ iso: "2026-03-05" });
    expect(readRuDate("05032026")).toEqual({ iso: "2026-03-05" });
    expect(readRuDate("2026-03-05")).toEqual({ iso: "2026-03-05" });
    expect(readRuDate("")).toEqual({ empty: true });
  });
  it("says what is wrong in Russian", () => {
    expect(readRuDate("31.02.2026")).toEqual({ error: "Дата 31.02.2026: в этом месяце 28 дней" });
    expect(readRuDate("29.02.2028")).toEqual({ iso: "2028-02-29" });
    expect(readRuDate("01.13.2026")).toEqual({ error: "Дата 01.13.2026: месяц — от 01 до 12" });
    expect(readRuDate("03/05/2026")).toEqual({ error: "Дата: введите в виде ДД.ММ.ГГГГ, например 05.03.2026" });
    expect(readRuDate("01.01.1800")).toMatchObject({ error: expect.stringContaining("год") });
  });
  it("writes ISO dates the Russian way", () => {
    expect(isoToRu("2026-03-05")).toBe("05.03.2026");
    expect(isoToRu("")).toBe("");
  });
});

describe("DateField", () => {
  it("shows the value as dd.mm.yyyy and reports typed dates as ISO", async () => {
    const onchange = vi.fn();
    render(DateField, { value: "2026-03-05", onchange, name: "d", "aria-label": "Дата" });
    const input = screen.getByLabelText("Дата") as HTMLInputElement;
    expect(input.value).toBe("05.03.2026");
    await fireEvent.input(input, { target: { value: "09.01.2026" } });
    expect(onchange).toHaveBeenLastCalledWith("2026-01-09");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("explains a wrong date and clears the value", async () => {
    const onchange = vi.fn();
    render(DateField, { value: "2026-03-05", onchange, "aria-label": "Дата" });
    const input = screen.getByLabelText("Дата") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "31.02.2026" } });
    expect(onchange).toHaveBeenLastCalledWith("");
    expect(screen.getByRole("alert").textContent).toContain("в этом месяце 28 дней");
    expect(input.getAttribute("aria-invalid")).toBe("true");
  });

  it("waits for a whole date before complaining, then normalises on leaving the field", async () => {
    render(DateField, { value: "", "aria-label": "Дата" });
    const input = screen.getByLabelText("Дата") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "5.3" } });
    expect(screen.queryByRole("alert")).toBeNull();
    await fireEvent.blur(input);
    expect(screen.getByRole("alert").textContent).toContain("ДД.ММ.ГГГГ");
    await fireEvent.input(input, { target: { value: "5.3.2026" } });
    await fireEvent.blur(input);
    expect(input.value).toBe("05.03.2026");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows a pasted ISO date the Russian way", async () => {
    const onchange = vi.fn();
    render(DateField, { value: "", onchange, "aria-label": "Дата" });
    const input = screen.getByLabelText("Дата") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "2026-12-07" } });
    expect(onchange).toHaveBeenLastCalledWith("2026-12-07");
    expect(input.value).toBe("07.12.2026");
  });

  it("picks a day from the month grid", async () => {
    const onchange = vi.fn();
    render(DateField, { value: "2026-03-05", onchange, "aria-label": "Дата" });
    await fireEvent.click(screen.getByLabelText("Выбрать дату в календаре"));
    await fireEvent.click(screen.getByLabelText("Следующий месяц"));
    await fireEvent.click(screen.getByLabelText("14.04.2026"));
    expect(onchange).toHaveBeenLastCalledWith("2026-04-14");
    expect((screen.getByLabelText("Дата") as HTMLInputElement).value).toBe("14.04.2026");
    await fireEvent.click(screen.getByLabelText("Выбрать дату в календаре"));
    expect(screen.getByRole("dialog")).toBeTruthy();
    await fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
