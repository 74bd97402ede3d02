"""The history schema, as an append-only list of named migrations.

Each step runs once, in order, and is recorded in the `migrations` table. Never edit or
reorder a step that has shipped: add a new one at the end.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_sessions_answers_scores",
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            company TEXT NOT NULL,
            role TEXT NOT NULL,
            company_slug TEXT NOT NULL,
            role_slug TEXT NOT NULL,
            round TEXT NOT NULL,
            round_title TEXT NOT NULL,
            bank_path TEXT,
            plan TEXT NOT NULL,              -- JSON list of question ids, in order
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,            -- in_progress | unfinished | unscored | scored
            scorer TEXT,
            overall REAL,
            options TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX sessions_started ON sessions(started_at DESC);
        CREATE INDEX sessions_bank ON sessions(company_slug, role_slug, round, started_at DESC);
        CREATE INDEX sessions_status ON sessions(status, started_at DESC);

        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,       -- index into the session's plan
            question_id TEXT NOT NULL,
            kind TEXT NOT NULL,              -- main | follow_up
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            skipped INTEGER NOT NULL DEFAULT 0,
            auto_submitted INTEGER NOT NULL DEFAULT 0,
            hints TEXT NOT NULL DEFAULT '[]',
            seconds REAL,
            submitted_at TEXT NOT NULL
        );
        CREATE INDEX answers_session ON answers(session_id, position, id);
        CREATE INDEX answers_question ON answers(question_id);

        CREATE TABLE drafts (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (session_id, position, kind)
        );

        CREATE TABLE scores (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            scorer TEXT NOT NULL,
            rubric_version TEXT NOT NULL,
            score REAL NOT NULL,
            max_score REAL NOT NULL,
            points TEXT NOT NULL,            -- JSON list of {point, weight, covered, evidence, note}
            feedback TEXT NOT NULL,
            samples TEXT NOT NULL DEFAULT '[]',
            scored_at TEXT NOT NULL
        );
        CREATE INDEX scores_session ON scores(session_id, position, id DESC);
        CREATE INDEX scores_question ON scores(question_id, scored_at);
        """,
    ),
    (
        "0002_practice_reviews_cards_bank_index",
        """
        CREATE TABLE reviews (                -- one per scored answer: the FSRS review it counts as
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            company_slug TEXT NOT NULL,
            role_slug TEXT NOT NULL,
            question_id TEXT NOT NULL,
            round TEXT NOT NULL,             -- the question's round in its bank
            topics TEXT NOT NULL DEFAULT '[]',  -- JSON list, copied from the bank at review time
            score REAL NOT NULL,             -- 0-10, the latest score of that answer
            rating INTEGER NOT NULL,         -- fsrs Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
            reviewed_at TEXT NOT NULL,       -- when the answer was submitted (UTC ISO 8601)
            UNIQUE (session_id, position)
        );
        CREATE INDEX reviews_card ON reviews(company_slug, role_slug, question_id, reviewed_at);
        CREATE INDEX reviews_session_round ON reviews(session_id, company_slug, role_slug, round);

        CREATE TABLE round_sessions (         -- per session and question round: answers and score total
            company_slug TEXT NOT NULL,       -- kept by the triggers on reviews, for `drill stats`
            role_slug TEXT NOT NULL,
            round TEXT NOT NULL,
            session_id TEXT NOT NULL,
            answers INTEGER NOT NULL,
            total REAL NOT NULL,
            last_at TEXT NOT NULL,
            PRIMARY KEY (company_slug, role_slug, round, session_id)
        ) WITHOUT ROWID;
        CREATE INDEX round_sessions_latest ON round_sessions(company_slug, role_slug, round, last_at);
        CREATE TRIGGER reviews_round_insert AFTER INSERT ON reviews BEGIN
            INSERT INTO round_sessions (company_slug, role_slug, round, session_id, answers, total, last_at)
            VALUES (new.company_slug, new.role_slug, new.round, new.session_id, 1, new.score, new.reviewed_at)
            ON CONFLICT (company_slug, role_slug, round, session_id) DO UPDATE SET
                answers = answers + 1, total = total + excluded.total, last_at = MAX(last_at, excluded.last_at);
        END;
        CREATE TRIGGER reviews_round_delete AFTER DELETE ON reviews BEGIN
            DELETE FROM round_sessions WHERE company_slug = old.company_slug AND role_slug = old.role_slug
                AND round = old.round AND session_id = old.session_id AND answers <= 1;
            UPDATE round_sessions SET answers = answers - 1, total = total - old.score,
                last_at = (SELECT MAX(reviewed_at) FROM reviews WHERE session_id = old.session_id
                           AND company_slug = old.company_slug AND role_slug = old.role_slug AND round = old.round)
            WHERE company_slug = old.company_slug AND role_slug = old.role_slug AND round = old.round
                AND session_id = old.session_id;
        END;

        CREATE TABLE review_topics (          -- reviews x topics, kept by the triggers below, for `drill stats`
            review_id INTEGER NOT NULL,
            topic TEXT NOT NULL,
            company_slug TEXT NOT NULL,
            role_slug TEXT NOT NULL,
            session_id TEXT NOT NULL,
            score REAL NOT NULL,
            reviewed_at TEXT NOT NULL,
            PRIMARY KEY (review_id, topic)
        ) WITHOUT ROWID;
        CREATE INDEX review_topics_recent ON review_topics(topic, reviewed_at, score);
        CREATE INDEX review_topics_bank ON review_topics(company_slug, role_slug, topic, reviewed_at, score);
        CREATE INDEX review_topics_session ON review_topics(company_slug, role_slug, topic, session_id);

        CREATE TABLE topic_totals (           -- per bank and topic: sessions, answers and score total
            company_slug TEXT NOT NULL,       -- kept by the triggers on review_topics, for `drill stats`
            role_slug TEXT NOT NULL,
            topic TEXT NOT NULL,
            sessions INTEGER NOT NULL,
            answers INTEGER NOT NULL,
            total REAL NOT NULL,
            PRIMARY KEY (company_slug, role_slug, topic)
        ) WITHOUT ROWID;
        CREATE TRIGGER review_topics_totals_insert AFTER INSERT ON review_topics BEGIN
            INSERT INTO topic_totals (company_slug, role_slug, topic, sessions, answers, total)
            VALUES (new.company_slug, new.role_slug, new.topic, 0, 1, new.score)
            ON CONFLICT (company_slug, role_slug, topic) DO UPDATE SET answers = answers + 1,
                total = total + excluded.total;
            UPDATE topic_totals SET sessions = sessions + 1
            WHERE company_slug = new.company_slug AND role_slug = new.role_slug AND topic = new.topic
                AND NOT EXISTS (SELECT 1 FROM review_topics WHERE company_slug = new.company_slug
                    AND role_slug = new.role_slug AND topic = new.topic AND session_id = new.session_id
                    AND review_id != new.review_id);
        END;
        CREATE TRIGGER review_topics_totals_delete AFTER DELETE ON review_topics BEGIN
            UPDATE topic_totals SET answers = answers - 1, total = total - old.score,
                sessions = sessions - NOT EXISTS (SELECT 1 FROM review_topics WHERE company_slug = old.company_slug
                    AND role_slug = old.role_slug AND topic = old.topic AND session_id = old.session_id)
            WHERE company_slug = old.company_slug AND role_slug = old.role_slug AND topic = old.topic;
            DELETE FROM topic_totals WHERE company_slug = old.company_slug AND role_slug = old.role_slug
                AND topic = old.topic AND answers <= 0;
        END;
        CREATE TRIGGER reviews_topics_insert AFTER INSERT ON reviews BEGIN
            INSERT OR IGNORE INTO review_topics (review_id, topic, company_slug, role_slug, session_id, score, reviewed_at)
            SELECT new.id, value, new.company_slug, new.role_slug, new.session_id, new.score, new.reviewed_at
            FROM json_each(new.topics);
        END;
        CREATE TRIGGER reviews_topics_delete AFTER DELETE ON reviews BEGIN
            DELETE FROM review_topics WHERE review_id = old.id;
        END;
        CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews BEGIN
            SELECT RAISE(ABORT, 'reviews are replaced, not updated: delete the row and insert the new one');
        END;

        CREATE TABLE cards (                  -- one FSRS card per bank question, rebuilt from its reviews
            company_slug TEXT NOT NULL,
            role_slug TEXT NOT NULL,
            question_id TEXT NOT NULL,
            round TEXT NOT NULL,
            card TEXT NOT NULL,              -- fsrs Card.to_dict() as JSON
            due TEXT NOT NULL,               -- UTC ISO 8601, copied out of the card for indexing
            last_review TEXT,
            last_score REAL,
            reviews INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (company_slug, role_slug, question_id)
        );
        CREATE INDEX cards_due ON cards(due);

        CREATE TABLE bank_index (             -- cache of bank files' questions, so `drill plan` need not parse YAML
            path TEXT PRIMARY KEY,
            mtime_ns INTEGER NOT NULL,
            size INTEGER NOT NULL,
            summary TEXT                     -- JSON, NULL when the file is not a valid bank
        );
        """,
    ),
    (
        "0003_review_topics_portable_order",
        """
        -- `drill stats` takes a topic's latest answers by time, then session id, then row id: the same
        -- order on every machine (row ids differ after an import), straight off these indexes
        DROP INDEX review_topics_recent;
        DROP INDEX review_topics_bank;
        CREATE INDEX review_topics_recent ON review_topics(topic, reviewed_at, session_id, review_id, score);
        CREATE INDEX review_topics_bank ON review_topics(company_slug, role_slug, topic, reviewed_at, session_id,
                                                         review_id, score);
        """,
    ),
    (
        "0004_score_details",
        """
        -- JSON {breakdown, red_flags: [{point, evidence}], unsure}: how the offline scorer reached a score
        ALTER TABLE scores ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
        """,
    ),
    (
        "0005_coding_test_results",
        """
        CREATE TABLE test_results (           -- one per test of a coding answer's last run (visible and hidden)
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            test_index INTEGER NOT NULL,     -- visible tests first, then hidden, as in the bank
            hidden INTEGER NOT NULL,
            status TEXT NOT NULL,            -- passed | failed | error | timed_out | crashed
            seconds REAL NOT NULL,
            args TEXT NOT NULL,              -- JSON of the call's arguments, shortened for display
            expected TEXT NOT NULL,          -- JSON, shortened
            got TEXT,                        -- JSON of what came back, shortened
            error TEXT,
            isolated INTEGER NOT NULL,       -- ran inside bubblewrap
            ran_at TEXT NOT NULL
        );
        CREATE INDEX test_results_session ON test_results(session_id, position, test_index);
        """,
    ),
    (
        "0006_interviewer_asks_phases",
        """
        CREATE TABLE asks (                   -- clarifying questions (/ask) and the interviewer's replies
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            phase TEXT,                      -- the phase id it was asked in, when the answer had phases
            at_seconds REAL,                 -- seconds into the answer
            question TEXT NOT NULL,
            reply TEXT NOT NULL,
            source TEXT NOT NULL,            -- fact | fallback | the model that answered
            asked_at TEXT NOT NULL
        );
        CREATE INDEX asks_session ON asks(session_id, position, id);

        CREATE TABLE answer_phases (          -- per committed answer with phases: each phase's time and text
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            phase TEXT NOT NULL,
            title TEXT NOT NULL,
            budget_seconds REAL NOT NULL,
            started_seconds REAL,            -- NULL when the answer never reached this phase
            used_seconds REAL,
            text TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (session_id, position, ordinal)
        );
        """,
    ),
    (
        "0007_review_skips",
        """
        -- A skipped answer is still a review (it schedules the question soon) but not a score of 0:
        -- it is counted apart (topic_totals.skips) and kept out of a topic's mean and recent answers.
        ALTER TABLE reviews ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE review_topics ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE topic_totals ADD COLUMN skips INTEGER NOT NULL DEFAULT 0;
        DROP TRIGGER reviews_topics_insert;
        CREATE TRIGGER reviews_topics_insert AFTER INSERT ON reviews BEGIN
            INSERT OR IGNORE INTO review_topics (review_id, topic, company_slug, role_slug, session_id, score,
                                                 reviewed_at, skipped)
            SELECT new.id, value, new.company_slug, new.role_slug, new.session_id, new.score, new.reviewed_at,
                   new.skipped
            FROM json_each(new.topics);
        END;
        DROP TRIGGER review_topics_totals_insert;
        CREATE TRIGGER review_topics_totals_insert AFTER INSERT ON review_topics BEGIN
            INSERT INTO topic_totals (company_slug, role_slug, topic, sessions, answers, total, skips)
            VALUES (new.company_slug, new.role_slug, new.topic, 0, 1 - new.skipped,
                    CASE WHEN new.skipped THEN 0 ELSE new.score END, new.skipped)
            ON CONFLICT (company_slug, role_slug, topic) DO UPDATE SET answers = answers + excluded.answers,
                total = total + excluded.total, skips = skips + excluded.skips;
            UPDATE topic_totals SET sessions = sessions + 1
            WHERE company_slug = new.company_slug AND role_slug = new.role_slug AND topic = new.topic
                AND NOT EXISTS (SELECT 1 FROM review_topics WHERE company_slug = new.company_slug
                    AND role_slug = new.role_slug AND topic = new.topic AND session_id = new.session_id
                    AND review_id != new.review_id);
        END;
        DROP TRIGGER review_topics_totals_delete;
        CREATE TRIGGER review_topics_totals_delete AFTER DELETE ON review_topics BEGIN
            UPDATE topic_totals SET answers = answers - (1 - old.skipped),
                total = total - CASE WHEN old.skipped THEN 0 ELSE old.score END, skips = skips - old.skipped,
                sessions = sessions - NOT EXISTS (SELECT 1 FROM review_topics WHERE company_slug = old.company_slug
                    AND role_slug = old.role_slug AND topic = old.topic AND session_id = old.session_id)
            WHERE company_slug = old.company_slug AND role_slug = old.role_slug AND topic = old.topic;
            DELETE FROM topic_totals WHERE company_slug = old.company_slug AND role_slug = old.role_slug
                AND topic = old.topic AND answers <= 0 AND skips <= 0;
        END;
        -- reviews of skipped answers recorded before this migration become skips (replaced, never updated)
        CREATE TEMP TABLE skipped_reviews AS SELECT * FROM reviews AS r WHERE EXISTS (SELECT 1 FROM answers AS a
            WHERE a.session_id = r.session_id AND a.position = r.position AND a.kind = 'main' AND a.skipped = 1);
        DELETE FROM reviews WHERE id IN (SELECT id FROM skipped_reviews);
        INSERT INTO reviews (id, session_id, position, company_slug, role_slug, question_id, round, topics, score,
                             rating, reviewed_at, skipped)
        SELECT id, session_id, position, company_slug, role_slug, question_id, round, topics, score, rating,
               reviewed_at, 1 FROM skipped_reviews;
        DROP TABLE skipped_reviews;
        DROP INDEX review_topics_recent;  -- the same orders, covering the skipped flag `drill stats` filters on
        DROP INDEX review_topics_bank;
        CREATE INDEX review_topics_recent ON review_topics(topic, reviewed_at, session_id, review_id, score, skipped);
        CREATE INDEX review_topics_bank ON review_topics(company_slug, role_slug, topic, reviewed_at, session_id,
                                                         review_id, score, skipped);
        DELETE FROM bank_index;  -- company and role slugs keep non-ASCII letters now: parse every bank again
        """,
    ),
    (
        "0008_scorings",
        """
        -- every successful scoring of a session is kept: offline, then a model's second opinion, ...
        -- the newest one is the session's (sessions.overall/scorer); a failed scoring adds no row
        CREATE TABLE scorings (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            scorer TEXT NOT NULL,            -- "offline" or the model name
            overall REAL NOT NULL,
            scored_at TEXT NOT NULL
        );
        CREATE INDEX scorings_session ON scorings(session_id, id DESC);
        ALTER TABLE scores ADD COLUMN scoring_id INTEGER REFERENCES scorings(id) ON DELETE CASCADE;
        -- scores written before this migration: one scoring per session, scorer and time
        INSERT INTO scorings (session_id, scorer, overall, scored_at)
            SELECT session_id, scorer, ROUND(AVG(score), 1), scored_at FROM scores
            GROUP BY session_id, scorer, scored_at ORDER BY MIN(id);
        UPDATE scores SET scoring_id = (SELECT g.id FROM scorings AS g WHERE g.session_id = scores.session_id
            AND g.scorer = scores.scorer AND g.scored_at = scores.scored_at);
        """,
    ),
    (
        "0009_delivery",
        """
        -- how a spoken answer was delivered (voice/delivery.py), one row per answer that was transcribed;
        -- kept apart from the content scores, which it never changes
        CREATE TABLE answer_delivery (
            answer_id INTEGER PRIMARY KEY REFERENCES answers(id) ON DELETE CASCADE,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            stt_model TEXT NOT NULL,         -- the engine that transcribed it
            timing TEXT NOT NULL,            -- words | segments | none: how the word times were obtained
            words INTEGER NOT NULL,
            speaking_seconds REAL,           -- first word to last word
            limit_seconds REAL,              -- the answer's time limit
            words_per_minute REAL,
            fillers TEXT NOT NULL DEFAULT '{}',  -- JSON: filler -> count
            filler_count INTEGER NOT NULL,
            fillers_per_minute REAL,
            longest_pause_seconds REAL,
            longest_pause_at REAL,           -- seconds into the recording
            last_minute_share REAL,          -- share of words in the last minute (answers of 2 minutes or more)
            audio_path TEXT,                 -- the recording, when kept (--keep-audio)
            measured_at TEXT NOT NULL
        );
        CREATE INDEX answer_delivery_session ON answer_delivery(session_id, position);
        CREATE INDEX answer_delivery_measured ON answer_delivery(measured_at);
        """,
    ),
]


def migrate(db: sqlite3.Connection, now: str) -> None:
    """Apply every migration this database has not had yet (inside the caller's transaction)."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {r[0] for r in db.execute("SELECT name FROM migrations")}
    for name, script in MIGRATIONS:
        if name in done:
            continue
        for statement in _statements(script):
            db.execute(statement)
        db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now))


def _statements(script: str) -> list[str]:
    """A migration script cut into complete statements (comments stay; SQLite skips them)."""
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        if sqlite3.complete_statement("\n".join(buf)):
            out.append("\n".join(buf))
            buf = []
    return out
