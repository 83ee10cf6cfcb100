import "@testing-library/svelte/vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { Agreement } from "../../lib/bindings/Agreement";
import { session } from "../../lib/session.svelte";
import { routeInvoke } from "../../testing/ipc";
import AgreementCard from "./AgreementCard.svelte";

const DRAFT: Agreement = {
  id: 3,
  number: "4/2025-С",
  date: "2025-06-02",
  sme_id: 1,
  sme_name: "ООО «Ромашка»",
  sme_inn: "7707083893",
  application_id: null,
  catalog_version_id: 1,
  service_code: "4.2",
  participants: null,
  declaration_signed: true,
  status: "draft",
  signed_on: null,
  completed_on: null,
  terminated_on: null,
  termination_reason: "",
  items: [],
  payment_schedule: [],
  stages: [],
  amendments: [],
  cost: "500000",
  sme_share: "100000",
  centre_share: "400000",
  total: "500000",
  paid: "0",
};

const REFUSABLE = {
  code: "rule",
  field: "decision",
  message:
    "Соглашение № 4/2025-С нельзя подписать:\n— За 3 года до обращения … (п. 6.1.5)\nЭто основание, по которому центр имеет право отказать (п. 6.1 Регламента), а не запрет: руководитель может подписать своим решением, указав причину",
};

function handlers(signed: Agreement) {
  return {
    agreement_sign: () => Promise.reject(REFUSABLE),
    agreement_sign_by_decision: () => signed,
    act_list: () => [],
    payment_list: () => [],
    document_list: () => [],
  };
}

describe("AgreementCard, §6.1.5", () => {
  it("lets the head sign by a decision with its reason, shown on the card afterwards", async () => {
    const signed: Agreement = {
      ...DRAFT,
      status: "signed",
      signed_on: "2025-06-03",
      decision: { paragraph: "п. 6.1.5", reason: "Контракт на подписании", decided_by: "Руководитель Тестовый", decided_at: "2025-06-03T10:00:00" },
    };
    const ipc = routeInvoke(handlers(signed));
    const changed = vi.fn();
    const view = render(AgreementCard, { agreement: DRAFT, onchange: changed, onedit: () => {}, onclose: () => {} });
    await fireEvent.click(screen.getByTestId("agr-sign"));
    expect((await screen.findByTestId("agr-error")).textContent).toContain("руководитель может подписать");
    const reason = (await screen.findByTestId("agr-decision-form")).querySelector("textarea") as HTMLTextAreaElement;
    await fireEvent.input(reason, { target: { value: "Контракт на подписании" } });
    await fireEvent.click(screen.getByTestId("agr-sign-decision"));
    await vi.waitFor(() => expect(changed).toHaveBeenCalledWith(signed));
    expect(ipc.calls("agreement_sign_by_decision").at(-1)).toMatchObject({ id: 3, reason: "Контракт на подписании" });
    await view.rerender({ agreement: signed, onchange: changed, onedit: () => {}, onclose: () => {} });
    expect((await screen.findByTestId("agr-decision")).textContent).toContain("«Контракт на подписании»");
  });

  it("tells a specialist to pass it to the head", async () => {
    const head = session.current;
    session.set({ ...head!, role: "specialist", rights: ["registry", "agreements", "sign_agreement", "output", "own_password"] });
    routeInvoke(handlers(DRAFT));
    render(AgreementCard, { agreement: DRAFT, onchange: () => {}, onedit: () => {}, onclose: () => {} });
    await fireEvent.click(screen.getByTestId("agr-sign"));
    expect((await screen.findByTestId("agr-decision-ask")).textContent).toContain("руководитель центра");
    expect(screen.queryByTestId("agr-decision-form")).toBeNull();
    session.set(head);
  });
});
