// The IPC wrappers of the «Мероприятия» screen: seminars and master classes of rows 4.1.x, their
// participants and attendance.
import { call } from "./api";
import type { Agreement } from "./bindings/Agreement";
import type { Event } from "./bindings/Event";
import type { EventAgreement } from "./bindings/EventAgreement";
import type { EventInput } from "./bindings/EventInput";
import type { EventQuery } from "./bindings/EventQuery";
import type { EventStatus } from "./bindings/EventStatus";
import type { Participant } from "./bindings/Participant";
import type { ParticipantImport } from "./bindings/ParticipantImport";
import type { PlanProgress } from "./bindings/PlanProgress";
import type { Candidate } from "./bindings/Candidate";
import type { Application } from "./bindings/Application";
import type { BulkInput } from "./bindings/BulkInput";
import type { BulkLine } from "./bindings/BulkLine";
import type { Act } from "./bindings/Act";
import type { ActLine } from "./bindings/ActLine";
import type { ActsInput } from "./bindings/ActsInput";
import type { Selection } from "./bindings/Selection";
import type { SelectionInput } from "./bindings/SelectionInput";

export const events = {
  list: (query: EventQuery) => call<Event[]>("event_list", { query }),
  get: (id: number) => call<Event>("event_get", { id }),
  participants: (id: number) => call<Participant[]>("event_participants", { id }),
  add: (input: EventInput) => call<Event>("event_add", { input }),
  update: (id: number, input: EventInput, seen: number | null) => call<Event>("event_update", { id, input, seen }),
  setStatus: (id: number, status: EventStatus) => call<Event>("event_set_status", { id, status }),
  addParticipant: (id: number, smeId: number, attendee: string) =>
    call<Participant>("event_participant_add", { id, smeId, attendee }),
  removeParticipant: (participantId: number) => call<void>("event_participant_remove", { participantId }),
  attendance: (participantId: number, attended: boolean) =>
    call<Participant>("event_attendance", { participantId, attended }),
  import: (id: number, path: string) => call<ParticipantImport>("event_import", { id, path }),
  agreements: (id: number) => call<EventAgreement[]>("event_agreements", { id }),
  sign: (id: number, received: string) => call<Agreement[]>("event_sign", { id, received }),
  plan: (year: number) => call<PlanProgress>("event_plan", { year }),
  bulkCandidates: (id: number) => call<Application[]>("event_bulk_candidates", { id }),
  bulkPreview: (input: BulkInput) => call<BulkLine[]>("event_bulk_preview", { input }),
  bulkMake: (input: BulkInput) => call<Agreement[]>("event_bulk_make", { input }),
  actsPreview: (id: number, date: string) => call<ActLine[]>("event_acts_preview", { id, date }),
  actsMake: (input: ActsInput) => call<Act[]>("event_acts_make", { input }),
};

/** §5.5.4: the competitive selection for an individual stand at an exhibition (5.7). */
export const selections = {
  forEvent: (eventId: number) => call<Selection[]>("selection_list", { eventId }),
  add: (input: SelectionInput) => call<Selection>("selection_add", { input }),
  apply: (id: number, smeId: number, submittedOn: string) => call<Candidate>("selection_apply", { id, smeId, submittedOn }),
  score: (applicationId: number, scores: number[]) => call<Candidate>("selection_score", { applicationId, scores }),
  decide: (id: number, protocolNumber: string, decidedOn: string) => call<Selection>("selection_decide", { id, protocolNumber, decidedOn }),
  won: (eventId: number, smeId: number) => call<string | null>("selection_won", { eventId, smeId }),
};

/** Seminars (4.1.x): participants registered and marked present; the others have agreements. */
export const SEMINAR_ROWS = ["4.1.1", "4.1.2"] as const;
export const PARTICIPATION_ROWS = ["5.4", "5.5", "5.6", "5.7", "5.9"] as const;
export const isSeminar = (code: string): boolean => (SEMINAR_ROWS as readonly string[]).includes(code);

export const FORMAT_LABEL = { in_person: "очный", remote: "заочный", mixed: "очно-заочный" } as const;

export const STATUS_LABEL: Record<EventStatus, string> = {
  planned: "запланировано",
  registration: "идёт регистрация",
  held: "проведено",
  closed: "закрыто",
  cancelled: "отменено",
};

/** The statuses an event may move to (the core checks the same). */
export const NEXT_STATUS: Record<EventStatus, EventStatus[]> = {
  planned: ["registration", "held", "cancelled"],
  registration: ["held", "cancelled"],
  held: ["closed"],
  closed: [],
  cancelled: [],
};

export const ACTION_LABEL: Record<EventStatus, string> = {
  planned: "",
  registration: "Открыть регистрацию",
  held: "Отметить проведённым",
  closed: "Закрыть мероприятие",
  cancelled: "Отменить мероприятие",
};
