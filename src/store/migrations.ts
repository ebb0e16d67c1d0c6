/**
 * The state database's schema, as named migrations applied in order (src/store/db.ts runs
 * them; each name is recorded in schema_migrations). Append new ones at the end with a new
 * name ('002-conversations', …); never edit or reorder an entry that has shipped.
 */
import { CHAT_THREADS_MIGRATION } from './chat-thread-store.js';
import { CONVERSATIONS_MIGRATION } from './conversation-store.js';

export interface Migration {
  /** Unique and stable: recorded in the database once applied. */
  name: string;
  /** SQL run once, inside the same transaction that records the name. */
  up: string;
}

/** The schema made by paperbot before named migrations (schema_version = 1) is exactly this one. */
export const BASELINE_MIGRATION = '001-daily';

export const MIGRATIONS: readonly Migration[] = [
  {
    name: BASELINE_MIGRATION,
    up: `
CREATE TABLE guild_settings (
  guild_id   TEXT PRIMARY KEY,
  -- NULL = use the env default, so changing the defaults reaches guilds that never overrode them
  channel_id TEXT,
  time       TEXT,
  timezone   TEXT,
  count      INTEGER,
  paused     INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
CREATE TABLE daily_post (
  guild_id   TEXT NOT NULL,
  date       TEXT NOT NULL,               -- YYYY-MM-DD in the guild's time zone
  paper_ids  TEXT NOT NULL,               -- JSON array, display order
  status     TEXT NOT NULL CHECK (status IN ('chosen', 'sent')),
  channel_id TEXT,
  message_id TEXT,
  attempts   INTEGER NOT NULL DEFAULT 0,
  chosen_at  TEXT NOT NULL,
  sent_at    TEXT,
  PRIMARY KEY (guild_id, date)            -- the "once per guild per date" key
);
-- One row per picked paper; cycle numbers let history restart once every paper had a turn.
CREATE TABLE daily_pick (
  guild_id TEXT NOT NULL,
  date     TEXT NOT NULL,
  position INTEGER NOT NULL,
  paper_id TEXT NOT NULL,
  cycle    INTEGER NOT NULL,
  PRIMARY KEY (guild_id, date, position),
  FOREIGN KEY (guild_id, date) REFERENCES daily_post (guild_id, date)
);
CREATE INDEX daily_pick_by_cycle ON daily_pick (guild_id, cycle, date, position);
`,
  },
  // Each store module owns its schema; the order here is the order they shipped in.
  CONVERSATIONS_MIGRATION,
  {
    // The daily post's send attempts on Discord's clock (ms since 1970), so that recovery after a crash can look
    // for the post from the attempt on (message ids encode their creation time) instead of only the latest messages.
    name: '003-daily-attempt-time',
    up: `
ALTER TABLE daily_post ADD COLUMN first_attempt_ms INTEGER;  -- first send attempt (Discord's clock)
ALTER TABLE daily_post ADD COLUMN last_attempt_ms INTEGER;   -- latest send attempt (Discord's clock)
`,
  },
  {
    // At most one daily post per 20 hours, whatever the time zone does: the first send attempt on the schedule's
    // clock. And history in the order picks were claimed (real time), not by local date strings, which a
    // time-zone change can send backwards.
    name: '004-daily-claim-order',
    up: `
ALTER TABLE daily_post ADD COLUMN attempted_at TEXT;   -- first send attempt, ISO, the schedule's clock
ALTER TABLE daily_post ADD COLUMN claim_seq INTEGER;   -- 1, 2, … per guild in the order the picks were claimed
UPDATE daily_post SET attempted_at = COALESCE(sent_at, chosen_at) WHERE status = 'sent' OR attempts > 0;
UPDATE daily_post SET claim_seq = (
  SELECT COUNT(*) FROM daily_post AS earlier
  WHERE earlier.guild_id = daily_post.guild_id
    AND (earlier.chosen_at < daily_post.chosen_at OR (earlier.chosen_at = daily_post.chosen_at AND earlier.date <= daily_post.date))
);
`,
  },
  {
    name: '005-library',
    up: `
-- Papers added through paperbot (arXiv lookups, Discord forms, the CLI, feeds). The live collection
-- is the collection files plus these, minus library_removal. One row per paper: the unique keys are
-- the "same paper" rule (arXiv id, normalised title), so two racing adds cannot both insert.
CREATE TABLE library_addition (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  arxiv_id  TEXT,                 -- without version
  title_key TEXT NOT NULL,        -- normaliseTitle(title)
  record    TEXT NOT NULL,        -- JSON PaperRecord
  added_by  TEXT NOT NULL,        -- 'cli', 'discord:<guild>:<user>', 'feed'
  added_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX library_addition_arxiv ON library_addition (arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE UNIQUE INDEX library_addition_title ON library_addition (title_key);
-- Papers of the collection files taken out; matched by paper id, arXiv id or normalised title.
CREATE TABLE library_removal (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  paper_id   TEXT NOT NULL,
  arxiv_id   TEXT,
  title_key  TEXT NOT NULL,
  title      TEXT NOT NULL,
  removed_by TEXT NOT NULL,
  removed_at TEXT NOT NULL
);
-- Bumped by every change in the same transaction: another process notices a change with one read.
CREATE TABLE library_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO library_version (id, version) VALUES (1, 0);
-- Who may change the collection from Discord, per server.
CREATE TABLE library_settings (
  guild_id        TEXT PRIMARY KEY,
  curator_role_id TEXT,             -- NULL = only members with Manage Server
  add_policy      TEXT NOT NULL DEFAULT 'everyone' CHECK (add_policy IN ('everyone', 'curators')),
  updated_at      TEXT NOT NULL
);
`,
  },
  {
    name: '006-feeds',
    up: `
-- Every paper a feed ever offered, once (same-paper rule as the library), with what became of it.
CREATE TABLE feed_item (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  arxiv_id   TEXT,
  title_key  TEXT NOT NULL,
  record     TEXT NOT NULL,        -- JSON PaperRecord
  url        TEXT NOT NULL,        -- the best link for people
  source     TEXT NOT NULL,        -- the FEEDS source that offered it first
  first_seen TEXT NOT NULL,
  last_seen  TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'added', 'dismissed')),
  status_at  TEXT,
  score      REAL,                 -- closeness to the collection when first seen (0..1)
  because_id    TEXT,              -- the nearest paper of the collection then
  because_title TEXT
);
CREATE UNIQUE INDEX feed_item_arxiv ON feed_item (arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE UNIQUE INDEX feed_item_title ON feed_item (title_key);
CREATE INDEX feed_item_by_status ON feed_item (status, first_seen);
CREATE TABLE feed_run (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at  TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  offered     INTEGER NOT NULL,    -- items the sources returned
  fresh       INTEGER NOT NULL,    -- of those, first seen in this run
  failures    TEXT NOT NULL        -- JSON [{ source, message }]
);
-- New arrivals shown in a server's daily post, chosen in the same transaction as the post's picks.
CREATE TABLE feed_shown (
  guild_id TEXT NOT NULL,
  date     TEXT NOT NULL,
  position INTEGER NOT NULL,
  item_id  INTEGER NOT NULL REFERENCES feed_item (id),
  PRIMARY KEY (guild_id, date, position)
);
CREATE INDEX feed_shown_by_item ON feed_shown (guild_id, item_id);
`,
  },
  CHAT_THREADS_MIGRATION,
];
