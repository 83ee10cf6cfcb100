import "@testing-library/svelte/vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import type { CalendarDay } from "../../lib/bindings/CalendarDay";
import type { CalendarYearInfo } from "../../lib/bindings/CalendarYearInfo";
import CalendarPanel from "./CalendarPanel.svelte";
import DeadlinesPanel from "./DeadlinesPanel.svelte";
import NumberPatternPanel from "./NumberPatternPanel.svelte";

const YEAR = new Date().getFullYear();

function info(year: number, over: Partial<CalendarYearInfo> = {}): CalendarYearInfo {
  return {
    year,
    source: "Постановление Правительства РФ от 04.10.2024 № 1335",
    provisional: false,
    origin: "shipped",
    working_days: 247,
    shortened_days: 3,
    days_off: 118,
    edited_days: 0,
    ...over,
  };
}

function daysOf(year: number, edited: Record<string, CalendarDay["kind"]> = {}): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    const wd = d.getUTCDay();
    const kind = edited[iso] ?? (wd === 0 || wd === 6 ? "day_off" : "working");
    out.push({
      date: iso,
      kind,
      ...(edited[iso] ? { edit: { date: iso, kind, note: "приказ", set_at: "", set_by: "Петрова" } } : {}),
    });
  }
  return out;
}

describe("NumberPatternPanel", () => {
  it("previews the first number and shows the core's reason for a wrong pattern", async () => {
    const ipc = routeInvoke({
      agreement_number_pattern: () => "{n}/{yyyy}-С",
      agreement_number_preview: ({ pattern, year }) => {
        if (!(pattern as string).includes("{n}"))
          throw { code: "validation", message: "Шаблон номера соглашения: должен содержать {n}", field: "number_pattern" };
        return (pattern as string).replace("{n}", "1").replace("{yyyy}", String(year));
      },
      agreement_number_pattern_save: ({ pattern }) => pattern,
    });
    render(NumberPatternPanel);
    await waitFor(() => expect(screen.getByTestId("number-preview").textContent).toContain(`№ 1/${YEAR}-С`));
    const input = screen.getByLabelText("Шаблон") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "{yyyy}-С" } });
    await waitFor(() => expect(screen.getByTestId("error-number_pattern").textContent).toContain("{n}"));
    expect((screen.getByTestId("number-save") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(input, { target: { value: "Д-{n}/{yyyy}" } });
    await waitFor(() => expect(screen.getByTestId("number-preview").textContent).toContain(`№ Д-1/${YEAR}`));
    await fireEvent.click(screen.getByTestId("number-save"));
    await waitFor(() => expect(ipc.calls("agreement_number_pattern_save")).toEqual([{ pattern: "Д-{n}/{yyyy}" }]));
  });
});

describe("DeadlinesPanel", () => {
  it("saves working days per status, blank meaning no deadline", async () => {
    const ipc = routeInvoke({
      deadline_settings_get: () => ({
        new: { indicative: 1, normative: 1 },
        under_review: { indicative: 1, normative: 2 },
        rework: null,
        approved: { indicative: 5, normative: 10 },
      }),
      deadline_settings_save: ({ settings }) => settings,
    });
    render(DeadlinesPanel);
    const normative = await screen.findByLabelText("На рассмотрении: нормативный срок");
    await waitFor(() => expect((normative as HTMLInputElement).value).toBe("2"));
    await fireEvent.input(normative, { target: { value: "3" } });
    await fireEvent.click(screen.getByTestId("deadline-save"));
    await waitFor(() => expect(ipc.calls("deadline_settings_save")).toHaveLength(1));
    expect(ipc.calls("deadline_settings_save")[0]).toEqual({
      settings: {
        new: { indicative: 1, normative: 1 },
        under_review: { indicative: 1, normative: 3 },
        rework: null,
        approved: { indicative: 5, normative: 10 },
      },
    });
  });
});

describe("CalendarPanel", () => {
  it("shows a year with its decree, edits a day with a reason, reports a missing year", async () => {
    let edited: Record<string, CalendarDay["kind"]> = {};
    const ipc = routeInvoke({
      calendar_years: () => [info(YEAR)],
      calendar_year: ({ year }) => {
        if (year === 2031)
          throw { code: "rule", message: "нет производственного календаря на 2031 год: загрузите календарь", field: null };
        return [info(year as number, { edited_days: Object.keys(edited).length }), daysOf(year as number, edited)];
      },
      calendar_set_day: ({ date, kind, note }) => {
        edited = { [date as string]: kind as CalendarDay["kind"] };
        return { date, kind, note, set_at: "", set_by: "Петрова" };
      },
    });
    render(CalendarPanel);
    await waitFor(() => expect(screen.getByTestId("calendar-info").textContent).toContain("№ 1335"));
    const day = `${YEAR}-03-04`;
    await fireEvent.click(screen.getByTestId(`calendar-day-${day}`));
    await fireEvent.change(screen.getByTestId("calendar-day-kind"), { target: { value: "day_off" } });
    await fireEvent.click(screen.getByTestId("calendar-day-save"));
    expect(screen.getByTestId("calendar-day-error").textContent).toContain("основание");
    await fireEvent.input(screen.getByLabelText("Основание"), { target: { value: "закон области о празднике" } });
    await fireEvent.click(screen.getByTestId("calendar-day-save"));
    await waitFor(() => expect(screen.getByTestId(`calendar-day-${day}`).dataset.kind).toBe("day_off"));
    expect(ipc.calls("calendar_set_day")[0]).toEqual({ date: day, kind: "day_off", note: "закон области о празднике" });
    expect(screen.getByTestId("calendar-info").textContent).toContain("изменено вручную: 1");

    await fireEvent.input(screen.getByLabelText("Другой год"), { target: { value: "2031" } });
    await fireEvent.click(screen.getByTestId("calendar-show-year"));
    await waitFor(() =>
      expect(screen.getByTestId("calendar-error").textContent).toContain("нет производственного календаря на 2031 год"),
    );
  });

  it("imports a year from the file chosen in the open dialog", async () => {
    const ipc = routeInvoke({
      calendar_years: () => [info(YEAR)],
      calendar_year: ({ year }) => [info(year as number), daysOf(year as number)],
      pick_open: () => ["/home/anna/calendar-2028.xml"],
      calendar_import: () => info(2028, { origin: "imported", file_name: "calendar-2028.xml" }),
    });
    render(CalendarPanel);
    await screen.findByTestId("calendar-info");
    await fireEvent.click(screen.getByTestId("calendar-import"));
    await waitFor(() => expect(ipc.calls("calendar_import")).toEqual([{ path: "/home/anna/calendar-2028.xml" }]));
    await waitFor(() => expect(ipc.calls("calendar_year").at(-1)).toEqual({ year: 2028 }));
  });
});
