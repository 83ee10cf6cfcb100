// The §4.3(3) panel of the agreement card: a contractor without its declaration for the SME is
// shown so, the date is recorded from the card, and the core's refusal stays under its row.
import "@testing-library/svelte/vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { Agreement } from "../../lib/bindings/Agreement";
import type { PairDeclaration } from "../../lib/bindings/PairDeclaration";
import { routeInvoke } from "../../testing/ipc";
import GroupDeclarationsPanel from "./GroupDeclarationsPanel.svelte";

const AGREEMENT = { id: 3, sme_id: 1, status: "draft", items: [] } as unknown as Agreement;

const MISSING: PairDeclaration = {
  sme_id: 1,
  contractor_id: 5,
  contractor_name: "ООО «Эксперт»",
  item_codes: ["4.2"],
  declaration: null,
};

describe("GroupDeclarationsPanel", () => {
  it("records the missing declaration with the typed date", async () => {
    let pair = MISSING;
    const ipc = routeInvoke({
      agreement_group_declarations: () => [pair],
      group_declaration_record: ({ declaredOn }) => {
        pair = {
          ...MISSING,
          declaration: { sme_id: 1, contractor_id: 5, declared_on: declaredOn as string, recorded_by: "Петрова А. С.", recorded_at: "2025-03-07T10:00:00" },
        };
        return pair.declaration;
      },
    });
    render(GroupDeclarationsPanel, { agreement: AGREEMENT });
    const row = await screen.findByTestId("agr-decl-5");
    expect(row.textContent).toContain("ООО «Эксперт» (услуга 4.2)");
    expect(row.textContent).toContain("нет заявления");
    const date = row.querySelector("input[name='declared_on_5']") as HTMLInputElement;
    await fireEvent.input(date, { target: { value: "05.03.2025" } });
    await fireEvent.click(screen.getByTestId("agr-decl-save-5"));
    await vi.waitFor(() => expect(screen.getByTestId("agr-decl-5").textContent).toContain("от 05.03.2025"));
    expect(ipc.calls("group_declaration_record")[0]).toEqual({ smeId: 1, contractorId: 5, declaredOn: "2025-03-05" });
  });

  it("puts the core's refusal under the contractor's row and shows nothing without contractors", async () => {
    routeInvoke({
      agreement_group_declarations: () => [MISSING],
      group_declaration_record: () =>
        Promise.reject({ code: "validation", field: "declared_on", message: "Дата заявления 08.03.2025: не позже сегодняшнего дня" }),
    });
    const view = render(GroupDeclarationsPanel, { agreement: AGREEMENT });
    await fireEvent.click(await screen.findByTestId("agr-decl-save-5"));
    expect((await screen.findByTestId("agr-decl-error-5")).textContent).toContain("не позже сегодняшнего дня");
    view.unmount();
    routeInvoke({ agreement_group_declarations: () => [] });
    render(GroupDeclarationsPanel, { agreement: AGREEMENT });
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByTestId("agr-declarations")).toBeNull();
  });
});
