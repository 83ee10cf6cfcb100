import "@testing-library/svelte/vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import type { Application } from "../../lib/bindings/Application";
import { daysLeftText } from "../../lib/workflowLabels";
import ApplicationCard from "./ApplicationCard.svelte";

function app(over: Partial<Application> = {}): Application {
  return {
    id: 4,
    sme_id: 1,
    sme_name: "ООО «Амурская рыба»",
    sme_inn: "7707329152",
    service_code: "4.2",
    item_codes: ["4.2"],
    received_on: "2026-03-02",
    channel: "email",
    responsible_staff_id: null,
    responsible_staff_name: null,
    status: "under_review",
    status_since: "2026-03-03",
    refusal: null,
    documents: [{ position: 1, name: "Экспортный контракт", received_on: null }],
    timeline: [{ at: "2026-03-02T10:15:00", actor: "Петрова А. С.", from: null, to: "new", comment: "" }],
    ...over,
  };
}

describe("ApplicationCard", () => {
  it("records a consultation of row 2 on the application for its SME", async () => {
    const ipc = routeInvoke({
      consultation_add: ({ input }) => ({
        consultation: { ...(input as object), id: 9, sme_name: "ООО «Амурская рыба»", sme_inn: "7707329152", staff: "Петрова А. С." },
        duplicate_of: null,
      }),
    });
    render(ApplicationCard, { app: app(), onchange: vi.fn(), onagreement: vi.fn(), onclose: vi.fn() });
    await fireEvent.click(screen.getByTestId("app-consult"));
    expect(screen.getByTestId("sme-chosen").textContent).toContain("Амурская рыба");
    expect(screen.queryByTestId("sme-change")).toBeNull();
    await fireEvent.input(document.querySelector("[name='topic']") as HTMLInputElement, { target: { value: "Условия поставки в Китай" } });
    await fireEvent.click(screen.getByTestId("consult-save"));
    await vi.waitFor(() => expect(screen.queryByTestId("consult-form")).toBeNull());
    expect(ipc.calls("consultation_add")[0]?.input).toMatchObject({ sme_id: 1, service_code: "2", application_id: 4, topic: "Условия поставки в Китай" });
  });


  it("offers only the allowed status changes and records one", async () => {
    const ipc = routeInvoke({
      application_transition: ({ input }) => app({ status: (input as { to: Application["status"] }).to }),
    });
    const onchange = vi.fn();
    render(ApplicationCard, { app: app(), onchange, onagreement: vi.fn(), onclose: vi.fn() });
    expect(screen.getByTestId("app-to-approved")).toBeTruthy();
    expect(screen.getByTestId("app-to-rework")).toBeTruthy();
    expect(screen.queryByTestId("app-to-under_review")).toBeNull();
    expect(screen.queryByTestId("app-make-agreement")).toBeNull();
    expect(screen.getByTestId("app-timeline").textContent).toContain("02.03.2026 10:15");
    await fireEvent.click(screen.getByTestId("app-to-approved"));
    await vi.waitFor(() => expect(onchange).toHaveBeenCalled());
    expect(ipc.calls("application_transition")[0]?.input).toMatchObject({ to: "approved", refusal: null });
  });

  it("asks for the §6.1 reason and the text before refusing", async () => {
    const ipc = routeInvoke({
      application_transition: () =>
        app({ status: "refused_by_centre", refusal: { reason: "documents", text: "Нет выписки" } }),
    });
    render(ApplicationCard, { app: app(), onchange: vi.fn(), onagreement: vi.fn(), onclose: vi.fn() });
    await fireEvent.click(screen.getByTestId("app-refuse-open"));
    await fireEvent.click(screen.getByTestId("refuse-save"));
    expect((await screen.findByTestId("error-reason")).textContent).toContain("основание");
    const select = screen.getByTestId("refuse-reason") as HTMLSelectElement;
    select.value = "documents";
    await fireEvent.change(select);
    await fireEvent.click(screen.getByTestId("refuse-save"));
    expect((await screen.findByTestId("error-text")).textContent).toContain("почему");
    const text = screen.getByTestId("refuse-text") as HTMLTextAreaElement;
    text.value = "Нет выписки";
    await fireEvent.input(text);
    await fireEvent.click(screen.getByTestId("refuse-save"));
    await vi.waitFor(() => expect(ipc.calls("application_transition")).toHaveLength(1));
    expect(ipc.calls("application_transition")[0]?.input).toMatchObject({
      to: "refused_by_centre",
      refusal: { reason: "documents", text: "Нет выписки" },
    });
  });

  it("marks a document received and offers the agreement once approved", async () => {
    const ipc = routeInvoke({ application_set_document: () => app() });
    render(ApplicationCard, { app: app({ status: "approved" }), onchange: vi.fn(), onagreement: vi.fn(), onclose: vi.fn() });
    expect(screen.getByTestId("app-make-agreement")).toBeTruthy();
    expect(screen.queryByTestId("app-to-approved")).toBeNull();
    // Documents such as the signed agreement arrive after approval: the checklist stays open.
    await fireEvent.click(screen.getByTestId("app-doc-1"));
    await vi.waitFor(() => expect(ipc.calls("application_set_document")).toHaveLength(1));
    expect(ipc.calls("application_set_document")[0]).toMatchObject({ id: 4, position: 1 });
  });

  it("keeps a closed application's checklist read-only", () => {
    render(ApplicationCard, {
      app: app({ status: "refused_by_applicant" }),
      onchange: vi.fn(),
      onagreement: vi.fn(),
      onclose: vi.fn(),
    });
    expect((screen.getByTestId("app-doc-1") as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByTestId("app-refuse-open")).toBeNull();
  });

  it("shows its own deadline, the working days left or overdue, and a missing calendar year", async () => {
    routeInvoke({
      application_deadline: () => ({
        status: "under_review",
        status_since: "2026-03-03",
        days: { indicative: 1, normative: 2 },
        deadline: { indicative_on: "2026-03-04", normative_on: "2026-03-05", state: "overdue" },
        working_days_left: -3,
        provisional: true,
      }),
    });
    render(ApplicationCard, { app: app(), onchange: vi.fn(), onagreement: vi.fn(), onclose: vi.fn() });
    const line = await screen.findByTestId("app-deadline");
    expect(line.textContent).toContain("до 05.03.2026");
    expect(line.textContent).toContain("2 рабочих дня");
    expect(line.textContent).toContain("предупреждение с 04.03.2026");
    expect(screen.getByTestId("app-deadline-left").textContent).toBe("просрочено на 3 рабочих дня");
    expect(line.className).toContain("overdue");
    expect(screen.getByTestId("app-deadline-provisional").textContent).toContain("календарь 2026 года предварительный");
  });

  it("says which calendar year is missing instead of a deadline", async () => {
    routeInvoke({
      application_deadline: () => {
        throw { code: "rule", message: "нет производственного календаря на 2028 год: загрузите календарь", field: null };
      },
    });
    render(ApplicationCard, { app: app(), onchange: vi.fn(), onagreement: vi.fn(), onclose: vi.fn() });
    expect((await screen.findByTestId("app-deadline-error")).textContent).toContain("нет производственного календаря на 2028 год");
  });
});

describe("daysLeftText", () => {
  it("words working days in Russian", () => {
    expect(daysLeftText(1)).toBe("осталось 1 рабочий день");
    expect(daysLeftText(4)).toBe("осталось 4 рабочих дня");
    expect(daysLeftText(11)).toBe("осталось 11 рабочих дней");
    expect(daysLeftText(21)).toBe("осталось 21 рабочий день");
    expect(daysLeftText(0)).toBe("сегодня последний день");
    expect(daysLeftText(-5)).toBe("просрочено на 5 рабочих дней");
  });
});
