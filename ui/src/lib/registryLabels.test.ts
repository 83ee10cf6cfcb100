// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { CheckInput } from "./bindings/CheckInput";
import {
  checkProblems,
  errorsCsvPath,
  exportPathProblem,
  groupFiles,
  plural,
  parsePaths,
  parseRegions,
  progressLine,
  progressPercent,
  regionsProblem,
  ruDate,
  ruDateTime,
  sourceLabel,
} from "./registryLabels";

const progress = {
  files_done: 1,
  files_total: 2,
  current_file: "data.zip: VO_RRMSPSV_0000_9965.xml",
  records_seen: 120_000,
  records_imported: 4_100,
  records_skipped: 3,
  records_duplicate: 2,
  bytes_read: 250,
  bytes_total: 1000,
  mb_per_s: 85.34,
};

describe("registry helpers", () => {
  it("reads the typed paths and regions", () => {
    expect(parsePaths(' /a/b.zip \n\n"/c d/e.xml"; /f.zip')).toEqual(["/a/b.zip", "/c d/e.xml", "/f.zip"]);
    expect(parsePaths("  ")).toEqual([]);
    expect(parseRegions("27, 28 59")).toEqual(["27", "28", "59"]);
    expect(parseRegions("")).toEqual([]);
    expect(regionsProblem("27, 95")).toBeNull();
    expect(regionsProblem("")).toBeNull();
    expect(regionsProblem("27, 7")).toContain("Регион «7»");
  });

  it("describes import progress by bytes, falling back to files", () => {
    expect(progressPercent(progress)).toBe(25);
    expect(progressPercent({ ...progress, bytes_total: 0 })).toBe(50);
    expect(progressPercent({ ...progress, bytes_total: 0, files_total: 0 })).toBe(0);
    expect(progressPercent({ ...progress, bytes_read: 2000 })).toBe(100);
    const line = progressLine(progress).replace(/\s/g, " ");
    expect(line).toContain("Файлы: 1 из 2");
    expect(line).toContain("прочитано 120 000");
    expect(line).toContain("загружено 4 100");
    expect(line).toContain("пропущено 3");
    expect(line).toContain("повторов ИНН 2");
    expect(progressLine({ ...progress, records_duplicate: 0 })).not.toContain("повтор");
    expect(line).toContain("85,3 МБ/с");
  });

  it("formats dates and sources in Russian", () => {
    expect(ruDate("2019-02-10")).toBe("10.02.2019");
    expect(ruDateTime("2025-03-01T10:05:00")).toBe("01.03.2025 10:05");
    expect(sourceLabel({ kind: "snapshot", snapshot_id: 3, state_date: "2023-05-10" })).toBe(
      "Выгрузка реестра МСП на 10.05.2023",
    );
    expect(sourceLabel({ kind: "snapshot", snapshot_id: null, state_date: "2023-05-10" })).toContain("(удалена)");
    expect(sourceLabel({ kind: "manual", comment: "сайт ФНС" })).toBe("Проверено вручную: сайт ФНС");
  });

  it("says what stops a check from being recorded", () => {
    const input: CheckInput = {
      sme_id: 1,
      source: { kind: "manual", comment: " " },
      criteria: [
        { criterion: "in_sme_registry", outcome: "pass", reason: "" },
        { criterion: "not_gambling", outcome: "fail", reason: "" },
        { criterion: "not_same_group", outcome: "unknown", reason: "" },
      ],
    };
    const problems = checkProblems(input);
    expect(Object.keys(problems).sort()).toEqual(["reason-not_gambling", "source"]);
    const fixed: CheckInput = {
      ...input,
      source: { kind: "snapshot", snapshot_id: 2, state_date: "2023-05-10" },
      criteria: input.criteria.map((c) => ({ ...c, reason: "казино" })),
    };
    expect(checkProblems(fixed)).toEqual({});
  });

  it("groups a snapshot's files by archive", () => {
    expect(groupFiles(["a.zip: 1.xml", "a.zip: 2.xml", "a.zip: 3.xml", "b.xml", "c.zip: 1.xml"])).toEqual([
      "a.zip — 3 файла XML",
      "b.xml",
      "c.zip — 1 файл XML",
    ]);
    expect(plural(11, "файл", "файла", "файлов")).toBe("файлов");
    expect(plural(22, "файл", "файла", "файлов")).toBe("файла");
  });

  it("names the files of table import and export", () => {
    expect(errorsCsvPath("/home/u/СМСП.xlsx")).toBe("/home/u/СМСП-ошибки.csv");
    expect(errorsCsvPath("/home/u/list.CSV")).toBe("/home/u/list-ошибки.csv");
    expect(exportPathProblem("/tmp/a.xlsx")).toBeNull();
    expect(exportPathProblem("/tmp/a.CSV")).toBeNull();
    expect(exportPathProblem("/tmp/a.txt")).toContain(".xlsx или .csv");
    expect(exportPathProblem(" ")).toContain("кнопкой «Выбрать…»");
  });
});
