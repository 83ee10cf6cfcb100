-- 0004: the production calendar (производственный календарь) the centre edits on top of the
-- calendars shipped with the app: whole years imported from xmlcalendar files, and single days.

-- A year imported from a file replaces the shipped calendar of that year. The file is kept as
-- given so it can be shown, exported and re-parsed by a newer app.
CREATE TABLE calendar_year (
    year        INTEGER PRIMARY KEY CHECK (year BETWEEN 1990 AND 2200),
    xml         TEXT    NOT NULL,
    file_name   TEXT    NOT NULL DEFAULT '',
    -- Where the calendar comes from (decree), as shown to staff.
    source      TEXT    NOT NULL,
    -- 1 when the file itself says it is not yet official (no transfer decree).
    provisional INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1)),
    imported_at TEXT    NOT NULL,
    imported_by TEXT    NOT NULL
);

-- A single day set by staff (e.g. a regional non-working day); it wins over the year's calendar.
CREATE TABLE calendar_day (
    date   TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    kind   TEXT NOT NULL CHECK (kind IN ('working', 'shortened', 'day_off')),
    note   TEXT NOT NULL DEFAULT '',
    set_at TEXT NOT NULL,
    set_by TEXT NOT NULL
);
